"""The clock: APScheduler ticks that only read and write tables, so a restart or a second
replica neither loses nor doubles work (durable facts live in our tables, not in jobs).

Several replicas: every replica runs the same schedule, but a job is either *every-replica*
(the outbox sender: rows are claimed with SKIP LOCKED, so each replica sends its share) or a
*singleton* (digests, SLA checks, broadcast progress, purges): a singleton job runs only on
the replica that holds the clock's leadership, a lease that passes to another replica when
the leader dies. Elsewhere its tick is a no-op.

- With Redis: the key `<redis_prefix>:clock:leader` (SET NX PX), renewed by its holder
  every third of the lease with a compare-and-renew script, deleted (compare-and-delete) at
  shutdown. A leader that could not renew stops acting as one when its lease runs out, before
  another replica can take it.
- On PostgreSQL without Redis: a session advisory lock on a connection of its own, released
  by the server when the process (or its connection) dies; checked every third of the lease.
- On SQLite (one process): always the leader.

Daily and weekly jobs fire at the same minute on every replica and run on the leader only. If
the leader dies just before that minute, the new leader is elected after the lease, and the
cron tick is missed; but a replica that becomes leader runs the `when_elected` work (the
digests' catch-up, `VacancyJobs.catch_up`), which sends the digests of the day that did not go
out (each digest is recorded in the outbox under a per-day dedupe key, so none goes twice).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bot.common.metrics import CLOCK_LEADER
from bot.db.base import utcnow

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]

# How long a leader keeps the clock without renewing (seconds): how long singleton jobs may
# stop after a leader dies without a word.
LEASE_S = 15.0


class Leadership(Protocol):
    """Who runs the singleton jobs. `on_change(is_leader)` is called on every change."""

    @property
    def is_leader(self) -> bool: ...

    async def start(self, on_change: Callable[[bool], None]) -> None: ...

    def abandon(self) -> None:
        """Stops campaigning at once (no network); the lease runs out by itself (an advisory
        lock goes when its connection does: with the process, or when `stop` is called)."""

    async def stop(self) -> None:
        """Stops campaigning and hands the leadership back."""


class AlwaysLeader:
    """One process (SQLite): it runs everything."""

    is_leader = True

    async def start(self, on_change: Callable[[bool], None]) -> None:
        on_change(True)

    def abandon(self) -> None:
        pass

    async def stop(self) -> None:
        pass


class _Campaign:
    """The common loop: try (or renew) every third of the lease; a leader whose last
    confirmation is older than the lease is not one any more, whatever the network says."""

    lease_outlives_connection = False

    def __init__(self, lease_s: float, name: str) -> None:
        self.lease_s = lease_s
        self.name = name
        self._leader = False
        self._valid_until = 0.0
        self._task: asyncio.Task[None] | None = None
        self._on_change: Callable[[bool], None] = lambda _: None

    @property
    def is_leader(self) -> bool:
        return self._leader and time.monotonic() < self._valid_until

    @property
    def _patience(self) -> float:
        """How long one round may wait for the server (a busy one may take a while)."""
        return max(self.lease_s / 3, 1.0)

    async def start(self, on_change: Callable[[bool], None]) -> None:
        self._on_change = on_change
        await self._round()
        self._task = asyncio.create_task(self._loop(), name=f"clock-leadership-{self.name}")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            await self._round()

    async def _round(self) -> None:
        asked_at = time.monotonic()
        try:
            held = await asyncio.wait_for(self._attempt(), timeout=self._patience)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("clock leadership: %s unreachable", self.name, exc_info=True)
            # A lease in Redis outlives our connection: it stays ours until it runs out. A lock
            # held by a connection goes with it.
            held = self.is_leader and self.lease_outlives_connection
            await self._reset()
        else:
            if held:
                self._valid_until = asked_at + self.lease_s
        self._set(held and time.monotonic() < self._valid_until)

    def _set(self, leader: bool) -> None:
        if leader == self._leader:
            return
        self._leader = leader
        log.info("clock leadership %s (%s)", "taken" if leader else "lost", self.name)
        self._on_change(leader)

    def abandon(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._leader = False

    async def stop(self) -> None:
        was_leader = self._leader
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._leader = False
        try:
            await self._release(was_leader)
        except Exception:
            log.warning("clock leadership: could not hand back (%s)", self.name, exc_info=True)

    async def _attempt(self) -> bool:
        raise NotImplementedError

    async def _reset(self) -> None:
        """After an error: forget the connection (the next round makes a new one)."""

    async def _release(self, was_leader: bool) -> None:
        raise NotImplementedError


_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLeadership(_Campaign):
    """A lease in Redis: `key` holds the leader's token for `lease_s`."""

    lease_outlives_connection = True

    def __init__(self, redis_url: str, key: str, lease_s: float = LEASE_S) -> None:
        super().__init__(lease_s, "redis")
        self.redis_url = redis_url
        self.key = key
        self.token = uuid.uuid4().hex
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.redis_url, socket_timeout=self._patience)
        return self._redis

    async def _attempt(self) -> bool:
        client = self._client()
        lease_ms = int(self.lease_s * 1000)
        if self._leader and await client.eval(_RENEW, 1, self.key, self.token, lease_ms):
            return True
        return bool(await client.set(self.key, self.token, nx=True, px=lease_ms))

    async def _reset(self) -> None:
        client, self._redis = self._redis, None
        if client is not None:
            await client.aclose()

    async def _release(self, was_leader: bool) -> None:
        client = self._client()
        try:
            if was_leader:
                await client.eval(_RELEASE, 1, self.key, self.token)
        finally:
            await self._reset()


