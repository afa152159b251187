"""The last router: every message or button nobody else handled gets an answer and the menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_i18n import I18nContext

from bot.keyboards.common import main_menu

router = Router(name="fallback")

# Telegram accepts up to 4096 characters; past this we do not try to interpret free text.
MAX_FREE_TEXT = 1000


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message, i18n: I18nContext) -> None:
    command = message.text.split()[0][:40]
    await message.answer(i18n.get("fallback-command", command=command))
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


@router.message()
async def anything_else(message: Message, i18n: I18nContext, dialog_manager: DialogManager):
    if dialog_manager.has_context():
        # Inside a flow: point back at its buttons and show the current step again.
        await message.answer(i18n.get("flow-use-buttons"))
        await dialog_manager.show(ShowMode.SEND)
        return
    if message.text is None:
        key = "fallback-media"
    elif len(message.text) > MAX_FREE_TEXT:
        key = "fallback-too-long"
    else:
        key = "fallback-text"
    await message.answer(i18n.get(key))
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


@router.callback_query()
async def stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    await answer_stale_button(callback, i18n)


async def answer_stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    """A button from an old message: say so, and offer the menu instead."""
    await callback.answer(i18n.get("button-expired"))
    if callback.message is not None:
        await callback.message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))
