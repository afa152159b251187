"""What a failed Bot API call means, decided in one place (DESIGN.md §4 "Outbox and delivery").

Only Telegram's own JSON answers are final: 400 (the message is wrong: failed with the
reason) and 403 (the person blocked the bot). A 429 is waited out. Everything else — any 5xx,
an answer that is not Bot API JSON (a proxy's HTML 502 page), a time-out, a dropped
connection, an error Telegram has not documented — is an outage: tried again later.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum

import aiohttp
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.methods import TelegramMethod

from bot.delivery.channels import ProviderError


class Verdict(StrEnum):
    WAIT = "wait"  # 429: Telegram's pace, try again after `retry_after`
    BLOCKED = "blocked"  # 403: the person blocked the bot (or the bot left the group)
    REFUSED = "refused"  # 400: this message will never go as it is
    TRANSIENT = "transient"  # an outage: try again with backoff
    BROKEN = "broken"  # not Telegram at all: our own bug (a message that cannot be rendered)


@dataclass(frozen=True)
class Failure:
    verdict: Verdict
    reason: str
    retry_after: float = 0.0


class UnreadableAnswer(TelegramNetworkError):
    """The answer was not Bot API JSON: a proxy's error page, a cut-off body. Raised in place of
    aiogram's ClientDecodeError, so whoever catches TelegramAPIError catches it too."""


# Not aiogram's wrapping (it wraps these in TelegramNetworkError), but a session without it
# or a time-out around the call may let them through.
_NETWORK = (ClientDecodeError, asyncio.TimeoutError, aiohttp.ClientError, ConnectionError)


def classify(error: BaseException) -> Failure:
    if isinstance(error, ProviderError):  # an SMS or e-mail provider says what it means
        return Failure(Verdict(error.verdict), error.reason, error.retry_after)
    if isinstance(error, TelegramRetryAfter):
        return Failure(Verdict.WAIT, "TelegramRetryAfter", float(error.retry_after))
    if isinstance(error, TelegramForbiddenError):
        return Failure(Verdict.BLOCKED, "blocked")
    if isinstance(error, TelegramBadRequest):
        return Failure(Verdict.REFUSED, error.message[:500])
    if isinstance(error, TelegramAPIError):
        return Failure(Verdict.TRANSIENT, f"{type(error).__name__}: {error.message}"[:500])
    if isinstance(error, _NETWORK):
        return Failure(Verdict.TRANSIENT, type(error).__name__)
    return Failure(Verdict.BROKEN, type(error).__name__)


def unreadable(method: TelegramMethod, error: ClientDecodeError) -> UnreadableAnswer:
    """The error to raise for an answer aiogram could not decode (its body is not kept: it
    is a proxy's page, or a cut-off answer that may hold a message's text)."""
    return UnreadableAnswer(method=method, message=f"not a Bot API answer ({error.message})")


def thread_gone(reason: str) -> bool:
    """Telegram's 400 for a forum topic that was deleted."""
    reason = reason.lower()
    return "thread not found" in reason or "topic_deleted" in reason
