"""The `enavant` command in the test's process (typer's runner), on a database of the test's own
(the `cli_database` fixture in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from click.testing import Result
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.common import in_session
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
    """Run `work` on the test's database (migrated) and commit, as the commands do."""
    return in_session(get_settings(), work)
