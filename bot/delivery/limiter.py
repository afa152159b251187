"""One limiter for every outgoing call: Telegram's flood rules are physics (DESIGN.md §2.2).

- global: `global_per_s` sending calls per second (token bucket, a fifth of a second of burst);
- a private chat: `private_per_s` per second after a short burst (Telegram tolerates bursts
  of a few messages, e.g. a reply and the menu, but not a steady stream);
- a group: `group_per_min` per minute, spaced evenly;
- a 429 anywhere pauses every sending call for `retry_after` seconds.

Tokens are handed out in order, not raced for: a caller first waits for its own chat's pace,
then queues for a global token in its lane (`lanes.Lane`). One task per process, the
dispatcher, hands the global tokens out: the head of the REPLY lane before any BULK waiter,
each lane first come, first served. It asks the store for tokens only while someone waits,
and sleeps exactly until the store says the next one is due (no polling).

The buckets and the pause live in a store: in memory (one process, the default), or in Redis
(`limiter_redis.RedisStore`, when REDIS_URL is set) so that every replica shares one global
pace, each chat's pace, and a 429 seen by one pauses all. When the store cannot be reached,
the limiter fails closed: nothing is sent, the error is logged, and the store is asked again
after a short backoff (sending blind could break Telegram's limits for the whole bot).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.delivery.lanes import Lane, current_lane

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LimiterConfig:
    global_per_s: float = 25.0
    private_per_s: float = 1.0
    private_burst: int = 3
    group_per_min: float = 20.0

    @property
    def global_burst(self) -> float:
        return max(1.0, self.global_per_s / 5)

    def chat_pace(self, chat_id: int) -> tuple[float, float]:
        """(rate per second, burst) of one chat."""
        if chat_id < 0:  # groups and channels
            return self.group_per_min / 60, 1.0
        return self.private_per_s, float(self.private_burst)


@dataclass(frozen=True)
class Grant:
    """The store's answer: `granted` global tokens taken (0 to the number asked), or none and
    the seconds to wait before asking again (`paused`: because of a 429)."""

    granted: int
    wait: float = 0.0
    paused: bool = False


class LimiterStore(Protocol):
    async def take_global(self, want: int, rate: float, burst: float, lane: Lane) -> Grant:
        """Up to `want` global tokens for waiters of `lane` (a shared store lets a reply
        waiting in one process go before the bulk sends of the others)."""
        ...

    async def replies_done(self) -> None:
        """This process has no reply waiting any more."""
        ...

    async def take_chat(self, chat_id: int, rate: float, burst: float) -> float:
        """0 when the chat's token was taken, else the seconds until one is due."""
        ...

    async def pause(self, seconds: float) -> None: ...

    async def close(self) -> None: ...


# Float refills can stop a hair short of a whole token; that hair is not worth a sleep.
_EPSILON = 1e-9


class _Bucket:
    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now

    def wait(self, now: float) -> float:
        self.refill(now)
        return 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.rate


class MemoryStore:
    """The buckets of one process (SQLite, one bot process)."""

    # Idle per-chat buckets are forgotten past this many, so memory stays bounded.
    MAX_IDLE_CHATS = 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._global: _Bucket | None = None
        self._chats: dict[int, _Bucket] = {}
        self._paused_until = 0.0

    async def take_global(self, want: int, rate: float, burst: float, lane: Lane) -> Grant:
        now = self._clock()
        if self._paused_until > now:
            return Grant(0, self._paused_until - now, paused=True)
        if self._global is None:
            self._global = _Bucket(burst, rate, now)
        bucket = self._global
        wait = bucket.wait(now)
        if wait > 0:
            return Grant(0, wait)
        granted = max(1, min(want, int(bucket.tokens + _EPSILON)))
        bucket.tokens -= granted
        return Grant(granted)

    async def take_chat(self, chat_id: int, rate: float, burst: float) -> float:
        now = self._clock()
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) >= self.MAX_IDLE_CHATS:
                self._forget_idle(now)
            bucket = self._chats[chat_id] = _Bucket(burst, rate, now)
        wait = bucket.wait(now)
        if wait <= 0:
            bucket.tokens -= 1
        return wait

    async def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def replies_done(self) -> None:
        return None  # one process: its dispatcher already puts replies first

    async def close(self) -> None:
        return None

    def _forget_idle(self, now: float) -> None:
        for chat_id, bucket in list(self._chats.items()):
            if bucket.wait(now) == 0 and bucket.tokens >= bucket.capacity:
                del self._chats[chat_id]


