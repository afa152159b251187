"""The callback data of the vacancies' buttons, for services and handlers alike
(`bot.common.callbacks`)."""

from __future__ import annotations

from bot.common.callbacks import CallbackFormat


class VacancyCallback(CallbackFormat, prefix="vac"):
    """ "vac:<action>:<vacancy id>:<extra>", under alerts, digests and `/jobs`. Actions: open,
    yes (interested), no (not for me), why (the reason, in `extra`), orig (the original
    text), stop (no more alerts)."""

    action: str
    vacancy_id: int
    extra: str = ""
