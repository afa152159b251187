"""What several handler modules say the same way: a screen that replaces the one whose button
was pressed, and the registered participant behind a command or a button (else the way to
register)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, User
from bot.flows.registration import start_registration
from bot.services import participants


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """The screen replaces the one the button sat on."""
    await callback.answer()
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:  # too old to edit: a new message then
            await callback.message.answer(text, reply_markup=markup)


async def registered_or_register(
    message: Message,
    i18n: I18nContext,
    key: str,
    session: AsyncSession,
    user: User,
    dialog_manager: DialogManager,
) -> Participant | None:
    """The registered participant; else the message `key` is said, the registration starts,
    and None."""
    participant = await participants.registered(session, user)
    if participant is None:
        await message.answer(i18n.get(key))
        await start_registration(dialog_manager)
    return participant


class ParticipantButton(BaseMiddleware):
    """Behind a participant's button: a registered participant, handed on as `participant`
    (else the message `register_first` is said and the handler does not run); then `check`,
    which may refuse the press as well (False: it said why)."""

    register_first: str

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        callback: CallbackQuery,
        data: dict[str, Any],
    ) -> Any:
        participant = await participants.registered(data["session"], data["user"])
        if participant is None:
            await callback.answer()
            await callback.message.answer(data["i18n"].get(self.register_first))
            return None
        data["participant"] = participant
        if not await self.check(callback, data):
            return None
        return await handler(callback, data)

    async def check(self, callback: CallbackQuery, data: dict[str, Any]) -> bool:
        return True
