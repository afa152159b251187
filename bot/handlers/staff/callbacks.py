"""Buttons of the staff home (`bot.handlers.staff.home`)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class StaffHomeAction(CallbackData, prefix="home"):
    """Packs as "home:<action>:<ticket id>". Actions: ticket (a request's screen), back (the
    home screen again), participant (see the bot as a participant does)."""

    action: str
    ticket_id: int = 0
