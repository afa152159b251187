"""Virtual time for the limiter: sleeping waits for the clock, and the clock jumps to the next
sleeper's deadline only once every task has gone as far as it can (the only fake: time)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any


class VirtualClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), wake))
        await wake

    async def settle(self) -> None:
        """Let every task run until it waits (for the clock or for another task)."""
        for _ in range(50):
            await asyncio.sleep(0)

    async def advance(self) -> bool:
        """Settle, then move to the next deadline and wake its sleepers; False: nobody sleeps."""
        await self.settle()
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        if not self._sleepers:
            return False
        self.now = max(self.now, self._sleepers[0][0])
        while self._sleepers and self._sleepers[0][0] <= self.now:
            _, _, wake = heapq.heappop(self._sleepers)
            if not wake.done():
                wake.set_result(None)
        await self.settle()
        return True

    async def run(self, *steps: Awaitable[Any]) -> list[Any]:
        """Run `steps` together in virtual time until all are done."""
        tasks = [asyncio.ensure_future(step) for step in steps]
        while not all(task.done() for task in tasks):
            if not await self.advance() and not all(task.done() for task in tasks):
                raise AssertionError("deadlock: tasks wait, nobody sleeps")
        return [task.result() for task in tasks]

    async def run_until(self, condition, limit_s: float = 3600.0) -> None:
        """Advance until `condition()` holds."""
        deadline = self.now + limit_s
        while not condition():
            if self.now > deadline or not await self.advance():
                raise AssertionError("condition never held")
