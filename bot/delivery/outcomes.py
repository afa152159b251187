"""What became of each claimed outbox row, whatever the channel that carried it.

The Telegram path (`sender.py`) and the SMS and e-mail path (`people.py`) both report here:
- `record`: sent, cancelled, or waiting (a 429's `retry_after`, the SMS quiet hours);
- `failed`: what a failure means is `failures.classify`'s verdict: wait, the chat blocked
  the bot, refused (failed with its reason), transient (retried with backoff, then failed
  after `max_attempts`), or a row that cannot even be rendered (failed, logged);
- `fail`: failed for good; whoever sent a relayed message is told (`if_failed`).
Outcomes are written in batches of `flush_every`, and at the end of each batch (`flush`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.delivery.failures import Failure, Verdict
from bot.delivery.outbox import enqueue, undelivered

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    """An outbox row a sender holds (its lease), as it was claimed."""

    id: int
    chat_id: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int
    dedupe_key: str
    participant_id: int | None


@dataclass(frozen=True)
class _Outcome:
    row: Claimed
    values: dict[str, Any]
    blocked: bool = False
    final_failure: bool = False


class Outcomes:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        *,
        max_attempts: int,
        backoff_base_s: float,
        backoff_max_s: float,
        flush_every: int,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._max_attempts = max_attempts
        self._backoff = (backoff_base_s, backoff_max_s)
        self._flush_every = flush_every
        self._pending: list[_Outcome] = []

    async def record(self, row: Claimed, **values: Any) -> None:
        self._pending.append(_Outcome(row, values))
        await self._flush_if_full()

    async def failed(self, row: Claimed, failure: Failure, error: BaseException) -> None:
        if failure.verdict is Verdict.WAIT:
            await self.record(
                row,
                status=OutboxStatus.PENDING,
                not_before=self._clock() + timedelta(seconds=failure.retry_after),
                attempts=row.attempts - 1,  # the provider's pace, not the message's fault
                payload=row.payload,
            )
        elif failure.verdict is Verdict.BLOCKED:
            log.info("outbox %s: chat %s blocked the bot", row.id, row.chat_id)
            await self.fail(row, "blocked", blocked=True)
        elif failure.verdict is Verdict.REFUSED:
            log.warning("outbox %s: refused: %s", row.id, failure.reason)
            await self.fail(row, failure.reason)
        elif failure.verdict is Verdict.TRANSIENT:
            await self._retry_later(row, failure.reason, type(error).__name__)
        else:
            # A row that cannot even be rendered must not stop the rows after it.
            log.error("outbox %s: cannot be sent", row.id, exc_info=error)
            await self.fail(row, failure.reason)

    async def fail(self, row: Claimed, error: str, *, blocked: bool = False) -> None:
        """Failed for good; `blocked`: the row's chat blocked the bot (marked unreachable)."""
        self._pending.append(
            _Outcome(
                row,
                {"status": OutboxStatus.FAILED, "error": error},
                blocked=blocked,
                final_failure=True,
            )
        )
        await self._flush_if_full()

    async def _retry_later(self, row: Claimed, error: str, kind: str) -> None:
        if row.attempts >= self._max_attempts:
            log.warning("outbox %s: %s, giving up after %s attempts", row.id, kind, row.attempts)
            await self.fail(row, error)
            return
        base, cap = self._backoff
        delay = min(cap, base * 2 ** (row.attempts - 1))
        delay *= random.uniform(0.5, 1.5)  # jitter: retries of one outage do not stampede
        log.warning("outbox %s: %s, tried again in %.0f s", row.id, kind, delay)
        await self.record(
            row,
            status=OutboxStatus.PENDING,
            not_before=self._clock() + timedelta(seconds=delay),
            error=error,
            payload=row.payload,
        )

    async def _flush_if_full(self) -> None:
        if len(self._pending) >= self._flush_every:
            await self.flush()

    async def flush(self) -> None:
        outcomes, self._pending = self._pending, []
        if not outcomes:
            return
        now = self._clock()
        async with self._sessionmaker() as session, session.begin():
            for outcome in outcomes:
                row = outcome.row
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == row.id).values(**outcome.values)
                )
                if outcome.blocked and row.chat_id is not None:
                    await mark_blocked(session, row.chat_id, now)
                if outcome.final_failure and (notice := row.payload.get("if_failed")):
                    await _tell_undelivered(session, row.dedupe_key, notice)


async def mark_blocked(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """The Telegram account of `chat_id` blocked the bot: nothing more goes to it there."""
    await session.execute(
        update(User).where(User.telegram_id == chat_id).values(reachable=False, blocked_at=now)
    )


async def _tell_undelivered(session: AsyncSession, dedupe_key: str, notice: dict[str, Any]) -> None:
    """Whoever sent a relayed message is told it did not reach its reader."""
    await enqueue(
        session,
        chat_id=notice["chat_id"],
        dedupe_key=undelivered(dedupe_key),
        key=notice["key"],
        variables=notice.get("vars"),
        locale=notice.get("locale"),
        thread_id=notice.get("thread_id"),
        reply_to=notice.get("reply_to"),
    )
