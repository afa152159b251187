"""Buttons that lead a participant to a human (their counsellor)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class EscalationAction(CallbackData, prefix="esc"):
    """Packs as "esc:<action>:<ticket id>:<extra>". `start` (ticket 0) asks the topic and
    opens a ticket; the other actions belong to `bot.handlers.escalation`."""

    action: str
    ticket_id: int = 0
    extra: str = ""


def talk_to_counsellor() -> str:
    """The callback data of every "Talk to my counsellor" button."""
    return EscalationAction(action="start").pack()
