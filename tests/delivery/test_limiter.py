"""The limiter keeps Telegram's pace: global rate, per-chat pace, per-group pace, 429 pauses."""

from __future__ import annotations

import asyncio
import itertools

from bot.delivery.limiter import Limiter, LimiterConfig


class FakeClock:
    """Virtual time: sleeping advances the clock instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def limiter(clock: FakeClock, **config) -> Limiter:
    return Limiter(LimiterConfig(**config), clock=clock, sleep=clock.sleep)


async def test_global_rate_is_kept_over_many_chats() -> None:
    clock = FakeClock()
    pace = limiter(clock, global_per_s=25)
    start = clock.now
    for chat_id in range(1, 251):
        await pace.acquire(chat_id)
    elapsed = clock.now - start
    # 250 messages at 25/s: 10 s, minus the initial burst of a fifth of a second (5 messages).
    assert 9.7 <= elapsed <= 10.0


async def test_one_private_chat_gets_a_short_burst_then_one_per_second() -> None:
    clock = FakeClock()
    pace = limiter(clock, global_per_s=1000, private_per_s=1, private_burst=3)
    times = []
    for _ in range(6):
        await pace.acquire(42)
        times.append(clock.now - 1000.0)
    assert times[:3] == [0.0, 0.0, 0.0]
    assert [round(t, 6) for t in times[3:]] == [1.0, 2.0, 3.0]


async def test_group_messages_are_spaced_to_twenty_per_minute() -> None:
    clock = FakeClock()
    pace = limiter(clock, global_per_s=1000, group_per_min=20)
    for _ in range(21):
        await pace.acquire(-100123)
    assert round(clock.now - 1000.0, 6) == 60.0


async def test_a_429_pauses_every_chat() -> None:
    clock = FakeClock()
    pace = limiter(clock, global_per_s=1000)
    pace.pause(7)
    await pace.acquire(1)
    assert clock.now - 1000.0 >= 7


async def test_concurrent_callers_never_exceed_the_per_chat_pace() -> None:
    clock = FakeClock()
    pace = limiter(clock, global_per_s=1000, private_per_s=1, private_burst=1)
    sent_at: list[float] = []

    async def send() -> None:
        await pace.acquire(7)
        sent_at.append(clock.now)

    await asyncio.gather(*(send() for _ in range(5)))
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert all(gap >= 0.999 for gap in gaps)
