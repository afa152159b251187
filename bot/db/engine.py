"""Engine and session factory for SQLite (default) or PostgreSQL, chosen by DATABASE_URL."""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event
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
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # WAL lets readers work while a writer writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # We issue BEGIN ourselves (below) instead of the driver's deferred BEGIN.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    # SQLite has one writer. A deferred transaction that read first and writes later fails at
    # once ("database is locked") when another writer committed in between; taking the write
    # lock up front makes transactions queue (up to the 30 s busy timeout) instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
