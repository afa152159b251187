"""`enavant db`: database maintenance (the migrations; backups of the SQLite default)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import database_failure, fail, load_settings
from bot.db.backup import BackupError, backup, check, is_behind, restore, sqlite_file
from bot.db.engine import create_engine, safe_url
from bot.db.migrate import upgrade

app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (the bot also does this at start)."""
    settings = load_settings()

    async def _upgrade() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(_upgrade())
    except (SQLAlchemyError, OSError) as error:
        raise database_failure(settings.database_url, error) from None
    typer.echo(f"database {safe_url(settings.database_url)} is up to date")


@app.command("backup")
def db_backup(
    file: Path = typer.Argument(..., help="Where to write the copy (an SQLite file)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Copy the SQLite database to FILE, safely while the bot runs (PostgreSQL: use pg_dump)."""
    database = _sqlite_file()
    try:
        summary = backup(database, file, force=force)
    except BackupError as error:
        raise fail(str(error)) from None
    typer.echo(f"backed up {database} to {file}")
    for line in summary.lines():
        typer.echo(line)


@app.command("restore")
def db_restore(
    file: Path = typer.Argument(..., help="A backup made by `enavant db backup`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Replace the SQLite database with the backup FILE, once checked (stop the bot first).
    The database replaced is kept beside it (PostgreSQL: use pg_restore)."""
    database = _sqlite_file()
    try:
        summary = check(file)
    except BackupError as error:
        raise fail(str(error)) from None
    for line in summary.lines():
        typer.echo(line)
    if not yes and not typer.confirm(
        f"Replace {database} with {file}? Stop the bot first.", default=False
    ):
        raise fail("nothing restored")
    try:
        kept = restore(file, database)
    except BackupError as error:
        raise fail(str(error)) from None
    typer.echo(f"restored {file} into {database}")
    if kept:
        typer.echo(f"the database it replaced is kept as {kept}")
    if is_behind(summary):
        typer.echo(
            "its schema is older: the bot migrates it when it starts (or `enavant db upgrade`)"
        )


def _sqlite_file() -> Path:
    settings = load_settings()
    try:
        return sqlite_file(settings.database_url)
    except BackupError as error:  # NotSQLite included: PostgreSQL has pg_dump
        raise fail(str(error), 2) from None
