"""The coordinator at the terminal: staff, referral links and QR codes, caseload import and
the invite links counsellors send to the people they already follow."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import png
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from bot.sandbox import DEFAULT_TOKEN, SandboxServer

pytestmark = pytest.mark.own_sqlite  # see tests/conftest.py

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "tests" / "fixtures" / "caseload.csv"
NAMES = ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL")


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def own_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands run in this process (a process each would spend seconds importing), in the
    test's directory (no .env of the developer's), with the settings read again each time."""
    monkeypatch.chdir(tmp_path)
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    yield
    get_settings.cache_clear()


def enavant(tmp_path: Path, *args: str, **env: str | None) -> Run:
    """`enavant ARGS` on the test's database; `env` adds variables (None: unset one)."""
    values = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "BOT_USERNAME": "enavant_bot",
        **env,
    }
    get_settings.cache_clear()
    result = CliRunner().invoke(app, list(args), env=values)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def ok(tmp_path: Path, *args: str, **env: str) -> str:
    result = enavant(tmp_path, *args, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def one_line_failure(result: Run) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("enavant: ")
    return lines[0]


def add_staff(tmp_path: Path, telegram_id: int, role: str, name: str, *extra: str) -> str:
    return ok(tmp_path, "staff", "add", "--telegram-id", str(telegram_id), "--role", role,
              "--name", name, *extra)  # fmt: skip


def add_sophie(tmp_path: Path) -> None:
    add_staff(tmp_path, 1001, "cet", "Sophie Martin", "--territory", "LRT")


# staff


def test_coordinator_adds_lists_and_removes_staff(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    add_staff(tmp_path, 2001, "vdab", "Els")

    listing = ok(tmp_path, "staff", "list").splitlines()
    assert listing[0].split() == ["id", "telegram", "id", "role", "territory", "name", "active"]
    assert listing[1].split() == ["1", "1001", "cet", "LRT", "Sophie", "Martin", "yes"]
    assert listing[2].split() == ["2", "2001", "vdab", "-", "Els", "yes"]

    removed = ok(tmp_path, "staff", "remove", "--telegram-id", "1001")
    assert "1001 deactivated; 0 participant(s)" in removed
    assert ok(tmp_path, "staff", "list").splitlines()[1].split()[-1] == "no"


def test_adding_the_same_telegram_id_again_updates_the_record(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    add_staff(tmp_path, 1001, "cet", "Sophie Martin", "--territory", "FM")
    rows = ok(tmp_path, "staff", "list").splitlines()[1:]
    assert [row.split()[:4] for row in rows] == [["1", "1001", "cet", "FM"]]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("add", "--telegram-id", "1", "--role", "boss", "--name", "X"), "unknown role 'boss'"),
        (("add", "--telegram-id", "1", "--role", "cet", "--name", "X"), "a cet needs a territory"),
        (
            ("add", "--telegram-id", "1", "--role", "cet", "--territory", "XX", "--name", "X"),
            "unknown territory 'XX'",
        ),
        (("remove", "--telegram-id", "77"), "no staff member with Telegram id 77"),
        (("invite-link", "--telegram-id", "77"), "no active staff member with Telegram id 77"),
    ],
)
def test_wrong_role_territory_or_account_is_one_line_and_fails(
    tmp_path: Path, args: tuple[str, ...], reason: str
) -> None:
    assert reason in one_line_failure(enavant(tmp_path, "staff", *args))


def test_staff_commands_with_an_unreachable_database_fail_in_one_line(tmp_path: Path) -> None:
    result = enavant(
        tmp_path, "staff", "list", DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none"
    )
    assert one_line_failure(result).startswith("enavant: cannot use the database")