class Limiter:
    # Global tokens asked of the store at once, at most (one round trip for several waiters).
    MAX_BATCH = 8
    # A token taken for a waiter who left meanwhile goes to the next one, if soon enough.
    SPARE_TTL_S = 1.0
    STORE_BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0)

    def __init__(
        self,
        config: LimiterConfig | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        store: LimiterStore | None = None,
    ) -> None:
        self.config = config or LimiterConfig()
        self._clock = clock
        self._sleep = sleep
        self.store = store or MemoryStore(clock)
        self._queues: dict[Lane, deque[asyncio.Future[None]]] = {
            Lane.REPLY: deque(),
            Lane.BULK: deque(),
        }
        self._waiting = 0  # live waiters in the queues
        self._replies = 0  # of which in the reply lane
        self._replies_told = False  # the store knows a reply of ours waits
        self._spare: deque[float] = deque()  # when each token in hand was taken
        self._runner: asyncio.Task[None] | None = None
        self._paused_until = 0.0
        self._store_failures = 0
        self._closed = False

    # -- the API of the callers (request_limits) ------------------------------------------

    async def acquire(self, chat_id: int | None, lane: Lane | None = None) -> None:
        """Wait until one more message may be sent (to `chat_id`, or to no chat in particular),
        in `lane` (by default the lane of the current context)."""
        self._closed = False  # used again after close(): the store connects again
        lane = lane or current_lane.get()
        if chat_id is not None:
            await self._chat_pace(chat_id)
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        self._queues[lane].append(turn)
        self._count(lane, 1)
        self._wake(loop)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.cancelled():
                self._count(lane, -1)  # the dispatcher skips it
            else:  # a token came just as the caller left: it goes to the next one
                self._spare.append(self._clock())
                self._wake(loop)
            raise

    async def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `seconds` have passed (in every replica
        sharing the store)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        try:
            await self.store.pause(seconds)
        except Exception as error:  # this process pauses anyway
            log.error("limiter store unreachable, the pause is local only: %r", error)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    @property
    def waiting(self) -> int:
        return self._waiting

    async def close(self) -> None:
        """Let the store's connections go (at shutdown); a later call connects again."""
        self._closed = True
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
        await self.store.close()

    # -- the per-chat pace --------------------------------------------------------------------

    async def _chat_pace(self, chat_id: int) -> None:
        rate, burst = self.config.chat_pace(chat_id)
        while True:
            try:
                wait = await self.store.take_chat(chat_id, rate, burst)
            except Exception as error:
                wait = self._store_down(error)
            else:
                self._store_up()
            if wait <= 0:
                return
            await self._sleep(wait)

    # -- the dispatcher ----------------------------------------------------------------------

    def _count(self, lane: Lane, change: int) -> None:
        self._waiting += change
        if lane is Lane.REPLY:
            self._replies += change

    def _wake(self, loop: asyncio.AbstractEventLoop) -> None:
        runner = self._runner
        if runner is None or runner.done() or runner.get_loop() is not loop:
            self._runner = loop.create_task(self._run(), name="limiter-dispatcher")

    def _next(self) -> asyncio.Future[None] | None:
        """The first live waiter: replies first, then bulk; cancelled ones are dropped."""
        for lane in (Lane.REPLY, Lane.BULK):
            queue = self._queues[lane]
            while queue and queue[0].done():
                queue.popleft()
            if queue:
                return queue[0]
        return None

    def _hand_out(self) -> None:
        now = self._clock()
        while self._spare and now - self._spare[0] > self.SPARE_TTL_S:
            self._spare.popleft()
        while self._spare and (turn := self._next()) is not None:
            self._spare.popleft()
            for lane in (Lane.REPLY, Lane.BULK):
                if self._queues[lane] and self._queues[lane][0] is turn:
                    self._queues[lane].popleft()
                    self._count(lane, -1)
                    break
            turn.set_result(None)

    async def _run(self) -> None:
        config = self.config
        while True:
            self._hand_out()
            if self._replies_told and not self._replies:
                await self._replies_served()
            if self._next() is None:
                return  # started again by the next waiter
            pause = self._paused_until - self._clock()
            if pause > 0:
                await self._sleep(pause)
                continue
            lane = Lane.REPLY if self._replies else Lane.BULK
            want = self._replies if lane is Lane.REPLY else self._waiting
            self._replies_told |= lane is Lane.REPLY
            try:
                grant = await self.store.take_global(
                    max(1, min(want, self.MAX_BATCH)),
                    config.global_per_s,
                    config.global_burst,
                    lane,
                )
            except Exception as error:
                if self._closed:
                    return
                await self._sleep(self._store_down(error))
                continue
            self._store_up()
            if grant.granted:
                taken = self._clock()
                self._spare.extend([taken] * grant.granted)
                continue
            if grant.paused:
                self._paused_until = max(self._paused_until, self._clock() + grant.wait)
            await self._sleep(grant.wait)

    async def _replies_served(self) -> None:
        self._replies_told = False
        try:
            await self.store.replies_done()
        except Exception as error:  # the mark expires by itself
            log.warning("limiter store: replies done not recorded: %r", error)

    def _store_down(self, error: BaseException) -> float:
        """Fail closed: nothing is sent while the shared pace is unknown; ask again soon."""
        backoff = self.STORE_BACKOFF_S[min(self._store_failures, len(self.STORE_BACKOFF_S) - 1)]
        if self._store_failures == 0 and not self._closed:
            log.error(
                "limiter store unreachable (%r): sending is held until it answers again", error
            )
        self._store_failures += 1
        return backoff

    def _store_up(self) -> None:
        if self._store_failures:
            log.warning(
                "limiter store answers again after %s failed tries: sending resumes",
                self._store_failures,
            )
            self._store_failures = 0
        self._closed = False
