"""The explicit place for failures: users get a short answer, logs get ids only.

A button that has expired gets "this button has expired" and the menu, never the generic
error: a button of a flow that was closed since, a press Telegram reports as too old to
answer ("query is too old", e.g. handled after a restart), and a press on a message the bot
can no longer see (`InaccessibleMessage`, or none at all for an inline message)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramServerError,
)
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent, Message, TelegramObject
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_dialog.api.internal import ReplyCallbackQuery
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers.common.fallback import (
    answer_stale_button,
    answer_stale_reply_button,
    message_gone,
    query_too_old,
)
from bot.handlers.common.home import Home
from bot.middlewares import reply_button_data

log = logging.getLogger(__name__)


class ExpiredButtons(BaseMiddleware):
    """Around every button press (inside the update's database session, so the menu can be
    drawn): a press on a message the bot cannot see is answered as expired before any
    handler; a press Telegram reports as too old, or whose message is gone or already
    changed by an earlier press, undoes what its handler did, and is answered as expired."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        callback: CallbackQuery,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(callback, ReplyCallbackQuery):
            # A reply keyboard's button (aiogram-dialog makes it a press): it came as a
            # message, so its "message" is out of reach by construction.
            return await handler(callback, data)
        if not isinstance(callback.message, Message):
            log.info("callback %s: a button on a message out of reach", callback.id)
            await answer_stale_button(callback, data["home"])
            return None
        try:
            return await handler(callback, data)
        except TelegramBadRequest as error:
            if not (query_too_old(error) or message_gone(error)):
                raise
            log.info("callback %s: %s, told it expired", callback.id, error.message)
        session: AsyncSession = data["session"]
        await session.rollback()  # the press did not happen
        await answer_stale_button(callback, Home(data))


async def stale_dialog_button(
    event: ErrorEvent, sessionmaker: async_sessionmaker[AsyncSession], **data: Any
) -> None:
    """A button of a flow that was closed or replaced (or started before /cancel). The
    update's session ended with the failure: the menu is drawn in a new one."""
    callback, message = event.update.callback_query, event.update.message
    async with sessionmaker() as session:
        home = Home({**data, "session": session})
        if callback is not None:
            await answer_stale_button(callback, home)
        elif message is not None and reply_button_data(message.text):
            await answer_stale_reply_button(message, home)


async def user_blocked_bot(event: ErrorEvent) -> None:
    log.info("update %s: the user blocked the bot", event.update.update_id)


async def telegram_unavailable(event: ErrorEvent) -> None:
    """An outage (5xx, a proxy's error page, a time-out): expected, one line, no traceback;
    the person's next action works again once Telegram does."""
    log.warning(
        "update %s: Telegram unavailable: %s",
        event.update.update_id,
        type(event.exception).__name__,
    )


async def unexpected(event: ErrorEvent, i18n: I18nContext | None = None) -> None:
    log.error(
        "update %s failed: %s",
        event.update.update_id,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    chat = event.update.message or (
        event.update.callback_query.message if event.update.callback_query else None
    )
    if chat is None or i18n is None:
        return
    try:
        await chat.answer(i18n.get("error-generic"))
    except TelegramAPIError:
        log.warning("update %s: could not tell the user about the failure", event.update.update_id)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(
        stale_dialog_button, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState)
    )
    router.errors.register(user_blocked_bot, ExceptionTypeFilter(TelegramForbiddenError))
    router.errors.register(
        telegram_unavailable, ExceptionTypeFilter(TelegramNetworkError, TelegramServerError)
    )
    router.errors.register(unexpected)
    return router
