"""The last router: every message or button nobody else handled gets an answer and the menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.keyboards.common import main_menu

# Telegram accepts up to 4096 characters; past 500 we ask for something shorter.
MAX_FREE_TEXT = 500


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    command = message.text.split()[0][:40]
    await message.answer(i18n.get("fallback-command", command=command))
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


async def anything_else(message: Message, i18n: I18nContext) -> None:
    if message.text is None:
        key = "fallback-media"
    elif len(message.text) > MAX_FREE_TEXT:
        key = "fallback-too-long"
    else:
        key = "fallback-text"
    await message.answer(i18n.get(key))
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


async def stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    await answer_stale_button(callback, i18n)


async def answer_stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    """A button from an old message: say so, and offer the menu instead."""
    await callback.answer(i18n.get("button-expired"))
    if callback.message is not None:
        await callback.message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


def build_router() -> Router:
    """Must be included last: it catches everything."""
    router = Router(name="fallback")
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(anything_else)
    router.callback_query.register(stale_button)
    return router
