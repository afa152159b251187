"""Puts the limiter in front of every Bot API call the bot makes (aiogram session middleware).

Direct replies and outbox deliveries share it, so neither can break Telegram's limits.
A 429 pauses all sending for `retry_after` and the call is tried again. An answer that is
not Bot API JSON (a proxy's HTML 502 page) is raised as `UnreadableAnswer`, a
TelegramNetworkError, so every caller treats it as the outage it is.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import ClientDecodeError, TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.delivery.failures import unreadable
from bot.delivery.limiter import Limiter

log = logging.getLogger(__name__)

# Calls that put something in a chat count; the others (getUpdates, answerCallbackQuery,
# removing a keyboard with editMessageReplyMarkup...) do not.
_SENDING_PREFIXES = ("Send", "Copy", "Forward")
_SENDING_EDITS = ("EditMessageText", "EditMessageCaption", "EditMessageMedia")


def is_sending(method: TelegramMethod) -> bool:
    name = type(method).__name__
    return name.startswith(_SENDING_PREFIXES) or name in _SENDING_EDITS


class LimiterRequestMiddleware(BaseRequestMiddleware):
    def __init__(self, limiter: Limiter, max_retries_after_429: int = 5) -> None:
        self.limiter = limiter
        self.max_retries = max_retries_after_429

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        sending = is_sending(method)
        chat_id = getattr(method, "chat_id", None)
        attempt = 0
        while True:
            if sending:
                await self.limiter.acquire(chat_id if isinstance(chat_id, int) else None)
            try:
                return await make_request(bot, method)
            except ClientDecodeError as error:
                raise unreadable(method, error) from error
            except TelegramRetryAfter as error:
                self.limiter.pause(error.retry_after)
                attempt += 1
                log.warning(
                    "%s: 429, all sending paused %ss (try %s)",
                    type(method).__name__,
                    error.retry_after,
                    attempt,
                )
                if attempt > self.max_retries:
                    raise
