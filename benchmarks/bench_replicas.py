"""Updates handled per second by 1, 2 and 3 webhook replicas (`enavant run` processes) on
PostgreSQL + Redis, behind the sandbox's round-robin balancer, against the same sandbox.

Each run gets a fresh database, N replicas, and the same load: 200 registered participants
each sending 5 commands (`/help` and `/sessions` alternating) as fast as the sandbox takes
them, 1,000 updates in all; the sandbox's webhook delivers them (up to 40 at once, one chat
at a time). A run ends when the inbox holds every update, done. Start-up is not counted.

    python benchmarks/bench_replicas.py [--people 200] [--per-person 5]
        [--database postgresql+asyncpg://postgres@127.0.0.1:5432/enavant_bench]
        [--redis redis://127.0.0.1:6379/0]
prints {"replicas": {"1": {"updates_per_s": ..}, ..}, "ratio_to_one": {"2": .., "3": ..}}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import redis.asyncio as aioredis
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import ReceivedUpdate
from bot.sandbox import SandboxLimits, SandboxServer, UserClient
from bot.sandbox.balancer import Balancer
from tests.helpers.people import add_person
from tests.helpers.replicas import (
    TOKEN,
    WEBHOOK_PATH,
    Replicas,
    redis_prefix,
    replica_env,
)
from tests.helpers.sessions import add_session

FIRST_ID = 60_001


async def fresh_database(url: str) -> None:
    name = make_url(url).database
    server = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False)
    ).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await server.dispose()


async def cpu_seconds(http: aiohttp.ClientSession, url: str) -> float:
    async with http.get(f"{url}/metrics") as response:
        for line in (await response.text()).splitlines():
            if line.startswith("process_cpu_seconds_total "):
                return float(line.split()[1])
    return 0.0


async def one_run(count: int, args: argparse.Namespace) -> dict:
    await fresh_database(args.database)
    engine = create_engine(args.database)
    await upgrade(engine)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        for n in range(args.people):
            await add_person(session, FIRST_ID + n, telegram_id=FIRST_ID + n)
        await add_session(session, capacity=10)
        await session.commit()
    sandbox = SandboxServer(
        token=TOKEN,
        limits=SandboxLimits(global_per_s=100_000, per_chat_per_s=1000, per_chat_burst=1000),
    )
    await sandbox.start()
    prefix = redis_prefix()
    logs = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    replicas = Replicas(count, {}, logs)
    balancer = Balancer([replica.url for replica in replicas.members])
    await balancer.start()
    replicas.env = replica_env(
        token=TOKEN,
        api_url=sandbox.url,
        database_url=args.database,
        redis_url=args.redis,
        prefix=prefix,
        webhook_url=f"{balancer.url}{WEBHOOK_PATH}",
    )
    replicas.env["OUTBOX_TICK_S"] = "2"  # the default: the tests' faster clock costs CPU here
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    total = args.people * args.per_person
    try:
        replicas.start()
        await replicas.wait_ready(120)
        people = [
            UserClient(sandbox.url, FIRST_ID + n, "P", language_code="fr")
            for n in range(args.people)
        ]
        for user in people:
            user.http = http

        async def send_all(user: UserClient) -> None:
            for n in range(args.per_person):
                await user.send_text("/help" if n % 2 else "/sessions")

        cpu_before = [await cpu_seconds(http, replica.url) for replica in replicas.members]
        own_cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(send_all(user) for user in people))
        while True:
            async with sessionmaker() as session:
                done = await session.scalar(
                    select(func.count())
                    .select_from(ReceivedUpdate)
                    .where(ReceivedUpdate.done_at.is_not(None))
                )
            if done >= total:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        own_cpu = time.process_time() - own_cpu
        cpu = [
            await cpu_seconds(http, replica.url) - before
            for replica, before in zip(replicas.members, cpu_before, strict=True)
        ]
        return {
            "updates": total,
            "seconds": round(elapsed, 2),
            "updates_per_s": round(total / elapsed, 1),
            "per_replica": balancer.forwarded,
            # Where the machine's CPU went: each replica, and this process (the sandbox, the
            # balancer and the people).
            "replica_cpu_s": [round(seconds, 1) for seconds in cpu],
            "sandbox_cpu_s": round(own_cpu, 1),
        }
    finally:
        await balancer.stop()
        replicas.stop()
        await http.close()
        await sandbox.stop()
        await engine.dispose()
        client = aioredis.Redis.from_url(args.redis)
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--per-person", type=int, default=5)
    parser.add_argument("--replicas", default="1,2,3")
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/enavant_bench"
        ),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    results = {}
    for count in (int(n) for n in args.replicas.split(",")):
        results[str(count)] = await one_run(count, args)
    one = results.get("1", {}).get("updates_per_s")
    ratios = {n: round(result["updates_per_s"] / one, 2) for n, result in results.items() if one}
    print(
        json.dumps({"cpus": os.cpu_count(), "replicas": results, "ratio_to_one": ratios}, indent=2)
    )


if __name__ == "__main__":
    asyncio.run(main())
