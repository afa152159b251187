"""Shared fixtures: a migrated database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), emptied between tests. Under pytest-xdist each worker has a
PostgreSQL database of its own (`<name>_gw0`, `<name>_gw1`...), created when missing."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import get_settings
from bot.db.base import Base
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from tests.helpers.cli import NAMES as CLI_NAMES

# The SMS provider and SMTP server stubs, as fixtures for every test (`sms_stub`, `smtp_stub`).
pytest_plugins = ("tests.helpers.sms_stub", "tests.helpers.smtp_stub")

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
_postgres_schema_ready = False
_databases_made: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_sqlite: the test runs the command on a SQLite file of its own, whatever "
        "TEST_DATABASE_URL says, so the PostgreSQL pass would only repeat it",
    )
    config.addinivalue_line(
        "markers", "translated: the bot translates through a local LibreTranslate stub"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not TEST_DATABASE_URL:
        return
    repeat = pytest.mark.skip(reason="own SQLite file: covered by the SQLite pass")
    for item in items:
        if item.get_closest_marker("own_sqlite"):
            item.add_marker(repeat)


def _worker_url(worker: str) -> str:
    """The PostgreSQL database of this xdist worker ("master" without xdist: the one given)."""
    if worker == "master":
        return TEST_DATABASE_URL
    url = make_url(TEST_DATABASE_URL)
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


async def _ensure_database(url: str) -> None:
    if url == TEST_DATABASE_URL or url in _databases_made:
        return
    name = make_url(url).database
    server = create_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as connection:
            found = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await server.dispose()
    _databases_made.add(url)


@pytest.fixture
def database_url(tmp_path: Path, worker_id: str) -> str:
    # `worker_id` is pytest-xdist's: "gw0", "gw1"..., or "master" in a single process.
    if TEST_DATABASE_URL:
        return _worker_url(worker_id)
    return f"sqlite+aiosqlite:///{tmp_path / 'enavant.db'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    if TEST_DATABASE_URL:
        await _ensure_database(database_url)
    engine = create_engine(database_url)
    if TEST_DATABASE_URL:
        await _fresh_postgres(engine)
    else:
        await upgrade(engine)
    yield engine
    await engine.dispose()


async def _fresh_postgres(engine: AsyncEngine) -> None:
    """Rebuild the schema once per run (migrations included), then empty it per test."""
    global _postgres_schema_ready
    if not _postgres_schema_ready:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        _postgres_schema_ready = True
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


# The files in examples/ hold dates (sessions from January 2027, vacancies published in the
# autumn of 2026 and open until early 2027): tests that import them start the clock on the
# day the files were written for, and let it run.
EXAMPLES_WRITTEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def examples_date():
    # A timestamp, not an aware datetime: time-machine would set TZ, which is a setting here.
    with time_machine.travel(EXAMPLES_WRITTEN.timestamp(), tick=True):
        yield


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The command in this process, on a database file of the test's own; the settings are
    cached, so they are read again for each test."""
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in CLI_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
