"""Several `enavant run` processes in webhook mode on PostgreSQL + Redis, behind a round-robin
balancer the sandbox's webhook points at. Skipped unless TEST_DATABASE_URL is PostgreSQL and
Redis answers (CI's PostgreSQL pass has both).

Starting a replica costs seconds (importing aiogram), so the tests of a module share one
cluster, on a database of their own (`<test database>_replicas`): the per-test emptying of
the shared test database must not run under live replicas."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.sandbox import SandboxLimits, SandboxServer
from bot.sandbox.balancer import Balancer
from tests.helpers.replicas import TOKEN, WEBHOOK_PATH, Replicas, redis_prefix, replica_env

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def redis_url() -> AsyncIterator[str]:
    if not TEST_DATABASE_URL or make_url(TEST_DATABASE_URL).get_backend_name() != "postgresql":
        pytest.skip("replicas need PostgreSQL: set TEST_DATABASE_URL")
    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (aioredis.ConnectionError, OSError):
        pytest.skip(f"replicas need Redis: none at {REDIS_URL}")
    finally:
        await client.aclose()
    yield REDIS_URL


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def replica_database(redis_url: str) -> AsyncIterator[str]:
    """A fresh, migrated database for this module's replicas (one per xdist worker)."""
    url = make_url(TEST_DATABASE_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{url.database}_replicas{'_' + worker if worker else ''}"
    server = create_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await server.dispose()
    own = url.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(own)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    yield own


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def replica_sessionmaker(
    replica_database: str,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(replica_database)
    yield create_sessionmaker(engine)
    await engine.dispose()


@dataclass
class Cluster:
    sandbox: SandboxServer
    balancer: Balancer
    replicas: Replicas
    prefix: str
    http: aiohttp.ClientSession  # for the people of the tests (many at once)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(
    redis_url: str, replica_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    """Two replicas, ready; everything stopped (and the Redis keys deleted) after."""
    sandbox = SandboxServer(
        token=TOKEN,
        limits=SandboxLimits(global_per_s=5000, per_chat_per_s=100, per_chat_burst=100),
        # A press is answered once the person's earlier updates are handled: on a busy
        # machine, in a 200-person rush, that may be after Telegram's usual patience.
        callback_query_ttl=300,
        # Telegram retries a failed delivery for hours; the sandbox's default gives up
        # after 4 tries, which a replica killed mid-rush may cost.
        webhook_attempts=30,
    )
    await sandbox.start()
    prefix = redis_prefix()
    replicas = Replicas(2, {}, Path(tmp_path_factory.mktemp("replicas")))
    balancer = Balancer([replica.url for replica in replicas.members])
    await balancer.start()
    replicas.env = replica_env(
        token=TOKEN,
        api_url=sandbox.url,
        database_url=replica_database,
        redis_url=redis_url,
        prefix=prefix,
        webhook_url=f"{balancer.url}{WEBHOOK_PATH}",
    )
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    try:
        replicas.start()
        await replicas.wait_ready()
        yield Cluster(sandbox, balancer, replicas, prefix, http)
    finally:
        await balancer.stop()  # its kept-alive connections would hold the replicas' shutdown
        replicas.stop()
        await http.close()
        await sandbox.stop()
        client = aioredis.Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
