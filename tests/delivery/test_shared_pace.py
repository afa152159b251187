"""Two bot processes send one outbox through one sandbox that enforces Telegram's global
limit: with the pace shared through Redis they stay under it together (0 429s), send every
row exactly once, and when one is killed (`kill -9`) the other carries on after the lease.

Needs PostgreSQL (TEST_DATABASE_URL: two processes on one database) and Redis."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.db.models import OutboxMessage, OutboxStatus
from bot.delivery import outbox
from bot.sandbox import SandboxLimits, UserClient
from tests.conftest import TEST_DATABASE_URL
from tests.delivery.conftest import TOKEN
from tests.helpers.outbox import bot_messages
from tests.helpers.redis_keys import REDIS_URL, own_prefix, redis_reachable

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="replicas share PostgreSQL; on SQLite one process sends (set TEST_DATABASE_URL)",
)

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 200.0  # what the sandbox enforces, per second
PACE = 0.9 * LIMIT  # what the bot is configured to
LEASE_S = 3.0  # short, so the survivor takes the dead one's rows soon (the default: 45 s)


@pytest.fixture
def sandbox_limits() -> SandboxLimits:
    return SandboxLimits(global_per_s=LIMIT, per_chat_per_s=1, per_chat_burst=3)


@pytest.fixture
async def prefix():
    if not await redis_reachable():
        pytest.skip(f"Redis unreachable at {REDIS_URL}: replicas share their pace through it")
    async with own_prefix("hlimit") as prefix:
        yield prefix


async def people_with_a_message(sandbox, sessionmaker, first: int, count: int) -> list[int]:
    """`count` people who opened the bot, each with one message waiting in the outbox."""
    chats = list(range(first, first + count))
    gate = asyncio.Semaphore(20)

    async def meet(chat_id: int, http: aiohttp.ClientSession) -> None:
        async with gate:
            person = UserClient(sandbox.url, user_id=chat_id)
            person.http = http
            await person.send_text("/start")

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(meet(chat_id, http) for chat_id in chats))
    messages = [
        outbox.OutMessage(
            chat_id, f"pace:{chat_id}", "fallback-command", {"command": f"/m{chat_id}"}
        )
        for chat_id in chats
    ]
    async with sessionmaker() as session:  # one statement, as a digest for everyone
        await outbox.enqueue_many(session, messages)
        await session.commit()
    return chats


class Replica:
    """`tests/helpers/sender_process.py` in its own OS process."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, sandbox, database_url: str, prefix: str, lease_s: float = 45.0) -> Replica:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": sandbox.url,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "SEND_GLOBAL_PER_S": str(PACE),
            "SEND_PRIVATE_PER_S": "1",
            "SEND_PRIVATE_BURST": "3",
            "OUTBOX_LEASE_S": str(lease_s),
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.helpers.sender_process",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return cls(process)

    async def ready(self) -> None:
        """Its imports done and its app built (a few seconds on a busy machine)."""
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout=60)
        assert line.strip() == b"ready"

    async def stop(self) -> int:
        """SIGTERM; returns how many rows it handled."""
        self.process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(self.process.communicate(), timeout=20)
        lines = [line for line in out.decode().splitlines() if line.startswith("handled ")]
        return int(lines[-1].split()[1])

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


class Receipts:
    """When the sandbox received the bot's messages: its counter, sampled every 10 ms."""

    def __init__(self, sandbox) -> None:
        self.stats = sandbox.stats
        self.samples: list[tuple[float, int]] = []
        self._task = asyncio.ensure_future(self._sample())

    async def _sample(self) -> None:
        while True:
            self.samples.append((time.monotonic(), self.stats["sent_messages"]))
            await asyncio.sleep(0.01)

    async def until(self, count: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while self.stats["sent_messages"] < count:
            assert time.monotonic() < deadline, f"{self.stats['sent_messages']} of {count} sent"
            await asyncio.sleep(0.02)

    def rate(self, base: int) -> float:
        """Messages per second from the first to the last one received after `base`."""
        self._task.cancel()
        first = next(at for at, count in self.samples if count > base)
        last_count = self.samples[-1][1]
        last = next(at for at, count in self.samples if count == last_count)
        return (last_count - base) / (last - first)


async def count_rows(sessionmaker, status: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
        )


def deliveries(sandbox, chats: list[int]) -> collections.Counter:
    return collections.Counter(
        (chat_id, m.text) for chat_id in chats for m in bot_messages(sandbox, chat_id)
    )


async def test_two_processes_share_one_pace_and_send_every_row_once(
    sandbox, sessionmaker, database_url, prefix
):
    replicas = [await Replica.start(sandbox, database_url, prefix) for _ in range(2)]
    try:
        base = sandbox.stats["sent_messages"]
        receipts = Receipts(sandbox)
        chats, *_ = await asyncio.gather(
            people_with_a_message(sandbox, sessionmaker, 10_000, 2000),
            *(replica.ready() for replica in replicas),
        )
        await receipts.until(base + len(chats), timeout_s=60)
        handled = await asyncio.gather(*(replica.stop() for replica in replicas))
    finally:
        for replica in replicas:
            replica.kill()

    assert sandbox.stats["http_429"] == 0
    received = deliveries(sandbox, chats)
    assert len(received) == len(chats)  # none lost
    assert set(received.values()) == {1}  # none twice
    assert await count_rows(sessionmaker, OutboxStatus.SENT) == len(chats)
    assert sum(handled) == len(chats)
    assert min(handled) > 0.2 * len(chats)  # both processes really sent
    assert receipts.rate(base) <= LIMIT


async def test_a_killed_process_loses_nothing_and_the_other_carries_on(
    sandbox, sessionmaker, database_url, prefix
):
    killed, survivor = [
        await Replica.start(sandbox, database_url, prefix, lease_s=LEASE_S) for _ in range(2)
    ]
    try:
        base = sandbox.stats["sent_messages"]
        receipts = Receipts(sandbox)
        chats, *_ = await asyncio.gather(
            people_with_a_message(sandbox, sessionmaker, 20_000, 1200),
            killed.ready(),
            survivor.ready(),
        )
        await receipts.until(base + len(chats) // 3, timeout_s=60)
        killed.process.send_signal(signal.SIGKILL)
        await killed.process.wait()
        in_flight = await count_rows(sessionmaker, OutboxStatus.SENDING)
        # The survivor sends the rest, and the dead one's rows once their lease is over.
        deadline = time.monotonic() + 60
        while await count_rows(sessionmaker, OutboxStatus.SENT) < len(chats):
            assert time.monotonic() < deadline, "the survivor did not finish"
            await asyncio.sleep(0.1)
        await survivor.stop()
    finally:
        killed.kill()
        survivor.kill()

    assert sandbox.stats["http_429"] == 0
    received = deliveries(sandbox, chats)
    assert len(received) == len(chats)  # none lost
    duplicates = sum(received.values()) - len(chats)
    assert max(received.values()) <= 2
    assert duplicates <= in_flight  # at most once more, and only what was in flight
    assert receipts.rate(base) <= LIMIT
