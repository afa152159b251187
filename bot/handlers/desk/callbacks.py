"""The desk's buttons as aiogram reads them, built from the one format services use too
(`bot.services.desk.callbacks`)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.desk.callbacks import EscalationCallback


class EscalationAction(CallbackData, EscalationCallback, prefix=EscalationCallback.__prefix__):
    """`EscalationCallback` (prefix and fields) as aiogram packs, parses and filters it."""
