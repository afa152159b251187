"""The `enavant` command in the test's process (typer's runner), on a database of the test's own
(the `cli_database` fixture in tests/conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from click.testing import Result
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings

# What a developer's environment might set and the command would read.
NAMES = ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL", "TZ")


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


def one_line_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("enavant: ")
    return lines[0]


def in_database(work: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
    """Run `work` on the test's database (migrated) and commit."""
    from bot.db.engine import create_engine, create_sessionmaker
    from bot.db.migrate import upgrade

    async def _run() -> Any:
        engine = create_engine(get_settings().database_url)
        try:
            await upgrade(engine)
            async with create_sessionmaker(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(_run())
