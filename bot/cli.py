"""The `enavant` command (also `python -m bot`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import typer
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, get_settings
from bot.db.engine import create_engine, safe_url
from bot.db.migrate import upgrade

app = typer.Typer(help="En Avant · Vooruit: the cross-border jobs assistant.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
outbox_app = typer.Typer(help="Messages waiting to be sent.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"enavant: {message}", err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise _fail(f"{name} is invalid: {first['msg']}", 2) from None


def _database_failure(url: str, error: BaseException) -> typer.Exit:
    reason = str(getattr(error, "orig", None) or error).splitlines()[0][:160]
    return _fail(f"cannot use the database {safe_url(url)}: {reason}")


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.command()
def run() -> None:
    """Run the bot with long polling against TELEGRAM_API_URL."""
    from bot.app import create_app

    settings = _settings()
    if not settings.bot_token:
        raise _fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    _configure_logging(settings.log_level)

    async def _run() -> None:
        bot_app = create_app(settings)
        try:
            try:
                await bot_app.prepare()
            except (SQLAlchemyError, OSError) as error:
                raise _database_failure(settings.database_url, error) from None
            await bot_app.run_polling()
        except TelegramUnauthorizedError:
            raise _fail("Telegram refused BOT_TOKEN (unauthorized)") from None
        except TelegramNetworkError:
            raise _fail(f"cannot reach the Telegram API at {settings.telegram_api_url}") from None
        finally:
            await bot_app.close()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run())


@app.command()
def demo() -> None:
    """Start the sandbox and the bot; chat in a terminal, or print the scripted tour."""
    import sys

    from bot.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run_demo(interactive=sys.stdin.isatty()))


@app.command()
def sandbox(
    port: int = typer.Option(8081, help="TCP port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    token: list[str] = typer.Option(["123456:TEST"], help="bot token(s) to accept"),
) -> None:
    """Run a local Telegram Bot API server (for `enavant run` without Telegram)."""
    from bot.sandbox import run_forever

    _configure_logging("INFO")
    typer.echo(f"sandbox Bot API on http://{host}:{port} (tokens: {', '.join(token)})")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_forever(host=host, port=port, tokens=token))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (the bot also does this at start)."""
    settings = _settings()

    async def _upgrade() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(_upgrade())
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    typer.echo(f"database {safe_url(settings.database_url)} is up to date")


@outbox_app.command("status")
def outbox_status() -> None:
    """Messages by status, and how many people blocked the bot."""
    from bot.delivery.status import outbox_counts

    settings = _settings()
    try:
        counts = asyncio.run(outbox_counts(settings.database_url))
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    for name, count in counts.items():
        typer.echo(f"{name}: {count}")


@outbox_app.command("drain")
def outbox_drain() -> None:
    """Send every message that is due now, then exit (the running bot does this by itself)."""
    from bot.app import create_app

    settings = _settings()
    if not settings.bot_token:
        raise _fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    _configure_logging(settings.log_level)

    async def _drain() -> int:
        bot_app = create_app(settings)
        try:
            await bot_app.prepare()
            return await bot_app.sender.send_due()
        finally:
            await bot_app.close()

    try:
        handled = asyncio.run(_drain())
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    typer.echo(f"{handled} message(s) handled")


def main() -> None:
    app()
