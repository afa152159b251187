"""The webhook's inbox (`received_updates`): where an update is kept safe before Telegram is
answered 200, and how an update id already seen is recognised.

Why the database and not Redis: the update must survive the replica that answered it (a
`kill -9` right after the 200), and Telegram will not send it again once answered. Redis is
not a durable store as it is run here (no AOF fsync is assumed), the database is; and the
dedupe check then comes for free with the insert (`ON CONFLICT DO NOTHING`), one round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import ReceivedUpdate


@dataclass(frozen=True)
class Taken:
    update_id: int
    payload: str
    chat_key: int | None


class Inbox:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        lease_s: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.lease = timedelta(seconds=lease_s)
        self._now = clock

    def _insert(self, session: AsyncSession):
        dialect = session.bind.dialect.name
        return (pg_insert if dialect == "postgresql" else sqlite_insert)(ReceivedUpdate)

    async def take(self, update_id: int, payload: str, chat_key: int | None) -> bool:
        """Keep a new update, leased to this process; False when its id was already taken."""
        now = self._now()
        async with self._sessionmaker() as session:
            statement = (
                self._insert(session)
                .values(
                    update_id=update_id,
                    payload=payload,
                    chat_key=chat_key,
                    received_at=now,
                    taken_until=now + self.lease,
                )
                .on_conflict_do_nothing(index_elements=["update_id"])
            )
            result = await session.execute(statement)
            await session.commit()
            return result.rowcount == 1

    async def done(self, update_id: int) -> None:
        """Handled: the payload (personal data) goes, the id stays for the dedupe window."""
        async with self._sessionmaker() as session:
            await session.execute(
                update(ReceivedUpdate)
                .where(ReceivedUpdate.update_id == update_id)
                .values(done_at=self._now(), payload=None)
            )
            await session.commit()

    async def waits_for_earlier(self, update_id: int, chat_key: int) -> bool:
        """Whether an earlier update of the same chat is not handled yet."""
        async with self._sessionmaker() as session:
            return bool(
                await session.scalar(
                    select(
                        exists().where(
                            ReceivedUpdate.chat_key == chat_key,
                            ReceivedUpdate.update_id < update_id,
                            ReceivedUpdate.done_at.is_(None),
                        )
                    )
                )
            )

    async def renew(self, update_ids: Iterable[int]) -> None:
        ids = list(update_ids)
        if not ids:
            return
        async with self._sessionmaker() as session:
            await session.execute(
                update(ReceivedUpdate)
                .where(ReceivedUpdate.update_id.in_(ids), ReceivedUpdate.done_at.is_(None))
                .values(taken_until=self._now() + self.lease)
            )
            await session.commit()

    async def take_abandoned(self, limit: int = 50) -> list[Taken]:
        """Updates whose lease ran out (their replica died or stalled), leased anew to this one.
        `SKIP LOCKED` on PostgreSQL: two sweepers never take the same row."""
        now = self._now()
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(
                        ReceivedUpdate.update_id, ReceivedUpdate.payload, ReceivedUpdate.chat_key
                    )
                    .where(ReceivedUpdate.done_at.is_(None), ReceivedUpdate.taken_until < now)
                    .order_by(ReceivedUpdate.update_id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return []
            await session.execute(
                update(ReceivedUpdate)
                .where(ReceivedUpdate.update_id.in_([row.update_id for row in rows]))
                .values(taken_until=now + self.lease)
            )
            await session.commit()
        return [Taken(row.update_id, row.payload or "{}", row.chat_key) for row in rows]

    async def purge(self, keep_s: float) -> int:
        """Forget the ids of updates handled more than `keep_s` seconds ago."""
        async with self._sessionmaker() as session:
            result = await session.execute(
                delete(ReceivedUpdate).where(
                    ReceivedUpdate.done_at < self._now() - timedelta(seconds=keep_s)
                )
            )
            await session.commit()
            return result.rowcount or 0
