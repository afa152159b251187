"""Two replicas starting at once on an empty PostgreSQL database: one migrates, the other waits
for it and finds nothing to do; both start, the schema is at head."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db.engine import create_engine
from bot.db.migrate import head_revisions

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"
)
ROOT = Path(__file__).resolve().parent.parent

# A replica's start-up up to the migration: everything imported, then it waits for the signal
# so that both migrate at the same moment.
REPLICA = """
import asyncio, sys, time
from pathlib import Path
from bot.db.engine import create_engine
from bot.db.migrate import upgrade

ready, go, url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

async def main():
    engine = create_engine(url)
    try:
        async with engine.connect():
            pass  # connected, as a replica is when it reaches the migration
        ready.touch()
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        await upgrade(engine)
    finally:
        await engine.dispose()

asyncio.run(main())
"""


async def _admin(statement: str) -> None:
    server = make_url(TEST_DATABASE_URL).set(database="postgres")
    engine = create_engine(server.render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _revisions(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows}
    finally:
        await engine.dispose()


def test_two_replicas_migrating_an_empty_database_at_once_both_succeed(tmp_path: Path) -> None:
    name = f"h_mig_{uuid.uuid4().hex[:12]}"
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    processes: list[subprocess.Popen[str]] = []
    try:
        go = tmp_path / "go"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for replica in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        REPLICA,
                        str(tmp_path / f"ready{replica}"),
                        str(go),
                        url,
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
            assert time.monotonic() < deadline, "the replicas did not start"
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            time.sleep(0.02)
        go.touch()
        for process in processes:
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr[-3000:]

        assert asyncio.run(_revisions(url)) == head_revisions()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
