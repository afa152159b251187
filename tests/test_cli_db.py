"""`enavant db backup` / `enavant db restore` on the embedded default (SQLite), as an operator
uses them: a nightly copy while the bot runs, and a checked way back."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.migrate import head_revisions
from tests.helpers.cli import in_database, run

pytestmark = [pytest.mark.own_sqlite, pytest.mark.usefixtures("cli_database")]  # see conftest


def _add(external_id: str, territory: str = "LRT") -> None:
    from bot.db.models import Participant

    async def _seed(session: AsyncSession) -> None:
        session.add(
            Participant(external_id=external_id, territory=territory, joined=date(2026, 9, 1))
        )

    in_database(_seed)


def _participants() -> list[tuple[str, str]]:
    from bot.db.models import Participant

    async def _read(session: AsyncSession) -> list[tuple[str, str]]:
        rows = await session.execute(
            select(Participant.external_id, Participant.territory).order_by(Participant.id)
        )
        return [tuple(row) for row in rows]

    return in_database(_read)


def _rows(file: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(file) as connection:
        return connection.execute(
            "SELECT external_id, territory FROM participants ORDER BY id"
        ).fetchall()


def test_a_backup_restores_the_data_it_was_taken_with_and_keeps_what_it_replaced(
    tmp_path: Path,
) -> None:
    _add("LRT-1")
    backup = tmp_path / "nightly" / "enavant-2026-12-07.db"
    backup.parent.mkdir()

    made = run(["db", "backup", str(backup)])

    assert made.exit_code == 0, made.output
    (head,) = head_revisions()
    assert "participants 1" in made.stdout and f"schema revision {head}" in made.stdout
    assert "LRT-1" not in made.stdout  # counts, never who
    assert _rows(backup) == [("LRT-1", "LRT")]

    # The next day: someone new, someone moved; then the operator goes back to the backup.
    _add("FM-7", "FM")
    assert _participants() == [("LRT-1", "LRT"), ("FM-7", "FM")]

    restored = run(["db", "restore", "--yes", str(backup)])

    assert restored.exit_code == 0, restored.output
    assert _participants() == [("LRT-1", "LRT")]
    (kept,) = tmp_path.glob("cli.db.before-restore-*")
    assert f"kept as {kept}" in restored.stdout
    assert _rows(kept) == [("LRT-1", "LRT"), ("FM-7", "FM")]


def test_a_damaged_database_is_replaced_by_the_backup_and_its_files_kept(tmp_path: Path) -> None:
    _add("LRT-1")
    backup = tmp_path / "backup.db"
    assert run(["db", "backup", str(backup)]).exit_code == 0
    live = tmp_path / "cli.db"
    damaged = _garbled(live.read_bytes())
    live.write_bytes(damaged)

    restored = run(["db", "restore", "--yes", str(backup)])

    assert restored.exit_code == 0, restored.output
    assert _participants() == [("LRT-1", "LRT")]
    (kept,) = tmp_path.glob("cli.db.before-restore-*")
    assert kept.read_bytes() == damaged


def test_restore_asks_first_and_does_nothing_without_a_yes(tmp_path: Path) -> None:
    _add("LRT-1")
    backup = tmp_path / "backup.db"
    assert run(["db", "backup", str(backup)]).exit_code == 0
    _add("FM-7", "FM")

    from typer.testing import CliRunner

    from bot.cli import app

    answered_no = CliRunner().invoke(app, ["db", "restore", str(backup)], input="n\n")

    assert answered_no.exit_code == 1
    assert "Stop the bot first" in answered_no.stdout
    assert _participants() == [("LRT-1", "LRT"), ("FM-7", "FM")]
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_a_backup_is_taken_while_the_bot_is_writing_and_holds_what_was_committed(
    tmp_path: Path,
) -> None:
    _add("LRT-1")
    writer = sqlite3.connect(tmp_path / "cli.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the bot in the middle of a write
        writer.execute(
            "INSERT INTO participants (external_id, territory, max_commute_km, alert_mode, "
            "status, last_contact_at, created_at, updated_at, occupations, availability) "
            "VALUES ('FM-7', 'FM', 30, 'daily', 'followed', '2026-12-07', '2026-12-07', "
            "'2026-12-07', '[]', '[]')"
        )
        made = run(["db", "backup", str(tmp_path / "backup.db")])
        writer.execute("COMMIT")
    finally:
        writer.close()

    assert made.exit_code == 0, made.output
    assert _rows(tmp_path / "backup.db") == [("LRT-1", "LRT")]
    assert _participants() == [("LRT-1", "LRT"), ("FM-7", "FM")]


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    _add("LRT-1")
    target = tmp_path / "backup.db"
    target.write_bytes(b"last week's")

    refused = run(["db", "backup", str(target)])

    assert refused.exit_code == 1
    assert "exists (use --force" in refused.stderr
    assert target.read_bytes() == b"last week's"

    forced = run(["db", "backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    assert _rows(target) == [("LRT-1", "LRT")]


def _garbled(data: bytes) -> bytes:
    garbled = bytearray(data)
    for page in range(1, len(data) // 4096):  # every page but the header's, half overwritten
        garbled[page * 4096 : page * 4096 + 2048] = b"\xa5" * 2048
    return bytes(garbled)


def test_any_sqlite_database_can_be_backed_up_even_one_the_bot_never_migrated(
    tmp_path: Path,
) -> None:
    sqlite3.connect(tmp_path / "cli.db").close()  # an empty file, as SQLite makes one

    made = run(["db", "backup", str(tmp_path / "backup.db")])

    assert made.exit_code == 0, made.output
    assert "schema revision none" in made.stdout
    assert (tmp_path / "backup.db").read_bytes().startswith(b"SQLite format 3")


def _damaged(tmp_path: Path) -> Path:
    copy = tmp_path / "damaged.db"
    assert run(["db", "backup", str(copy)]).exit_code == 0
    copy.write_bytes(_garbled(copy.read_bytes()))
    return copy


def _foreign(tmp_path: Path) -> Path:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    return other


def _from_the_future(tmp_path: Path) -> Path:
    newer = tmp_path / "newer.db"
    assert run(["db", "backup", str(newer)]).exit_code == 0
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    return newer


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: _write(tmp / "notes.txt", b"not a database\n"), "is not an SQLite database"),
        (_damaged, "damaged"),
        (_foreign, "is not an En Avant database"),
        (_from_the_future, "schema revision 9999, which this version of the bot does not know"),
        (lambda tmp: tmp / "missing.db", "cannot read"),
    ],
    ids=["text", "damaged", "foreign", "newer", "missing"],
)
def test_a_file_that_is_not_a_sound_backup_of_this_bot_is_refused(
    tmp_path: Path, make, reason: str
) -> None:
    _add("LRT-1")
    file = make(tmp_path)

    refused = run(["db", "restore", "--yes", str(file)])

    assert refused.exit_code == 1, refused.output
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("enavant: ") and reason in line
    assert _participants() == [("LRT-1", "LRT")]
    assert not list(tmp_path.glob("*.before-restore-*"))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("command", [["db", "backup", "x.dump"], ["db", "restore", "-y", "x.dump"]])
def test_on_postgresql_the_commands_point_to_pg_dump(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.config import get_settings

    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot@db.example.org/enavant")
    get_settings.cache_clear()

    result = run(command)

    assert result.exit_code == 2
    assert "pg_dump" in result.stderr and "pg_restore" in result.stderr
