"""What the commands share: the settings, one transaction on an up-to-date database, the
bot's username, import files read in committed batches, and one-line failures and tables."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, get_settings
from bot.db.engine import create_engine, create_sessionmaker, safe_url
from bot.db.migrate import upgrade

T = TypeVar("T")


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"enavant: {message}", err=True)
    return typer.Exit(code)


def load_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise fail(f"{name} is invalid: {first['msg']}", 2) from None


def database_failure(url: str, error: BaseException) -> typer.Exit:
    reason = str(getattr(error, "orig", None) or error).splitlines()[0][:160]
    return fail(f"cannot use the database {safe_url(url)}: {reason}")


def in_session(
    settings: Settings,
    work: Callable[[AsyncSession], Awaitable[T]],
    refusal: type[Exception] | tuple[type[Exception], ...] = (),
) -> T:
    """Run `work` in one transaction on an up-to-date schema. A `refusal` (the service's own
    error, whose message says why) or an unusable database is one line and a non-zero exit."""

    async def _run() -> T:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            async with create_sessionmaker(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(_run())
    except refusal as error:
        raise fail(str(error)) from None
    except (SQLAlchemyError, OSError) as error:
        raise database_failure(settings.database_url, error) from None


def start_link(username: str, payload: str) -> str:
    """https://t.me/<username>?start=<payload>, as aiogram makes it (and checks the payload:
    64 characters at most, A-Z a-z 0-9 _ -). Imported here: only link commands pay for aiogram."""
    from aiogram.utils.deep_linking import create_deep_link

    return create_deep_link(username, "start", payload)


def bot_username(settings: Settings) -> str:
    """BOT_USERNAME, or else the username Telegram gives for BOT_TOKEN (getMe)."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if not settings.bot_token:
        raise fail("set BOT_USERNAME (or BOT_TOKEN to ask Telegram for it) to build links", 2)
    # aiogram takes seconds to import: only commands that talk to Telegram pay for it.
    from aiogram.exceptions import (
        TelegramAPIError,
        TelegramNetworkError,
        TelegramUnauthorizedError,
    )

    from bot.app import create_bot, create_limiter

    async def _ask() -> str | None:
        bot = create_bot(settings, create_limiter(settings))
        try:
            return (await bot.get_me()).username
        finally:
            await bot.session.close()

    try:
        username = asyncio.run(_ask())
    except TelegramUnauthorizedError:
        raise fail("Telegram refused BOT_TOKEN (unauthorized)") from None
    except TelegramNetworkError:
        raise fail(
            f"cannot reach the Telegram API at {settings.telegram_api_url} to learn the bot's "
            "username; set BOT_USERNAME"
        ) from None
    except TelegramAPIError as error:
        raise fail(f"Telegram did not give the bot's username: {error.message}") from None
    if not username:
        raise fail("Telegram did not give the bot's username; set BOT_USERNAME")
    return username


def import_file(file: Path) -> Path:
    """An import file that exists and can be read; else one line and a non-zero exit."""
    try:
        with file.open("rb"):
            return file
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror or error}") from None


@contextlib.contextmanager
def batches(file: Path):
    """The `on_batch` of an import from the command line: each batch is committed (a rerun
    after a stop picks up where it was, as imports are idempotent) and forgotten by the
    session, so a large file imports in bounded memory; its refused rows are printed at once,
    and a progress bar runs on a terminal."""
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

    progress = Progress(
        "{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    task = progress.add_task(file.name, total=None)

    async def on_batch(report, table) -> None:
        await report_session[0].commit()
        report_session[0].expunge_all()
        for rejection in report.take_rejections():
            typer.echo(f"{file.name}: {rejection}", err=True)
        done, total = table.progress()
        progress.update(task, completed=done, total=total or None)

    report_session: list[AsyncSession] = []
    with progress:
        yield report_session, on_batch


def print_import(file: Path, report, *more: str) -> None:
    """The rows refused (stderr), the counts, what followed, and how the file was read."""
    for rejection in report.take_rejections():
        typer.echo(f"{file.name}: {rejection}", err=True)
    for line in (report.summary, *more, f"read as {report.read_as}"):
        typer.echo(line)


def print_table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    cells = [header, *(tuple("" if value is None else str(value) for value in row) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        typer.echo(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        )


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def programme_tz(settings: Settings):
    """The programme's time zone (TZ), or a one-line failure."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"TZ {settings.tz!r} is not a known time zone", 2) from None
