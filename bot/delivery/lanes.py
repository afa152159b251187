"""Which lane a sending call is in: a direct reply to a person's own action, or bulk.

Replies go before bulk sends (alerts, digests, broadcasts, reminders) within the same global
budget (`limiter.Limiter`). The lane is a context variable: BULK by default (the outbox
sender, clock jobs, the CLI); `ReplyLane`, an outer middleware on the dispatcher's updates,
sets REPLY for everything done while an update is handled.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class Lane(enum.StrEnum):
    REPLY = "reply"
    BULK = "bulk"


current_lane: ContextVar[Lane] = ContextVar("sending_lane", default=Lane.BULK)


class ReplyLane(BaseMiddleware):
    """What a handler sends answers the person who just acted: the reply lane."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = current_lane.set(Lane.REPLY)
        try:
            return await handler(event, data)
        finally:
            current_lane.reset(token)
