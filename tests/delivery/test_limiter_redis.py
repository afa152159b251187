"""Replicas share one pace through Redis: two limiters (two dispatchers, two connections, as
in two processes) on one key prefix stay under the global rate together, keep each chat's
pace together, and a 429 seen by one pauses the other. Real time, real Redis."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time

import pytest

from bot.delivery.lanes import Lane
from bot.delivery.limiter import Limiter, LimiterConfig
from bot.delivery.limiter_redis import RedisStore
from tests.helpers.redis_keys import REDIS_URL, keys_under, own_prefix, redis_reachable


@pytest.fixture
async def prefix():
    if not await redis_reachable():
        pytest.skip(f"Redis unreachable at {REDIS_URL}: the shared pace needs it")
    async with own_prefix("hlimit") as prefix:
        yield prefix


def replica(prefix: str, **config) -> Limiter:
    return Limiter(LimiterConfig(**config), store=RedisStore(REDIS_URL, prefix))


async def test_two_replicas_stay_under_the_global_rate_together(prefix) -> None:
    rate = 50.0
    config = {"global_per_s": rate, "private_per_s": 1000, "private_burst": 1000}
    first, second = replica(prefix, **config), replica(prefix, **config)
    chats = itertools.count(1)
    served = {"first": 0, "second": 0}

    async def worker(name: str, pace: Limiter, until: float) -> None:
        while time.monotonic() < until:
            await pace.acquire(next(chats), Lane.BULK)
            served[name] += 1

    try:
        started = time.monotonic()
        until = started + 2.0
        await asyncio.gather(
            *(worker("first", first, until) for _ in range(16)),
            *(worker("second", second, until) for _ in range(16)),
        )
        elapsed = time.monotonic() - started
    finally:
        await first.close()
        await second.close()

    total = served["first"] + served["second"]
    burst = first.config.global_burst
    assert total <= rate * elapsed + burst + 1  # one budget, not two
    assert total >= 0.7 * rate * elapsed  # and it is used (generous: a busy machine)
    assert min(served.values()) > 0.2 * total  # both replicas sent


async def test_a_reply_in_one_replica_goes_before_the_bulk_sends_of_the_other(prefix) -> None:
    rate = 10.0  # a token every 100 ms
    config = {"global_per_s": rate, "private_per_s": 1000, "private_burst": 1000}
    busy, replying = replica(prefix, **config), replica(prefix, **config)
    chats = itertools.count(1000)
    waits: list[float] = []
    done = asyncio.Event()

    async def bulk() -> None:
        while not done.is_set():
            await busy.acquire(next(chats), Lane.BULK)

    async def replies() -> None:
        await asyncio.sleep(0.5)  # the bulk sends use the whole budget
        for n in range(10):
            started = time.monotonic()
            await replying.acquire(n + 1, Lane.REPLY)
            waits.append(time.monotonic() - started)
            await asyncio.sleep(0.15)
        done.set()

    workers = [asyncio.ensure_future(bulk()) for _ in range(16)]
    try:
        await replies()
        await asyncio.gather(*workers)
    finally:
        for worker in workers:
            worker.cancel()
        await busy.close()
        await replying.close()
    # The next free token (100 ms), plus Redis round trips on a busy machine. Without the
    # replies' mark a reply races the other replica for each token, and loses some: then
    # it waits for two tokens or more.
    assert max(waits) <= 0.16
    assert statistics.mean(waits) <= 0.1


async def test_a_429_seen_by_one_replica_pauses_the_other(prefix) -> None:
    first, second = replica(prefix, global_per_s=100), replica(prefix, global_per_s=100)
    try:
        await first.pause(1.0)
        started = time.monotonic()
        await second.acquire(1, Lane.REPLY)
        waited = time.monotonic() - started
        assert second.paused_for >= 0 and second.paused_for < 1.0
    finally:
        await first.close()
        await second.close()
    assert waited >= 0.9


async def test_one_chats_pace_is_shared_by_the_replicas(prefix) -> None:
    config = {"global_per_s": 1000, "private_per_s": 5, "private_burst": 1}
    first, second = replica(prefix, **config), replica(prefix, **config)
    sent_at: list[float] = []

    async def send(pace: Limiter) -> None:
        await pace.acquire(4242, Lane.BULK)
        sent_at.append(time.monotonic())

    try:
        await asyncio.gather(*(send(first if n % 2 else second) for n in range(6)))
    finally:
        await first.close()
        await second.close()
    sent_at.sort()
    # Burst of 1, then one every 0.2 s whoever sends: 6 messages take at least 1 s.
    assert sent_at[-1] - sent_at[0] >= 0.95
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert min(gaps) >= 0.15


async def test_the_limiters_keys_expire(prefix) -> None:
    pace = replica(prefix, global_per_s=100, private_per_s=10, private_burst=1)
    try:
        await pace.pause(0.05)
        for chat_id in range(5):
            await pace.acquire(chat_id, Lane.BULK)
        assert await keys_under(prefix)  # global, pause or chats
        deadline = time.monotonic() + 5
        left = await keys_under(prefix)
        while left and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            left = await keys_under(prefix)
        assert left == []  # nothing accumulates
    finally:
        await pace.close()


async def test_an_unreachable_store_holds_sending_and_says_so(caplog) -> None:
    pace = Limiter(LimiterConfig(), store=RedisStore("redis://127.0.0.1:1/0", "hlimit-down"))
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pace.acquire(1, Lane.REPLY), timeout=0.5)
    finally:
        await pace.close()
    assert "limiter store unreachable" in caplog.text


async def test_a_limiter_closed_at_shutdown_connects_again_when_used(prefix) -> None:
    pace = replica(prefix, global_per_s=100)
    try:
        await pace.acquire(1, Lane.REPLY)
        await pace.close()
        await asyncio.wait_for(pace.acquire(2, Lane.REPLY), timeout=5)
    finally:
        await pace.close()
