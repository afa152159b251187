"""Alembic migrations, applied at start-up and by `enavant db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Replicas starting together on PostgreSQL: the first to take this advisory lock migrates, the
# others wait for it, then find the schema at head and have nothing to do. A fixed key
# ("enavmigr" in ASCII), distinct from any other lock the bot takes.
MIGRATION_LOCK_KEY = 0x656E61766D696772


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    """The revisions this code knows as the newest (one, unless the history branches)."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def known_revisions() -> set[str]:
    """Every revision this code has a migration for."""
    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision`; a no-op when it is already there."""

    def _run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Taken in the migration's own transaction (so on its connection) and released
            # when it commits or rolls back, even if the process dies meanwhile. Alembic reads
            # the current revision after this returns, so a replica that waited sees head.
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        await connection.run_sync(_run)
