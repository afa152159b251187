"""Backups of the embedded default (SQLite): a consistent copy made while the bot runs, and a
checked restore. PostgreSQL has its own tools (pg_dump, pg_restore).

Both directions go through SQLite's online backup API, so they take SQLite's locks like any
other connection: a backup is one read transaction (in WAL mode the bot keeps writing meanwhile)
and a restore writes into the database file in place (no file swapped under an open connection).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db.migrate import head_revisions, known_revisions

SQLITE_MAGIC = b"SQLite format 3\x00"
# Counted in what the commands print: how many, never who.
COUNTED = ("participants", "staff", "vacancies", "sessions", "bookings", "outbox")
PG_TOOLS = (
    "DATABASE_URL is a PostgreSQL database: back it up with pg_dump "
    "(e.g. `pg_dump --format=custom --file=enavant.dump DBNAME`) and restore it with pg_restore "
    "(`pg_restore --clean --if-exists --dbname=DBNAME enavant.dump`)"
)


class BackupError(Exception):
    """Why a backup or a restore was refused (one line for the operator)."""


class NotSQLite(BackupError):
    """The database is not SQLite: PostgreSQL's own tools do this."""


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    revision: str | None
    counts: dict[str, int]

    def lines(self) -> list[str]:
        counts = ", ".join(f"{table} {count}" for table, count in self.counts.items()) or "none"
        return [
            f"{self.path}: {_size(self.size)}, schema revision {self.revision or 'none'}",
            f"rows: {counts}",
        ]


def sqlite_file(database_url: str) -> Path:
    """The SQLite file of DATABASE_URL; NotSQLite for PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise NotSQLite(PG_TOOLS)
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL is an in-memory SQLite database: nothing to back up")
    return Path(url.database)


def backup(database: Path, target: Path, force: bool = False) -> Summary:
    """Copy `database` to `target` (a complete, self-contained SQLite file) while the bot may
    be writing, and check the copy. Refuses an existing `target` unless `force`; `target`
    appears whole or not at all (written beside it, then renamed)."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if target.exists() and not force:
        raise BackupError(f"{target} exists (use --force to overwrite it)")
    if target.exists() and not target.is_file():
        raise BackupError(f"{target} is not a file")
    try:
        _copy(database, target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {database}: {error}") from None
    return check(target, known_revision=False)


def _copy(database: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(database) as source, _connect(partial) as copy:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            # A single file: no -wal beside it to forget when it is moved elsewhere.
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def check(file: Path, known_revision: bool = True) -> Summary:
    """A file fit to restore: an SQLite database that passes `PRAGMA integrity_check`, made by
    this bot at a schema revision this code knows (the same or older: it is migrated on start;
    not asked with `known_revision=False`)."""
    try:
        with file.open("rb") as head:
            magic = head.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {file}: {error.strerror or error}") from None
    if magic != SQLITE_MAGIC:
        raise BackupError(f"{file} is not an SQLite database")
    try:
        with _connect(file, read_only=True) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{file} is damaged (integrity check: {problems[0]})")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            revisions: set[str] = set()
            if "alembic_version" in tables:
                revisions = {
                    row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
                }
            elif known_revision:
                raise BackupError(f"{file} is not an En Avant database (no schema revision)")
            unknown = revisions - known_revisions()
            if known_revision and (unknown or not revisions):
                shown = ", ".join(sorted(unknown)) or "none"
                raise BackupError(
                    f"{file} has schema revision {shown}, which this version of the bot does not "
                    "know (made by a newer version?)"
                )
            counts = {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in COUNTED
                if table in tables
            }
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{file} cannot be read as a database: {error}") from None
    return Summary(file, file.stat().st_size, ", ".join(sorted(revisions)), counts)


def restore(file: Path, database: Path) -> Path | None:
    """Put the content of backup `file` into `database`, after keeping the database as it was
    beside it (`<database>.before-restore-<UTC time>`, returned; None when there was none).
    Written through SQLite, in place; stop the bot first all the same, or it carries on with
    what it held in memory. A database too damaged for that is kept as files and replaced."""
    check(file)
    kept = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    try:
        if kept is not None:
            try:
                _copy(database, kept)
            except sqlite3.DatabaseError:  # unreadable: keep its files as they are
                _move_aside(database, kept)
        if database.exists():
            try:
                with _connect(file, read_only=True) as source, _connect(database) as target:
                    source.backup(target)
                return kept
            except sqlite3.DatabaseError:  # e.g. a page size its WAL cannot take: replaced
                _remove(database)
        _copy(file, database)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"cannot restore into {database}: {error}") from None
    return kept


def _move_aside(database: Path, target: Path) -> None:
    """The database file and its -wal/-shm companions, renamed (target, target-wal...)."""
    for suffix in _FILES:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))


def _remove(database: Path) -> None:
    for suffix in _FILES:
        database.with_name(database.name + suffix).unlink(missing_ok=True)


_FILES = ("", "-wal", "-shm")


def is_behind(summary: Summary) -> bool:
    return summary.revision not in head_revisions()


@contextlib.contextmanager
def _connect(path: Path, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    else:
        connection = sqlite3.connect(path, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError
