"""Several replicas, one clock: singleton jobs run on the replica holding the leadership (a
lease in Redis, or an advisory lock in PostgreSQL), every-replica jobs everywhere; when the
leader dies another one takes over after the lease."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.common.metrics import CLOCK_LEADER
from bot.scheduler import (
    AlwaysLeader,
    Clock,
    Leadership,
    PostgresLeadership,
    RedisLeadership,
    leadership_for,
)

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LEASE_S = 2.0  # short, yet long enough for a busy CI machine to renew in time


def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    finally:
        client.close()
    return REDIS_URL


def postgres_url(database_url: str) -> str:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL")
    return database_url


def drop_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


async def until(condition: Callable[[], bool], limit_s: float = 10.0) -> float:
    """Waits for `condition`; returns how long it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit_s:
            raise AssertionError(f"still not true after {limit_s} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


class Replica:
    """A clock as a replica would have it: a singleton job, an every-replica job, the
    catch-up when elected; each counts its runs."""

    def __init__(self, leadership: Leadership) -> None:
        self.clock = Clock("Europe/Paris", leadership)
        self.singleton_runs = 0
        self.everywhere_runs = 0
        self.elected = 0
        self.clock.every(0.05, self._singleton, "digest")
        self.clock.every(0.05, self._everywhere, "outbox", every_replica=True)
        self.clock.when_elected(self._catch_up)

    async def _singleton(self) -> None:
        self.singleton_runs += 1

    async def _everywhere(self) -> None:
        self.everywhere_runs += 1

    async def _catch_up(self) -> None:
        self.elected += 1


async def two_replicas_one_leader(
    make: Callable[[], Leadership], die: Callable[[Replica], Awaitable[None]]
) -> None:
    first, second = Replica(make()), Replica(make())
    await first.clock.start()
    await second.clock.start()
    try:
        assert (first.clock.is_leader, second.clock.is_leader) == (True, False)
        assert (first.elected, second.elected) == (1, 0)
        await until(lambda: first.singleton_runs >= 5 and second.everywhere_runs >= 5)
        # The follower's singleton ticks are no-ops; its every-replica job runs.
        assert second.singleton_runs == 0
        assert first.everywhere_runs >= 1

        await die(first)
        died = time.monotonic()
        before = first.singleton_runs
        took = await until(lambda: second.clock.is_leader, limit_s=6 * LEASE_S)
        await until(lambda: second.singleton_runs >= 3)
        assert second.elected == 1  # the new leader caught up
        assert first.singleton_runs == before  # the dead leader ran nothing more
        assert not first.clock.is_leader
        assert time.monotonic() - died < 6 * LEASE_S, took
    finally:
        await first.clock.stop()
        await second.clock.stop()


async def test_sqlite_has_one_process_which_is_the_leader() -> None:
    leadership = leadership_for("sqlite+aiosqlite:///x.db", None, "enavant")
    assert isinstance(leadership, AlwaysLeader)
    replica = Replica(leadership)
    await replica.clock.start()
    try:
        assert replica.clock.is_leader and replica.elected == 1
        assert CLOCK_LEADER._value.get() == 1
        await until(lambda: replica.singleton_runs >= 2 and replica.everywhere_runs >= 2)
    finally:
        await replica.clock.stop()
    assert CLOCK_LEADER._value.get() == 0


async def test_redis_lease_passes_to_the_other_replica_when_the_leader_dies() -> None:
    url, prefix = redis_url(), f"t{uuid4().hex}"
    assert isinstance(leadership_for("sqlite+aiosqlite:///x.db", url, prefix), RedisLeadership)

    async def dies(replica: Replica) -> None:
        replica.clock.shutdown()  # no word to Redis: the lease runs out by itself

    try:
        await two_replicas_one_leader(
            lambda: RedisLeadership(url, f"{prefix}:clock:leader", lease_s=LEASE_S), dies
        )
    finally:
        drop_keys(prefix)


async def test_redis_lease_is_handed_back_at_shutdown() -> None:
    url, prefix = redis_url(), f"t{uuid4().hex}"
    key = f"{prefix}:clock:leader"
    client = redis.Redis.from_url(url)

    async def stops(replica: Replica) -> None:
        assert client.get(key) is not None
        await replica.clock.stop()
        assert client.get(key) is None  # handed back, not left to run out

    try:
        await two_replicas_one_leader(lambda: RedisLeadership(url, key, lease_s=LEASE_S), stops)
    finally:
        client.close()
        drop_keys(prefix)


async def test_postgres_lock_passes_to_the_other_replica_when_the_leader_dies(
    database_url: str, engine
) -> None:
    url = postgres_url(database_url)
    assert isinstance(leadership_for(url, None, "enavant"), PostgresLeadership)
    name = f"t{uuid4().hex}:clock:leader"

    async def dies(replica: Replica) -> None:
        # The process is gone: its clock stops and the server closes its connection.
        replica.clock.shutdown()
        async with engine.connect() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND granted AND pid <> pg_backend_pid() AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )

    await two_replicas_one_leader(lambda: PostgresLeadership(url, name, lease_s=LEASE_S), dies)


def start_replica(runs: Path, *backend: str) -> subprocess.Popen:
    command = [sys.executable, str(ROOT / "tests" / "helpers" / "clock_replica.py"), str(runs)]
    command += backend
    command += ["--lease", str(LEASE_S), "--every", "0.1"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_runs(runs: Path) -> list[list[str]]:
    if not runs.exists():
        return []
    return [line.split() for line in runs.read_text().splitlines() if line]


@pytest.mark.parametrize("backend", ["redis", "postgresql"])
async def test_kill_9_of_the_leader_process_passes_the_clock_on(
    backend: str, database_url: str, tmp_path: Path
) -> None:
    """Two processes, one clock: kill -9 the leader and the other runs the singleton job
    after the lease; at no time did both run it."""
    prefix = f"t{uuid4().hex}"
    if backend == "redis":
        args = ["--redis", redis_url(), "--key", f"{prefix}:clock:leader"]
    else:
        args = ["--database", postgres_url(database_url), "--key", f"{prefix}:clock:leader"]
    runs = tmp_path / "runs.txt"
    replicas = [start_replica(runs, *args), start_replica(runs, *args)]
    try:
        pids = {str(p.pid): p for p in replicas}

        def started() -> bool:
            return {r[1] for r in read_runs(runs) if r[0] == "started"} == set(pids)

        await until(started, limit_s=20)
        elected = [r[1] for r in read_runs(runs) if r[0] == "elected"]
        assert len(elected) == 1
        leader = elected[0]
        [follower] = set(pids) - {leader}

        def ran(pid: str) -> int:
            return sum(1 for r in read_runs(runs) if r[0] == pid)

        await until(lambda: ran(leader) >= 5)
        assert ran(follower) == 0

        pids[leader].send_signal(signal.SIGKILL)
        pids[leader].wait(timeout=5)
        killed = time.time()
        await until(lambda: ran(follower) >= 5, limit_s=6 * LEASE_S + 5)

        lines = read_runs(runs)
        order = [r[0] for r in lines if r[0] in pids]
        # All the leader's runs, then all the follower's: never both.
        assert order == sorted(order, key=lambda pid: pid == follower)
        taken_at = float(next(r[2] for r in lines if r[:2] == ["elected", follower]))
        first_run = min(float(r[1]) for r in lines if r[0] == follower)
        assert taken_at >= killed - 0.5 and first_run >= killed - 0.5
        assert taken_at - killed < 4 * LEASE_S
    finally:
        for process in replicas:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=5)
            process.stderr.close()
        if backend == "redis":
            drop_keys(prefix)
