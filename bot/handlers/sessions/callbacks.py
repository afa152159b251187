"""The sessions' buttons as aiogram reads them, built from the format services use too
(`bot.services.sessions.callbacks`)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.sessions.callbacks import SessionCallback


class SessionAction(CallbackData, SessionCallback, prefix=SessionCallback.__prefix__):
    """`SessionCallback` (a participant's buttons) as aiogram packs, parses and filters it."""
