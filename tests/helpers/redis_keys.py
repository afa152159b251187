"""A Redis key prefix of one test's own, its keys deleted at the end (never FLUSHDB)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

REDIS_URL = (
    os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
)


async def redis_reachable(url: str = REDIS_URL) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


@asynccontextmanager
async def own_prefix(stem: str, url: str = REDIS_URL) -> AsyncIterator[str]:
    from redis.asyncio import Redis

    prefix = f"{stem}{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        client = Redis.from_url(url)
        try:
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=500)]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()


async def keys_under(prefix: str, url: str = REDIS_URL) -> list[bytes]:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        return [key async for key in client.scan_iter(match=f"{prefix}:*", count=500)]
    finally:
        await client.aclose()
