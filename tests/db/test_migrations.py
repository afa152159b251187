"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.db.base import Base
from bot.db.engine import create_engine
from bot.db.migrate import upgrade


async def test_migrated_schema_matches_the_models(engine) -> None:
    def differences(connection):
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_seats_held_before_0008_keep_their_reminders_under_the_seat_keys(
    tmp_path,
) -> None:
    """Reminders queued before seats were numbered are found (and cancelled) by seat 1."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0007")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO outbox (chat_id, kind, payload, not_before, status, attempts,"
                    " dedupe_key, created_at) VALUES (1, 'text', '{}', '2026-12-01', 'pending',"
                    " 0, :key, '2026-12-01')"
                ),
                [{"key": "reminder:3:7:2:1h"}, {"key": "ics:3:7:2"}, {"key": "invite:3:7"}],
            )
        await upgrade(engine)
        async with engine.connect() as connection:
            keys = set(await connection.scalars(text("SELECT dedupe_key FROM outbox")))
        assert keys == {"reminder:3:7:1:2:1h", "ics:3:7:1:2", "invite:3:7"}
    finally:
        await engine.dispose()
