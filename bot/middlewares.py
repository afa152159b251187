"""Per-update context: one database session, the user row, their language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject
from aiogram.types import User as TelegramUser
from aiogram_dialog.utils import REPLY_CALLBACK_SYMBOLS, decode_reply_callback
from aiogram_i18n.managers import BaseManager
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import update_session
from bot.db.models import User
from bot.i18n import locale_from_telegram
from bot.services.participants import accounts as users

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """One session per update, committed once when the handlers are done. A handler may ask
    for work once what it did is committed (`after_commit`, a list of coroutine functions):
    scrubbing the database files after an erasure, say."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        after_commit: list[Callable[[], Awaitable[Any]]] = []
        async with self._sessionmaker() as session:
            data["session"], data["after_commit"] = session, after_commit
            token = update_session.set(session)
            try:
                result = await handler(event, data)
                await session.commit()
            finally:
                update_session.reset(token)
        for work in after_commit:
            await work()
        return result


class UserMiddleware(BaseMiddleware):
    """Loads (or creates) the account of whoever sent the update, as `user`."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is not None and not sender.is_bot:
            data["user"] = await users.get_or_create_user(data["session"], sender.id)
        return await handler(event, data)


class UserLocaleManager(BaseManager):
    """The stored choice first, else Telegram's language_code."""

    async def get_locale(
        self, event_from_user: TelegramUser | None = None, user: User | None = None
    ) -> str:
        if user is not None and user.locale:
            return user.locale
        return locale_from_telegram(event_from_user.language_code if event_from_user else None)

    async def set_locale(self, locale: str, user: User, session: AsyncSession) -> None:
        await users.set_locale(session, user, locale)


def reply_button_data(text: str | None) -> str | None:
    """What a reply keyboard's button carries: aiogram-dialog hides it at the end of the
    button's text in invisible characters. None for a text typed by a person, even one
    ending in such characters that decode to nothing (zero-width text, pasted or forged)."""
    if not text:
        return None
    hidden = text[len(text.rstrip(REPLY_CALLBACK_SYMBOLS)) :]
    if not hidden or len(hidden) % 2:
        return None
    try:
        return decode_reply_callback(hidden) or None
    except UnicodeDecodeError:
        return None


class OddMessages(BaseMiddleware):
    """Before aiogram-dialog reads a message: invisible characters that are not a reply
    button's data are dropped from its end (a text of nothing but them becomes empty, and
    is answered as a text not understood); a reply to a message without a sender (Telegram
    leaves `from` out of some, a channel's say) is read as a plain message, since it cannot
    be a reply to one of the bot's steps."""

    async def __call__(self, handler: Handler, event: Message, data: dict[str, Any]) -> Any:
        changes: dict[str, Any] = {}
        if event.text and reply_button_data(event.text) is None:
            visible = event.text.rstrip(REPLY_CALLBACK_SYMBOLS)
            if visible != event.text:
                changes["text"] = visible
        if event.reply_to_message is not None and event.reply_to_message.from_user is None:
            changes["reply_to_message"] = None
        if changes:
            event = event.model_copy(update=changes).as_(data["bot"])
        return await handler(event, data)
