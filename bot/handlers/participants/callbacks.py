"""The aiogram side of `bot.services.participants.callbacks`."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.participants.callbacks import ContactCallback


class ContactAction(CallbackData, ContactCallback, prefix=ContactCallback.__prefix__):
    """`ContactCallback` (prefix and fields) as aiogram packs, parses and filters it."""