def test_invite_link_is_printed_and_written_as_a_qr_png(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    qr = tmp_path / "sophie.png"
    output = ok(tmp_path, "staff", "invite-link", "--telegram-id", "1001", "--qr", str(qr))
    link = output.strip()
    assert re.fullmatch(r"https://t\.me/enavant_bot\?start=ref_[A-Za-z0-9_-]{12}", link)
    width, height, _rows, _info = png.Reader(filename=str(qr)).read()
    assert width == height > 100
    # The same link every time: it is printed on flyers.
    assert ok(tmp_path, "staff", "invite-link", "--telegram-id", "1001").strip() == link


def test_a_removed_counsellor_has_no_invite_link(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    ok(tmp_path, "staff", "remove", "--telegram-id", "1001")
    result = enavant(tmp_path, "staff", "invite-link", "--telegram-id", "1001")
    assert "no active staff member" in one_line_failure(result)


def test_an_unwritable_qr_file_is_one_line_and_fails(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    missing = tmp_path / "no" / "such" / "dir" / "qr.png"
    result = enavant(
        tmp_path, "staff", "invite-link", "--telegram-id", "1001", "--qr", str(missing)
    )
    assert "cannot write" in one_line_failure(result)


async def test_without_bot_username_the_link_uses_the_name_telegram_gives(tmp_path: Path) -> None:
    # The command runs its own event loop: in a thread, beside the sandbox's.
    await asyncio.to_thread(add_sophie, tmp_path)
    async with SandboxServer(DEFAULT_TOKEN, bot_username="vooruit_test_bot") as sandbox:
        result = await asyncio.to_thread(
            enavant,
            tmp_path,
            "staff",
            "invite-link",
            "--telegram-id",
            "1001",
            BOT_USERNAME=None,
            BOT_TOKEN=DEFAULT_TOKEN,
            TELEGRAM_API_URL=sandbox.url,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("https://t.me/vooruit_test_bot?start=ref_")


def test_without_bot_username_or_token_the_link_cannot_be_built(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    result = enavant(tmp_path, "staff", "invite-link", "--telegram-id", "1001", BOT_USERNAME=None)
    assert "set BOT_USERNAME" in one_line_failure(result)


def test_with_telegram_unreachable_the_link_cannot_be_built(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    result = enavant(
        tmp_path,
        "staff",
        "invite-link",
        "--telegram-id",
        "1001",
        BOT_USERNAME=None,
        BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_URL="http://127.0.0.1:1",
    )
    assert "cannot reach the Telegram API" in one_line_failure(result)


# caseload


def test_caseload_import_reports_bad_rows_and_keeps_the_good_ones(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    result = enavant(
        tmp_path, "participants", "import", str(CASELOAD), "--counsellor-telegram-id", "1001"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "created 4, updated 0, rejected 4"
    problems = result.stderr.splitlines()
    assert problems[0] == "caseload.csv: line 4: unknown occupation 'astronaut'"
    assert problems[2] == (
        "caseload.csv: line 7: status must be one of followed, job, training, left"
    )
    assert [line.split(":")[1].strip() for line in problems] == [
        "line 4",
        "line 6",
        "line 7",
        "line 8",
    ]
    removed = ok(tmp_path, "staff", "remove", "--telegram-id", "1001")
    assert "4 participant(s) they followed now have no active counsellor" in removed


def test_importing_the_same_file_again_updates_instead_of_duplicating(tmp_path: Path) -> None:
    enavant(tmp_path, "participants", "import", str(CASELOAD))
    result = enavant(tmp_path, "participants", "import", str(CASELOAD))
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "created 0, updated 4, rejected 4"


def test_a_file_with_only_bad_rows_fails(tmp_path: Path) -> None:
    lines = CASELOAD.read_text().splitlines()
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text("\n".join([lines[0], lines[3], lines[6]]) + "\n")
    result = enavant(tmp_path, "participants", "import", str(only_bad))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "created 0, updated 0, rejected 2"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read"),
        (b"external_id,first_name\nA,Ana\n", "missing columns: territory"),
        (
            "external_id;prénom\n".encode("cp1252"),
            "missing columns: first_name, territory, joined, status, status_date, employer, "
            "occupations, postcode, dutch_level, driving_licence, max_commute_km, availability;"
            " unknown columns: prénom; columns found: external_id, prénom",
        ),
    ],
)
def test_an_unreadable_file_or_wrong_columns_fail_in_one_line(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "caseload.csv"
    if content is not None:
        path.write_bytes(content)
    result = enavant(tmp_path, "participants", "import", str(path))
    assert result.returncode == 1
    assert reason in one_line_failure(result)


def test_import_for_an_unknown_counsellor_fails_in_one_line(tmp_path: Path) -> None:
    result = enavant(
        tmp_path, "participants", "import", str(CASELOAD), "--counsellor-telegram-id", "5"
    )
    assert "no active staff member with Telegram id 5" in one_line_failure(result)


def test_invites_list_the_territory_s_people_with_their_links(tmp_path: Path) -> None:
    ok(tmp_path, "participants", "import", str(CASELOAD))

    table = ok(tmp_path, "participants", "invites", "--territory", "lrt").splitlines()
    assert table[0].split() == ["external", "id", "first", "name", "link", "expires"]
    assert [row.split()[:2] for row in table[1:]] == [["LRT-001", "Nadia"], ["LRT-008", "Inès"]]

    listed = json.loads(ok(tmp_path, "participants", "invites", "--territory", "LRT", "--json"))
    assert [entry["external_id"] for entry in listed] == ["LRT-001", "LRT-008"]
    for entry, row in zip(listed, table[1:], strict=True):
        assert re.fullmatch(
            r"https://t\.me/enavant_bot\?start=inv_[A-Za-z0-9_-]{22}", entry["link"]
        )
        assert row.split()[2:] == [entry["link"], entry["expires_on"]]


def test_invites_are_sent_by_sms_or_e_mail_to_those_who_agreed_once(tmp_path: Path) -> None:
    """Nadia agreed to SMS (her counsellor recorded it): `--send` queues her link for her,
    by the channel the sender picks; Inès, with no contact agreed to, gets it by hand."""
    ok(tmp_path, "participants", "import", str(CASELOAD))
    with sqlite3.connect(tmp_path / "cli.db") as db:
        db.execute(
            "UPDATE participants SET phone = '+33612345678', phone_consent_at = "
            "'2026-11-01 09:00:00.000000' WHERE external_id = 'LRT-001'"
        )
    for sent in (1, 0):  # the same link is not sent twice
        result = enavant(tmp_path, "participants", "invites", "--territory", "LRT", "--send")
        assert result.returncode == 0, result.stderr
        assert f"{sent} invite link(s) queued by SMS or e-mail" in result.stderr
    with sqlite3.connect(tmp_path / "cli.db") as db:
        rows = db.execute(
            "SELECT o.chat_id, p.external_id, json_extract(o.payload, '$.key'), "
            "json_extract(o.payload, '$.vars.url') FROM outbox o "
            "JOIN participants p ON p.id = o.participant_id"
        ).fetchall()
    [(chat, who, key, url)] = rows
    assert (chat, who, key) == (None, "LRT-001", "join-invite")
    assert re.fullmatch(r"https://t\.me/enavant_bot\?start=inv_[A-Za-z0-9_-]{22}", url)


def test_invites_for_an_unknown_territory_fail_in_one_line(tmp_path: Path) -> None:
    result = enavant(tmp_path, "participants", "invites", "--territory", "WVL")
    assert "unknown territory 'WVL'" in one_line_failure(result)


def test_a_backup_and_an_absence_are_set_and_cleared(tmp_path: Path) -> None:
    enavant(
        tmp_path,
        "staff",
        "add",
        "--telegram-id",
        "9100",
        "--role",
        "cet",
        "--name",
        "Karim",
        "--territory",
        "LRT",
    )
    enavant(
        tmp_path,
        "staff",
        "add",
        "--telegram-id",
        "9200",
        "--role",
        "cet",
        "--name",
        "Sophie",
        "--territory",
        "FM",
    )

    away = enavant(
        tmp_path,
        "staff",
        "cover",
        "--telegram-id",
        "9100",
        "--backup",
        "9200",
        "--away-until",
        "2026-12-31",
    )
    assert (away.returncode, away.stdout) == (0, "Karim: backup Sophie, away until 2026-12-31\n")
    back = enavant(tmp_path, "staff", "cover", "--telegram-id", "9100", "--back")
    assert back.stdout == "Karim: backup Sophie, at work\n"

    himself = enavant(tmp_path, "staff", "cover", "--telegram-id", "9100", "--backup", "9100")
    assert himself.returncode == 1 and "cannot be their own backup" in himself.stderr
    bad_date = enavant(tmp_path, "staff", "cover", "--telegram-id", "9100", "--away-until", "31/12")
    assert bad_date.returncode == 1 and "not a date" in bad_date.stderr


# who follows whom


def test_a_counsellor_who_leaves_hands_everyone_they_follow_to_a_colleague(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    add_staff(tmp_path, 1002, "cet", "Karim", "--territory", "LRT")
    ok(tmp_path, "participants", "import", str(CASELOAD), "--counsellor-telegram-id", "1001")

    removed = ok(tmp_path, "staff", "remove", "--telegram-id", "1001")
    assert "participants reassign --from 1001 --to TELEGRAM_ID" in removed
    handed = ok(tmp_path, "participants", "reassign", "--from", "1001", "--to", "1002")
    # Those still followed: not those who found a job, went to a training or left.
    assert handed.splitlines() == ["LRT-001: Sophie Martin -> Karim (now)"]
    again = ok(tmp_path, "participants", "reassign", "--from", "1001", "--to", "1002")
    assert again.strip() == "staff member 1001 follows nobody"
    # Karim is told, through the outbox (Sophie left; Nadia is not on Telegram yet).
    assert "pending: 1" in ok(tmp_path, "outbox", "status")


def test_one_participant_is_reassigned_by_reference(tmp_path: Path) -> None:
    add_sophie(tmp_path)
    add_staff(tmp_path, 1002, "cet", "Karim", "--territory", "LRT")
    ok(tmp_path, "participants", "import", str(CASELOAD))

    assert ok(tmp_path, "participants", "reassign", "LRT-001", "--to", "1002").strip() == (
        "LRT-001: nobody -> Karim (now)"
    )
    assert ok(tmp_path, "participants", "reassign", "#1", "--to", "1002").strip() == (
        "LRT-001: Karim -> Karim (already)"
    )
    moved = ok(tmp_path, "participants", "reassign", "1", "--to", "1001")
    assert moved.strip() == "LRT-001: Karim -> Sophie Martin (now)"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("LRT-999", "--to", "1001"), "no participant 'LRT-999'"),
        (("LRT-001", "--to", "77"), "no active staff member with Telegram id 77"),
        (("LRT-001", "--to", "2001"), "only an active cet or coordinator can follow"),
        (("--from", "77", "--to", "1001"), "no staff member with Telegram id 77"),
    ],
)
def test_a_reassignment_that_cannot_be_done_is_one_line_and_fails(
    tmp_path: Path, args: tuple[str, ...], reason: str
) -> None:
    add_sophie(tmp_path)
    add_staff(tmp_path, 2001, "vdab", "Els")
    ok(tmp_path, "participants", "import", str(CASELOAD))
    assert reason in one_line_failure(enavant(tmp_path, "participants", "reassign", *args))


def test_reassign_needs_one_participant_or_from(tmp_path: Path) -> None:
    for args in (("--to", "1001"), ("LRT-001", "--from", "1", "--to", "1001")):
        result = enavant(tmp_path, "participants", "reassign", *args)
        assert result.returncode == 2
        assert "give either a PARTICIPANT or --from" in result.stderr
