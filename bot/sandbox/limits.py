"""Flood limits as Telegram applies them to bots: global, per private chat, per group."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxLimits:
    """Telegram's numbers by default; tests pass scaled ones so they run fast."""

    global_per_s: float = 30.0
    per_chat_per_s: float = 1.0
    per_chat_burst: int = 3
    group_per_min: float = 20.0
    enabled: bool = True

    def __post_init__(self) -> None:
        rates = (self.global_per_s, self.per_chat_per_s, self.per_chat_burst, self.group_per_min)
        if min(rates) <= 0:
            raise ValueError("sandbox limits must be positive; use enabled=False to lift them")


class TokenBucket:
    def __init__(self, capacity: float, rate_per_s: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate_per_s
        self.tokens = capacity
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self, now: float) -> float:
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class FloodControl:
    """Checks before a sending call and charges after it succeeded.

    A refused call costs nothing, as a bot that backs off on 429 should not be punished twice.
    """

    def __init__(self, limits: SandboxLimits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self._global = TokenBucket(limits.global_per_s, limits.global_per_s, clock())
        self._chats: dict[int, TokenBucket] = {}
        self._groups: dict[int, TokenBucket] = {}

    def _buckets(self, chat_id: int | None) -> list[TokenBucket]:
        now = self.clock()
        buckets = [self._global]
        if chat_id is None:
            return buckets
        limits = self.limits
        if chat_id not in self._chats:
            self._chats[chat_id] = TokenBucket(limits.per_chat_burst, limits.per_chat_per_s, now)
        buckets.append(self._chats[chat_id])
        if chat_id < 0:  # groups and supergroups have negative ids
            if chat_id not in self._groups:
                per_s = limits.group_per_min / 60
                self._groups[chat_id] = TokenBucket(limits.group_per_min, per_s, now)
            buckets.append(self._groups[chat_id])
        return buckets

    def retry_after(self, chat_id: int | None) -> int | None:
        """Whole seconds to wait (at least 1, like Telegram), or None when the call may go."""
        if not self.limits.enabled:
            return None
        now = self.clock()
        wait = max(bucket.wait_time(now) for bucket in self._buckets(chat_id))
        return max(1, math.ceil(wait)) if wait > 0 else None

    def charge(self, chat_id: int | None) -> None:
        if not self.limits.enabled:
            return
        now = self.clock()
        for bucket in self._buckets(chat_id):
            bucket.take(now)
