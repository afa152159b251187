"""What several handler modules say the same way: a screen that replaces the one whose button
was pressed, and the registered participant behind a command or a button (else the way to
register)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, User
from bot.delivery.outbox import OutButton
from bot.flows.common.keyboards import keyboard
from bot.flows.common.states import start_registration
from bot.i18n import HtmlFluentCore
from bot.services.participants import people as participants


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
            await callback.message.answer(data["i18n"].get(self.register_first))
            return None
        data["participant"] = participant
        if not await self.check(callback, data):
            return None
        return await handler(callback, data)

    async def check(self, callback: CallbackQuery, data: dict[str, Any]) -> bool:
        return True


def out_buttons(
    core: HtmlFluentCore, locale: str, rows: list[list[OutButton]]
) -> InlineKeyboardMarkup:
    """Buttons a service described (`OutButton`: a Fluent key and callback data), for a
    message sent now rather than queued."""
    return keyboard(
        *[
            [
                InlineKeyboardButton(text=core.get(b.key, locale), callback_data=b.callback_data)
                for b in row
            ]
            for row in rows
        ]
    )
