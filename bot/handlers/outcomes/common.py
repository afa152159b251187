"""What both sides of outcomes share: the buttons under a participant's report."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.outcomes.callbacks import ReviewCallback


class OutcomeReview(CallbackData, ReviewCallback, prefix=ReviewCallback.__prefix__):
    """`ReviewCallback` (under a participant's report) as aiogram packs, parses and filters it."""
