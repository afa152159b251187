"""The limiter's buckets and pause in Redis, shared by every replica of the bot.

Each operation is one Lua script, so it is atomic across processes, and reads the time from
Redis (`TIME`), so the replicas' clocks need not agree. Keys, under
`{prefix}:limiter:`: `global` (the global bucket), `chat:<id>` (one chat's pace), `pause`
(set by a 429, expires when the pause is over) and `replies` (the replicas with a reply
waiting, each mark good for a second unless renewed: while one is there, the other replicas'
bulk sends hold back, so a reply goes first across replicas too). Every key expires once it
would be full or over again, so nothing accumulates.
"""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from bot.delivery.lanes import Lane
from bot.delivery.limiter import Grant

REPLY_MARK_S = 1.0

# A token bucket: KEYS[1] the bucket, KEYS[2] the pause and KEYS[3] the replies waiting (for
# a chat's bucket: KEYS[1] again, no pause, no lanes); ARGV rate per second, burst, tokens
# wanted, lane, this replica, how long its reply mark holds. Returns {granted, wait, paused}.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
if KEYS[2] ~= KEYS[1] then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if ARGV[4] == 'reply' then
    local hold = tonumber(ARGV[6])
    redis.call('ZADD', KEYS[3], now + hold, ARGV[5])
    redis.call('PEXPIRE', KEYS[3], math.ceil(hold * 1000) + 1000)
  else
    redis.call('ZREM', KEYS[3], ARGV[5])
  end
  local paused = redis.call('PTTL', KEYS[2])
  if paused > 0 then
    return {0, tostring(paused / 1000), 1}
  end
  if ARGV[4] ~= 'reply' and redis.call('ZCARD', KEYS[3]) > 0 then
    return {0, string.format('%.6f', 1 / rate), 0}
  end
end
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = 0
local wait = 0
if tokens >= 1 - 1e-9 then
  granted = math.max(1, math.min(want, math.floor(tokens + 1e-9)))
  tokens = tokens - granted
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens),
  'at', string.format('%.6f', now))
-- Gone once full again: a missing bucket is a full one.
redis.call('PEXPIRE', KEYS[1], math.ceil(((burst - tokens) / rate + 1) * 1000))
return {granted, string.format('%.6f', wait), 0}
"""

# KEYS[1] the pause; ARGV milliseconds. A shorter pause never shortens a longer one.
_PAUSE = """
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
end
return 1
"""


class RedisStore:
    """`limiter.LimiterStore` in Redis. The client is made in the event loop that uses it."""

    def __init__(self, url: str, prefix: str, timeout_s: float = 2.0) -> None:
        self._url = url
        self._timeout = timeout_s
        self.prefix = f"{prefix}:limiter"
        self._me = uuid.uuid4().hex  # this replica, in the replies waiting
        self._client: Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _redis(self) -> Redis:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = Redis.from_url(
                self._url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout
            )
            self._loop = loop
            self._take = self._client.register_script(_TAKE)
            self._pause = self._client.register_script(_PAUSE)
        return self._client

    async def take_global(self, want: int, rate: float, burst: float, lane: Lane) -> Grant:
        self._redis()
        keys = [f"{self.prefix}:global", f"{self.prefix}:pause", f"{self.prefix}:replies"]
        args = [rate, burst, want, lane.value, self._me, REPLY_MARK_S]
        granted, wait, paused = await self._take(keys=keys, args=args)
        return Grant(int(granted), float(wait), bool(int(paused)))

    async def replies_done(self) -> None:
        await self._redis().zrem(f"{self.prefix}:replies", self._me)

    async def take_chat(self, chat_id: int, rate: float, burst: float) -> float:
        self._redis()
        bucket = f"{self.prefix}:chat:{chat_id}"
        _, wait, _ = await self._take(keys=[bucket] * 3, args=[rate, burst, 1, "", "", 0])
        return float(wait)

    async def pause(self, seconds: float) -> None:
        self._redis()
        await self._pause(keys=[f"{self.prefix}:pause"], args=[max(1, round(seconds * 1000))])

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
