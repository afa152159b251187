"""Puts the limiter in front of every Bot API call the bot makes (aiogram session middleware).

Direct replies and outbox deliveries share it, so neither can break Telegram's limits; a
sending call waits in its lane (`lanes.current_lane`: replies before bulk). A 429 pauses all
sending for `retry_after` (in every replica sharing the limiter's store) and the call is
tried again. An answer that is not Bot API JSON (a proxy's HTML 502 page) is raised as
`UnreadableAnswer`, a TelegramNetworkError, so every caller treats it as the outage it is.

Counted (bot/common/metrics.py): the time each sending call waited for the limiter, and each
sending call's result, by lane.
"""

from __future__ import annotations

import logging
import time

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.common.metrics import LIMITER_WAIT_SECONDS, SENDS
from bot.delivery.failures import unreadable
from bot.delivery.lanes import current_lane
from bot.delivery.limiter import Limiter

log = logging.getLogger(__name__)

# Calls that put something in a chat count; the others (getUpdates, answerCallbackQuery,
# removing a keyboard with editMessageReplyMarkup...) do not.
_SENDING_PREFIXES = ("Send", "Copy", "Forward")
_SENDING_EDITS = ("EditMessageText", "EditMessageCaption", "EditMessageMedia")


def is_sending(method: TelegramMethod) -> bool:
    name = type(method).__name__
    return name.startswith(_SENDING_PREFIXES) or name in _SENDING_EDITS


def send_result(error: BaseException) -> str:
    """The `result` label of a sending call that failed with `error`."""
    if isinstance(error, TelegramRetryAfter):
        return "429"
    if isinstance(error, TelegramForbiddenError):
        return "403"
    if isinstance(error, TelegramServerError):
        return "5xx"
    if isinstance(error, TelegramEntityTooLarge):  # a 413, raised as a network error
        return "4xx"
    if isinstance(error, TelegramNetworkError):
        return "network"
    if isinstance(error, TelegramAPIError):  # bad request, not found, conflict, unauthorized...
        return "4xx"
    return "network"


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
        if not is_sending(method):
            try:
                return await make_request(bot, method)
            except ClientDecodeError as error:
                raise unreadable(method, error) from error
        lane = current_lane.get()
        chat_id = getattr(method, "chat_id", None)
        attempt = 0
        while True:
            started = time.monotonic()
            await self.limiter.acquire(chat_id if isinstance(chat_id, int) else None, lane)
            LIMITER_WAIT_SECONDS.labels(lane.value).observe(time.monotonic() - started)
            try:
                response = await make_request(bot, method)
            except ClientDecodeError as error:
                SENDS.labels(lane.value, "network").inc()
                raise unreadable(method, error) from error
            except TelegramRetryAfter as error:
                SENDS.labels(lane.value, "429").inc()
                await self.limiter.pause(error.retry_after)
                attempt += 1
                log.warning(
                    "%s: 429, all sending paused %ss (try %s)",
                    type(method).__name__,
                    error.retry_after,
                    attempt,
                )
                if attempt > self.max_retries:
                    raise
                continue
            except Exception as error:
                SENDS.labels(lane.value, send_result(error)).inc()
                raise
            SENDS.labels(lane.value, "ok").inc()
            return response
