"""The explicit place for failures: users get a short answer, logs get ids only."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handlers.fallback import answer_stale_button
from bot.handlers.home import Home

log = logging.getLogger(__name__)


async def stale_dialog_button(
    event: ErrorEvent, sessionmaker: async_sessionmaker[AsyncSession], **data: Any
) -> None:
    """A button of a flow that was closed or replaced (or started before /cancel). The
    update's session ended with the failure: the menu is drawn in a new one."""
    callback = event.update.callback_query
    if callback is None:
        return
    async with sessionmaker() as session:
        await answer_stale_button(callback, Home({**data, "session": session}))


async def user_blocked_bot(event: ErrorEvent) -> None:
    log.info("update %s: the user blocked the bot", event.update.update_id)


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
    router.errors.register(unexpected)
    return router