class PostgresLeadership(_Campaign):
    """A session advisory lock, held on a connection of this object's own: the server drops
    it when that connection closes, so a dead process cannot keep it."""

    def __init__(self, database_url: str, name: str, lease_s: float = LEASE_S) -> None:
        super().__init__(lease_s, "postgresql")
        self.database_url = database_url
        # Advisory locks take a bigint: a stable one from the name.
        digest = hashlib.sha256(name.encode()).digest()
        self.lock_id = int.from_bytes(digest[:8], "big", signed=True)
        self._engine: AsyncEngine | None = None
        self._connection: AsyncConnection | None = None

    async def _connect(self) -> AsyncConnection:
        if self._connection is None:
            if self._engine is None:
                self._engine = create_async_engine(self.database_url, poolclass=NullPool)
            connection = await self._engine.connect()
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    async def _attempt(self) -> bool:
        connection = await self._connect()
        if self._leader:
            # A session lock stays ours as long as this connection lives: a round trip proves
            # it does (asking for the lock again would only stack it).
            await connection.execute(text("SELECT 1"))
            return True
        return bool(
            await connection.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": self.lock_id})
        )

    async def _reset(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:
                log.debug("clock leadership: closing a broken connection failed", exc_info=True)

    async def _release(self, was_leader: bool) -> None:
        try:
            if was_leader and self._connection is not None:
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": self.lock_id}
                )
        finally:
            await self._reset()
            if self._engine is not None:
                await self._engine.dispose()
                self._engine = None


def leadership_for(database_url: str, redis_url: str | None, redis_prefix: str) -> Leadership:
    """Redis when there is one, else the database's advisory lock, else (SQLite) alone."""
    if redis_url:
        return RedisLeadership(redis_url, f"{redis_prefix}:clock:leader")
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresLeadership(database_url, f"{redis_prefix}:clock:leader")
    return AlwaysLeader()


