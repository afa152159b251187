"""The limiter keeps Telegram's pace (global rate, per-chat pace, per-group pace, 429 pauses)
and hands its tokens out in order: a reply goes before every bulk send already waiting, each
lane first come, first served."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.delivery.lanes import Lane
from bot.delivery.limiter import Limiter, LimiterConfig
from tests.helpers.virtual_time import VirtualClock

FAST_CHATS = {"private_per_s": 1000, "private_burst": 1000}


def limiter(clock: VirtualClock, **config) -> Limiter:
    return Limiter(LimiterConfig(**config), clock=clock, sleep=clock.sleep)


class Log:
    """Who got a token, and when (virtual time)."""

    def __init__(self, clock: VirtualClock, pace: Limiter) -> None:
        self.clock = clock
        self.pace = pace
        self.served: list[tuple[str, float]] = []

    async def send(self, name: str, chat_id: int, lane: Lane) -> None:
        await self.pace.acquire(chat_id, lane)
        self.served.append((name, self.clock.now))

    def start(self, name: str, chat_id: int, lane: Lane = Lane.BULK) -> asyncio.Task:
        return asyncio.ensure_future(self.send(name, chat_id, lane))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.served]

    def at(self, name: str) -> float:
        return dict(self.served)[name]


async def test_global_rate_is_kept_over_many_chats() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=25)

    async def send_all() -> None:
        for chat_id in range(1, 251):
            await pace.acquire(chat_id)

    await clock.run(send_all())
    # 250 messages at 25/s: 10 s, minus the initial burst of a fifth of a second (5 messages).
    assert 9.7 <= clock.now - 1000.0 <= 10.0


async def test_one_private_chat_gets_a_short_burst_then_one_per_second() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=1000, private_per_s=1, private_burst=3)
    times = []

    async def send_six() -> None:
        for _ in range(6):
            await pace.acquire(42)
            times.append(clock.now - 1000.0)

    await clock.run(send_six())
    assert times[:3] == [0.0, 0.0, 0.0]
    assert [round(t, 6) for t in times[3:]] == [1.0, 2.0, 3.0]


async def test_group_messages_are_spaced_to_twenty_per_minute() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=1000, group_per_min=20)

    async def send_all() -> None:
        for _ in range(21):
            await pace.acquire(-100123)

    await clock.run(send_all())
    assert round(clock.now - 1000.0, 6) == 60.0


async def test_concurrent_callers_never_exceed_the_per_chat_pace() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=1000, private_per_s=1, private_burst=1)
    sent_at: list[float] = []

    async def send() -> None:
        await pace.acquire(7)
        sent_at.append(clock.now)

    await clock.run(*(send() for _ in range(5)))
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert all(gap >= 0.999 for gap in gaps)


async def test_a_reply_queued_after_thirty_bulk_sends_goes_next() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=10, **FAST_CHATS)  # a token every 0.1 s, burst 2
    log = Log(clock, pace)
    bulk = [log.start(f"bulk{n}", 100 + n) for n in range(30)]
    await clock.run_until(lambda: len(log.served) == 5)
    asked = clock.now
    reply = log.start("reply", 1, Lane.REPLY)
    await clock.run(reply, *bulk)

    assert log.names.index("reply") == 5  # not one bulk send that waited longer went first
    assert log.at("reply") - asked <= 0.1 + 1e-6  # the next free token, no more
    bulk_order = [name for name in log.names if name != "reply"]
    assert bulk_order == [f"bulk{n}" for n in range(30)]  # first come, first served


async def test_replies_keep_their_order_and_all_go_before_bulk() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=10, **FAST_CHATS)
    log = Log(clock, pace)
    bulk = [log.start(f"bulk{n}", 100 + n) for n in range(10)]
    await clock.run_until(lambda: len(log.served) == 3)
    replies = [log.start(f"reply{n}", 1 + n, Lane.REPLY) for n in range(4)]
    await clock.run(*bulk, *replies)

    assert log.names[3:7] == [f"reply{n}" for n in range(4)]
    assert log.names[7:] == [f"bulk{n}" for n in range(3, 10)]


async def test_a_reply_waits_for_its_own_chats_pace_then_goes_first() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=10, private_per_s=1, private_burst=1)
    log = Log(clock, pace)
    await clock.run(log.send("first", 1, Lane.REPLY))  # chat 1 has used its burst
    bulk = [log.start(f"bulk{n}", 100 + n) for n in range(30)]
    reply = log.start("second", 1, Lane.REPLY)
    await clock.run(reply, *bulk)

    # One second for the chat's pace, then the next global token: about 10 bulk sends
    # went meanwhile, none after.
    assert 1.0 <= log.at("second") - log.at("first") <= 1.1 + 1e-6
    served_before = log.names.index("second") - 1
    assert 9 <= served_before <= 12


async def test_a_waiter_cancelled_in_the_queue_costs_nothing() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=1, **FAST_CHATS)  # one token a second, burst 1
    log = Log(clock, pace)
    await clock.run(log.send("a", 1, Lane.BULK))
    leaving = log.start("leaving", 2)
    staying = log.start("staying", 3)
    await clock.settle()
    leaving.cancel()
    await clock.run(staying)

    assert log.names == ["a", "staying"]
    assert log.at("staying") - log.at("a") == 1.0  # the token meant for the one who left
    assert pace.waiting == 0
    # The queue still flows.
    await clock.run(log.send("after", 4, Lane.REPLY))
    assert log.at("after") - log.at("staying") == 1.0


async def test_a_429_pauses_every_chat_and_replies_go_first_after_it() -> None:
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=10, **FAST_CHATS)
    log = Log(clock, pace)
    bulk = [log.start(f"bulk{n}", 100 + n) for n in range(10)]
    await clock.run_until(lambda: len(log.served) == 3)
    paused_at = clock.now
    await pace.pause(7)
    assert 6.9 <= pace.paused_for <= 7
    reply = log.start("reply", 1, Lane.REPLY)
    await clock.run(reply, *bulk)

    after = [(name, at) for name, at in log.served if at > paused_at]
    assert after[0][0] == "reply"
    assert all(at >= paused_at + 7 for _, at in after)
    assert len(after) == 8


async def test_bulk_alone_gets_every_token_the_rate_allows() -> None:
    """In virtual time: the dispatcher sleeps exactly until the next token, none is lost."""
    clock = VirtualClock()
    pace = limiter(clock, global_per_s=1000, **FAST_CHATS)
    burst = pace.config.global_burst
    chats = itertools.count(1)
    served = 0

    async def worker() -> None:
        nonlocal served
        while clock.now < 1005.0:
            await pace.acquire(next(chats), Lane.BULK)
            served += 1

    await clock.run(*(worker() for _ in range(32)))
    assert served >= burst + 1000 * 5.0 * 0.999


async def test_bulk_alone_reaches_the_configured_rate() -> None:
    """Real time, a high rate (a busy machine may stall the loop a little: a fifth of a
    second of burst absorbs it)."""
    rate = 500.0
    pace = Limiter(LimiterConfig(global_per_s=rate, private_per_s=1e6, private_burst=10**6))
    served = 0
    chats = itertools.count(1)

    async def worker(until: float) -> None:
        nonlocal served
        while time.monotonic() < until:
            await pace.acquire(next(chats), Lane.BULK)
            served += 1

    for _ in range(int(pace.config.global_burst)):  # the burst spent: the steady rate follows
        await pace.acquire(0, Lane.BULK)
    started = time.monotonic()
    await asyncio.gather(*(worker(started + 3.0) for _ in range(32)))
    elapsed = time.monotonic() - started
    assert served / (rate * elapsed) >= 0.95
    assert served <= rate * elapsed + pace.config.global_burst + 32
