"""`enavant outbox`: the messages waiting to be sent, counted or sent now."""

from __future__ import annotations

import asyncio

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import configure_logging, database_failure, fail, load_settings

app = typer.Typer(help="Messages waiting to be sent.", no_args_is_help=True)


@app.command("status")
def outbox_status() -> None:
    """Messages by status, how many people blocked the bot, the SMS and e-mail providers set
    up, and what went by each channel."""
    from bot.delivery.status import outbox_report

    settings = load_settings()
    try:
        lines = asyncio.run(outbox_report(settings))
    except (SQLAlchemyError, OSError) as error:
        raise database_failure(settings.database_url, error) from None
    for line in lines:
        typer.echo(line)


@app.command("drain")
def outbox_drain() -> None:
    """Send every message that is due now, then exit (the running bot does this by itself)."""
    from bot.app import create_app

    settings = load_settings()
    if not settings.bot_token:
        raise fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    configure_logging(settings.log_level)

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
        raise database_failure(settings.database_url, error) from None
    typer.echo(f"{handled} message(s) handled")
