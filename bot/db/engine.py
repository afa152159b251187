"""Engine and session factory for SQLite (default) or PostgreSQL, chosen by DATABASE_URL."""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# The session of the update being handled, so the FSM storage writes in the same transaction.
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


def create_engine(url: str) -> AsyncEngine:
    if make_url(url).get_backend_name() == "sqlite":
        # Sessions always end their transactions, and reads run outside one (below), so the
        # pool's extra rollback on every check-in would only cost a trip to the driver thread.
        engine = create_async_engine(url, connect_args={"timeout": 30}, pool_reset_on_return=None)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "before_cursor_execute", _sqlite_write_lock)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # WAL lets readers work while a writer writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL survives a crash of the process; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # What is deleted or overwritten is zeroed in the file, not left in free pages: an
    # erased person's data must not stay readable in the database file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # The driver's own transaction handling is off: _sqlite_write_lock decides when to BEGIN.
    dbapi_connection.isolation_level = None


_READ_ONLY = ("SELECT", "PRAGMA", "EXPLAIN")


def _sqlite_write_lock(connection, cursor, statement: str, *_args) -> None:
    """SQLite has one writer. Reads run outside a transaction, each on fresh data; the first
    write of a transaction takes the write lock (BEGIN IMMEDIATE) and keeps it to the commit.

    So a read-only update never waits for a writer, writers queue (up to the 30 s busy
    timeout) instead of failing, and nobody writes on top of a stale snapshot ("database is
    locked" at once, which a deferred transaction that read first and wrote later would get).
    """
    if statement.lstrip()[:7].upper().startswith(_READ_ONLY):
        return
    if not _in_transaction(connection.connection.dbapi_connection):
        cursor.execute("BEGIN IMMEDIATE")


def _in_transaction(dbapi_connection) -> bool:
    # SQLAlchemy's aiosqlite adapter wraps an aiosqlite.Connection, which wraps sqlite3's.
    inner = getattr(dbapi_connection, "_connection", dbapi_connection)
    return inner.in_transaction


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert_insert(session: AsyncSession):
    """`insert` of the session's dialect, which has ON CONFLICT (SQLite and PostgreSQL)."""
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def exclusive(session: AsyncSession, name: str) -> None:
    """Hold `name` until the transaction ends, so a job that reads, decides and writes in bulk
    (the digests) never runs twice at once, even across replicas: a PostgreSQL advisory lock;
    on SQLite the database's single write lock, taken now instead of at the first write."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    else:
        # Any write statement makes _sqlite_write_lock begin the transaction IMMEDIATE.
        await session.execute(text("UPDATE fsm_records SET key = key WHERE 0 = 1"))


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
