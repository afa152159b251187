"""`enavant run`, `demo` and `sandbox`: the bot against Telegram, or against the local
sandbox Bot API (a scripted tour or a chat in the terminal)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import configure_logging, database_failure, fail, load_settings


def run() -> None:
    """Run the bot against TELEGRAM_API_URL: a webhook when WEBHOOK_URL is set (listening on
    WEBHOOK_LISTEN_HOST:WEBHOOK_LISTEN_PORT), else long polling."""
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import create_app
    from bot.delivery.providers import describe

    settings = load_settings()
    if not settings.bot_token:
        raise fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    configure_logging(settings.log_level)

    async def _run() -> None:
        bot_app = create_app(settings)
        try:
            try:
                await bot_app.prepare()
            except (SQLAlchemyError, OSError) as error:
                raise database_failure(settings.database_url, error) from None
            for line in describe(settings):  # "SMS: none (nothing is sent by SMS)"...
                logging.getLogger("bot").info(line)
            if settings.webhook_url:
                await bot_app.run_webhook()
            else:
                await bot_app.run_polling()
        except TelegramUnauthorizedError:
            raise fail("Telegram refused BOT_TOKEN (unauthorized)") from None
        except TelegramNetworkError:
            raise fail(f"cannot reach the Telegram API at {settings.telegram_api_url}") from None
        finally:
            await bot_app.close()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run())


def demo() -> None:
    """Start the sandbox and the bot; chat in a terminal, or print the scripted tour."""
    import sys

    from bot.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run_demo(interactive=sys.stdin.isatty()))


def sandbox(
    port: int = typer.Option(8081, help="TCP port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    token: list[str] = typer.Option(["123456:TEST"], help="bot token(s) to accept"),
) -> None:
    """Run a local Telegram Bot API server (for `enavant run` without Telegram)."""
    from bot.sandbox import run_forever

    configure_logging("INFO")
    typer.echo(f"sandbox Bot API on http://{host}:{port} (tokens: {', '.join(token)})")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_forever(host=host, port=port, tokens=token))
