"""Gauges the clock keeps up to date for Prometheus (every replica: each serves /metrics)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.common.metrics import OUTBOX_DEPTH
from bot.delivery.status import outbox_by_status

OUTBOX_DEPTH_TICK_S = 15.0


class OutboxDepth:
    """`enavant_outbox_messages{status}`: one GROUP BY over the outbox per tick."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def count(self) -> dict[str, int]:
        async with self.sessionmaker() as session:
            counts = await outbox_by_status(session)
        for status, number in counts.items():
            OUTBOX_DEPTH.labels(str(status)).set(number)
        return counts
