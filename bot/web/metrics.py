"""Counting updates for /metrics: an outer middleware of the dispatcher's update observer, the
same in polling and webhook mode (webhook duplicates are counted by the webhook itself)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.common.metrics import HANDLER_SECONDS, UPDATES

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def update_type(update: Update) -> str:
    try:
        return update.event_type
    except Exception:  # an update type this aiogram does not know
        return "unknown"


class UpdateMetrics(BaseMiddleware):
    """UPDATES by type and outcome (handled, unhandled, failed) and HANDLER_SECONDS by type."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = update_type(event) if isinstance(event, Update) else "unknown"
        started = time.perf_counter()
        outcome = "failed"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "handled"
            return result
        finally:
            HANDLER_SECONDS.labels(kind).observe(time.perf_counter() - started)
            UPDATES.labels(kind, outcome).inc()


def count_duplicate(kind: str) -> None:
    UPDATES.labels(kind, "duplicate").inc()


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
