"""The outbox's rows, what the sandbox received from the sender, and a sender that crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.delivery import outbox

ROOT = Path(__file__).resolve().parents[2]


def bot_messages(sandbox, chat_id: int) -> list:
    return [m for m in sandbox.chat_messages(chat_id) if m.from_bot]


async def rows(sessionmaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def enqueue_many(sessionmaker, chat_id: int, count: int, prefix: str = "m") -> None:
    async with sessionmaker() as session:
        for n in range(count):
            await outbox.enqueue(
                session,
                chat_id=chat_id,
                dedupe_key=f"{prefix}:{chat_id}:{n}",
                key="fallback-command",
                variables={"command": f"/{prefix}{n}"},
            )
        await session.commit()


async def kill_a_drain_midway(
    settings: dict[str, str], sent: Callable[[], int], at_least: int, *, start_s: float = 30
) -> None:
    """`enavant outbox drain` in a process of its own, with `settings` over this environment,
    killed (SIGKILL, as a crash) once `sent()` reaches `at_least`. The process takes a few
    seconds to start (imports), more on a busy machine: up to `start_s`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **settings}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "outbox",
        "drain",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + start_s
    while loop.time() < deadline and sent() < at_least:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    await process.wait()
