"""One limiter for every outgoing call: Telegram's flood rules are physics (DESIGN.md §2.2).

- global: `global_per_s` sending calls per second (token bucket, a fifth of a second of burst);
- a private chat: `private_per_s` per second after a short burst (Telegram tolerates bursts
  of a few messages, e.g. a reply and the menu, but not a steady stream);
- a group: `group_per_min` per minute, spaced evenly;
- a 429 anywhere pauses every sending call for `retry_after` seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LimiterConfig:
    global_per_s: float = 25.0
    private_per_s: float = 1.0
    private_burst: int = 3
    group_per_min: float = 20.0


# Float refills can stop a hair short of a whole token; that hair is not worth a sleep.
_EPSILON = 1e-9


class _Bucket:
    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class Limiter:
    # Idle per-chat buckets are forgotten past this many, so memory stays bounded.
    MAX_IDLE_CHATS = 10_000

    def __init__(
        self,
        config: LimiterConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config or LimiterConfig()
        self._clock = clock
        self._sleep = sleep
        now = clock()
        self._global = _Bucket(
            max(1.0, self.config.global_per_s / 5), self.config.global_per_s, now
        )
        self._chats: dict[int, _Bucket] = {}
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `seconds` have passed."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    async def acquire(self, chat_id: int | None) -> None:
        """Wait until one more message may be sent (to `chat_id`, or to no chat in particular)."""
        while True:
            now = self._clock()
            waits = [self._paused_until - now, self._global.wait(now)]
            chat = self._chat(chat_id, now) if chat_id is not None else None
            if chat is not None:
                waits.append(chat.wait(now))
            delay = max(waits)
            if delay <= 0:
                # No await between the check and the take: concurrent callers cannot both pass.
                self._global.take()
                if chat is not None:
                    chat.take()
                return
            await self._sleep(delay)

    def _chat(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) >= self.MAX_IDLE_CHATS:
                self._forget_idle(now)
            if chat_id < 0:  # groups and channels
                per_s = self.config.group_per_min / 60
                bucket = _Bucket(1, per_s, now)
            else:
                bucket = _Bucket(self.config.private_burst, self.config.private_per_s, now)
            self._chats[chat_id] = bucket
        return bucket

    def _forget_idle(self, now: float) -> None:
        for chat_id, bucket in list(self._chats.items()):
            if bucket.wait(now) == 0 and bucket.tokens >= bucket.capacity:
                del self._chats[chat_id]
