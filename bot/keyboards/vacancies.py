"""Buttons under vacancy alerts, digests and `/jobs`."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class VacancyAction(CallbackData, prefix="vac"):
    """Packs as "vac:<action>:<vacancy id>:<extra>", the format that
    `services.vacancy_cards.callback` writes into outbox rows. Actions: open, yes
    (interested), no (not for me), why (the reason, in `extra`), orig (the original text),
    stop (no more alerts)."""

    action: str
    vacancy_id: int
    extra: str = ""