class Clock:
    """Periodic jobs of the bot, at local times in `tz` (Europe/Paris by default).

    A job is a singleton unless registered with `every_replica=True`: it runs only while this
    replica holds `leadership` (see the module's docstring)."""

    def __init__(
        self, tz: str, leadership: Leadership | None = None, *, stop_grace_s: float = 10.0
    ) -> None:
        self.tz = ZoneInfo(tz)
        # How long `stop` lets a tick that is under way finish (a batch of the outbox, a digest)
        # before cancelling it; what it had not done is picked up by its next run.
        self.stop_grace_s = stop_grace_s
        self._running: set[asyncio.Task[object]] = set()
        self._stopping = False
        self.scheduler = AsyncIOScheduler(timezone=self.tz)
        self.leadership: Leadership = leadership or AlwaysLeader()
        self._jobs: list[tuple[Job, object, str, bool]] = []
        self._when_elected: list[Job] = []
        self._starting = False
        self._elected_work: set[asyncio.Task[None]] = set()

    @property
    def is_leader(self) -> bool:
        return self.leadership.is_leader

    def every(self, seconds: float, job: Job, name: str, *, every_replica: bool = False) -> None:
        self._add(job, IntervalTrigger(seconds=seconds, timezone=self.tz), name, every_replica)

    def daily(self, hour: int, minute: int, job: Job, name: str) -> None:
        self._add(job, CronTrigger(hour=hour, minute=minute, timezone=self.tz), name, False)

    def weekly(self, day_of_week: str, hour: int, minute: int, job: Job, name: str) -> None:
        """`day_of_week` in APScheduler's words: "mon", "tue"..."""
        trigger = CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=self.tz)
        self._add(job, trigger, name, False)

    def when_elected(self, job: Job) -> None:
        """Work for a replica that becomes the leader (at start-up on SQLite, or when it takes
        over from another): catching up what the last leader may have missed."""
        self._when_elected.append(job)

    def _add(self, job: Job, trigger, name: str, every_replica: bool) -> None:
        self._jobs.append((job, trigger, name, every_replica))

    @property
    def job_names(self) -> list[str]:
        return [name for _, _, name, _ in self._jobs]

    @property
    def singleton_names(self) -> list[str]:
        return [name for _, _, name, every_replica in self._jobs if not every_replica]

    async def start(self) -> None:
        """Async on purpose: APScheduler binds to the running loop (aiogram would run a plain
        function in a worker thread)."""
        for job, trigger, name, every_replica in self._jobs:
            run = self._logged(job, name) if every_replica else self._singleton(job, name)
            # One run at a time per job; runs missed while busy or stopped collapse into one.
            self.scheduler.add_job(
                run,
                trigger,
                id=name,
                name=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                replace_existing=True,
            )
        self._starting = True
        try:
            # Elected now: the catch-up is part of the start-up, as with one process.
            await self.leadership.start(self._leadership_changed)
            if self.is_leader:
                for job in self._when_elected:
                    await self._logged(job, "when-elected")()
        finally:
            self._starting = False
        self.scheduler.start()

    def _leadership_changed(self, leader: bool) -> None:
        CLOCK_LEADER.set(1 if leader else 0)
        if leader and not self._starting:
            for job in self._when_elected:
                task = asyncio.create_task(self._logged(job, "when-elected")())
                self._elected_work.add(task)
                task.add_done_callback(self._elected_work.discard)

    def _singleton(self, job: Job, name: str) -> Job:
        logged = self._logged(job, name)

        async def run() -> None:
            if not self.leadership.is_leader:
                log.debug("clock job %s: not the leader, tick skipped", name)
                return
            await logged()

        return run

    def _logged(self, job: Job, name: str) -> Job:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                if not self._stopping:
                    raise
                # Stopped with the bot after the grace: not a failure, the next run goes on.
                log.warning("clock job %s stopped with the bot before it finished", name)
            except Exception:
                # A failing tick must not kill the clock; the next tick tries again.
                log.exception("scheduled job %s failed", name)
            finally:
                self._running.discard(task)

        return run

    def shutdown(self) -> None:
        """Stops at once; a lease held stays until it runs out (`stop` hands it back)."""
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.leadership.abandon()
        CLOCK_LEADER.set(0)

    async def stop(self) -> None:
        """No new tick; the ticks under way get `stop_grace_s` to finish, then are cancelled
        (APScheduler's `shutdown(wait=False)` cancels them, and would log that as a failure)."""
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.pause()
            if self._running:
                await asyncio.wait(set(self._running), timeout=self.stop_grace_s)
            self.scheduler.shutdown(wait=False)
        for task in list(self._elected_work):
            task.cancel()
        if self._running:
            await asyncio.wait(set(self._running), timeout=1)
        await self.leadership.stop()
        CLOCK_LEADER.set(0)


class ShiftedTime:
    """Real time plus however far it was moved forward: the bot's `now` in the demo and the
    tests, which skip days (to a reminder) without waiting for them."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by
