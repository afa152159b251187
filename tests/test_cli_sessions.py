"""The coordinator plans sessions at the terminal: `enavant sessions import` reads a series
from a file, `sessions list` shows the seats taken, `sessions book` books someone who
called (on Telegram or not). Summaries on stdout, refused rows on stderr with their line,
and a clear one-line failure for anything that cannot be done."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.helpers.cli import in_database, one_line_failure, run

pytestmark = [
    pytest.mark.own_sqlite,
    pytest.mark.usefixtures("examples_date", "cli_database"),
]  # see conftest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sessions.csv"
HEADER = (
    "kind,title_fr,title_nl,starts_at,duration_min,url,capacity,territories,occupations,"
    "cutoff_hours"
)
CASELOAD = (
    "external_id,first_name,territory,joined,status,status_date,employer,occupations,"
    "postcode,dutch_level,driving_licence,max_commute_km,availability\n"
    "LRT-001,Nadia,LRT,2026-09-01,followed,,,Cariste,59000,A2,no,30,day;shifts\n"
    "LRT-002,Yves,LRT,2026-09-01,followed,,,Soudeur,59000,A2,no,30,day\n"
    "WAPI-003,Léa,WAPI,2026-09-01,followed,,,Emballeur,7500,A1,yes,40,day\n"
)


def import_file(path: Path, *options: str) -> Result:
    return run(["sessions", "import", str(path), *options])


def import_caseload(tmp_path: Path) -> None:
    """Three followed people imported by their counsellor, none of them on Telegram yet."""
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(CASELOAD, encoding="utf-8")
    result = run(["participants", "import", str(caseload)])
    assert result.exit_code == 0, result.output


def seed_telegram_participant() -> int:
    """Someone registered in the bot: a forklift driver in Lille. Returns their id."""
    from bot.db.base import utcnow
    from bot.db.models import Participant, User

    async def _seed(session: AsyncSession) -> int:
        user = User(telegram_id=4242, locale="fr")
        session.add(user)
        await session.flush()
        participant = Participant(
            user_id=user.id,
            consent_at=utcnow(),
            first_name="Amélie",
            territory="LRT",
            occupations=["8344.1"],
            dutch_level="A2",
            driving_licence=False,
            max_commute_km=30,
            home_postcode="59000",
            home_lat=50.6330,
            home_lon=3.0586,
            availability=["day"],
            alert_mode="instant",
        )
        session.add(participant)
        await session.flush()
        return participant.id

    return in_database(_seed)


def outbox() -> list[tuple[int, str]]:
    from bot.db.models import OutboxMessage

    async def _read(session: AsyncSession) -> list[tuple[int, str]]:
        rows = await session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.dedupe_key).order_by(OutboxMessage.id)
        )
        return [(chat, key) for chat, key in rows]

    return in_database(_read)


def session_file(tmp_path: Path, *, capacity: int = 2, starts_in=timedelta(days=30)) -> Path:
    """One company presentation, `starts_in` from now, with `capacity` seats (session 1 in
    an empty database)."""
    starts = (datetime.now(UTC) + starts_in).replace(microsecond=0).isoformat()
    path = tmp_path / "one.csv"
    path.write_text(
        f"{HEADER}\ncompany_presentation,Vlaamse Verpakking se présente,,{starts},60,"
        f"https://meet.jit.si/vv,{capacity},,,24\n",
        encoding="utf-8",
    )
    return path


def listed() -> list[dict[str, Any]]:
    result = run(["sessions", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- import -------------------------------------------------------------------------------


def test_the_example_series_is_imported_and_importing_it_again_changes_nothing() -> None:
    first = import_file(EXAMPLE)
    assert (first.exit_code, first.stderr) == (0, "")
    assert (
        first.stdout == "created 13, updated 0, unchanged 0, rejected 0\ninvitations queued 0\n"
        "read as UTF-8, ','-separated\n"
    )

    again = import_file(EXAMPLE)
    assert (again.exit_code, again.stderr) == (0, "")
    assert (
        again.stdout == "created 0, updated 0, unchanged 13, rejected 0\ninvitations queued 0\n"
        "read as UTF-8, ','-separated\n"
    )


def test_the_series_invites_the_people_it_targets() -> None:
    seed_telegram_participant()  # a forklift driver in Lille (LRT), on Telegram

    result = import_file(EXAMPLE)

    # The ten Dutch lessons target everyone; the packaging firm wants forklift drivers of
    # LRT and WAPI; the food plant and the metal works want other trades.
    assert result.stdout.splitlines() == [
        "created 13, updated 0, unchanged 0, rejected 0",
        "invitations queued 11",
        "read as UTF-8, ','-separated",
    ]
    assert len(outbox()) == 11
    assert all(chat == 4242 and key.startswith("invite:") for chat, key in outbox())


def test_a_draft_import_invites_nobody_and_cannot_be_booked(tmp_path: Path) -> None:
    seed_telegram_participant()
    result = import_file(EXAMPLE, "--draft")
    assert result.stdout.splitlines()[1] == "invitations queued 0"
    assert {row["status"] for row in listed()} == {"draft"}
    assert outbox() == []
    import_caseload(tmp_path)
    line = one_line_failure(run(["sessions", "book", "1", "LRT-001"]))
    assert line == "enavant: session 1 cannot be booked: it is not published"


def test_bad_rows_go_to_stderr_with_their_line_and_good_rows_are_imported(
    tmp_path: Path,
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    naive = lines[2].replace("T18:00:00+01:00", "T18:00:00")
    no_room = lines[3].replace(",12,,,12", ",0,,,12")
    typo = lines[11].replace("Heftruckchauffeur", "Heftruckchaufeur")
    mixed = tmp_path / "planning.csv"
    mixed.write_text("\n".join([lines[0], lines[1], naive, no_room, typo]) + "\n")

    result = import_file(mixed)

    assert result.exit_code == 0
    assert (
        result.stdout == "created 1, updated 0, unchanged 0, rejected 3\ninvitations queued 0\n"
        "read as UTF-8, ','-separated\n"
    )
    assert result.stderr.splitlines() == [
        "planning.csv: line 3: starts_at '2027-01-12T18:00:00' has no UTC offset: write the "
        "zone's offset, like 2027-01-05T18:00+01:00",
        "planning.csv: line 4: capacity must be a whole number from 1 to 500",
        "planning.csv: line 5: unknown occupation 'Heftruckchaufeur' "
        "(did you mean Heftruckchauffeur?)",
    ]


def test_a_file_with_only_bad_rows_still_exits_zero(tmp_path: Path) -> None:
    past = tmp_path / "past.csv"
    past.write_text(
        f"{HEADER}\ncoaching,Néerlandais,,2020-01-07T18:00:00+01:00,90,https://meet.jit.si/nl,"
        "12,,,\n",
        encoding="utf-8",
    )
    result = import_file(past)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "created 0, updated 0, unchanged 0, rejected 1"
    assert result.stderr == "past.csv: line 2: starts_at 2020-01-07T18:00:00+01:00 is in the past\n"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "missing.csv: No such file or directory"),
        (
            "short.csv",
            b"kind,title_fr,starts_at\ncoaching,Cours,2027-01-05T18:00+01:00\n",
            "enavant: missing columns: title_nl, duration_min, url, capacity, territories, "
            "occupations, cutoff_hours",
        ),
        (
            "extra.csv",
            (HEADER + ",room\n").encode(),
            "enavant: unknown columns: room",
        ),
        ("empty.csv", b"", "enavant: the file is empty"),
    ],
)
def test_a_file_that_cannot_be_imported_fails_in_one_line(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert reason in one_line_failure(import_file(path))


# --- list ---------------------------------------------------------------------------------


def test_list_shows_each_session_with_its_seats_and_waitlist(tmp_path: Path) -> None:
    import_caseload(tmp_path)
    assert import_file(session_file(tmp_path, capacity=2)).exit_code == 0
    assert import_file(EXAMPLE).exit_code == 0
    for person in ("LRT-001", "LRT-002", "WAPI-003"):
        assert run(["sessions", "book", "1", person]).exit_code == 0
    assert run(["sessions", "book", "2", "LRT-001"]).exit_code == 0

    rows = listed()

    assert len(rows) == 14
    first, lesson = (next(r for r in rows if r["id"] == n) for n in (1, 2))
    assert list(first) == [
        "id",
        "title",
        "starts_at",
        "capacity",
        "confirmed",
        "waitlisted",
        "status",
        "kind",
    ]
    assert {key: first[key] for key in ("id", "title", "capacity", "confirmed", "waitlisted")} == {
        "id": 1,
        "title": "Vlaamse Verpakking se présente",
        "capacity": 2,
        "confirmed": 2,
        "waitlisted": 1,
    }
    assert datetime.fromisoformat(first["starts_at"]).utcoffset() is not None
    assert lesson == {
        "id": 2,
        "title": "Néerlandais pour le travail (séance 1/10)",
        "starts_at": "2027-01-05T18:00:00+01:00",  # the programme's time zone (Europe/Paris)
        "capacity": 12,
        "confirmed": 1,
        "waitlisted": 0,
        "status": "published",
        "kind": "coaching",
    }


def test_list_as_a_table(tmp_path: Path) -> None:
    empty = run(["sessions", "list"])
    assert empty.stdout == "no session to come: import some with `enavant sessions import`\n"
    assert import_file(EXAMPLE).exit_code == 0
    lines = run(["sessions", "list"]).stdout.splitlines()
    assert lines[0].split() == ["id", "starts", "kind", "status", "seats", "waiting", "title"]
    assert lines[1].split(maxsplit=7) == [
        "1",
        "2027-01-05",
        "18:00",
        "coaching",
        "published",
        "0/12",
        "0",
        "Néerlandais pour le travail (séance 1/10)",
    ]
    assert len(lines) == 14


def test_list_leaves_out_past_sessions_unless_asked(tmp_path: Path) -> None:
    assert import_file(session_file(tmp_path)).exit_code == 0
    move_session(1, starts_at=datetime.now(UTC) - timedelta(days=1))
    assert listed() == []
    assert [
        row["id"] for row in json.loads(run(["sessions", "list", "--json", "--all"]).stdout)
    ] == [1]


# --- book ---------------------------------------------------------------------------------


def move_session(session_id: int, **values: Any) -> None:
    from bot.db.models import ProgrammeSession

    async def _move(session: AsyncSession) -> None:
        programme_session = await session.get(ProgrammeSession, session_id)
        for name, value in values.items():
            setattr(programme_session, name, value)

    in_database(_move)


def test_booking_gives_a_seat_then_the_waitlist_with_the_position(tmp_path: Path) -> None:
    import_caseload(tmp_path)
    assert import_file(session_file(tmp_path, capacity=1)).exit_code == 0

    assert run(["sessions", "book", "1", "LRT-001"]).stdout == "confirmed\n"
    assert run(["sessions", "book", "1", "LRT-002"]).stdout == "waitlisted, position 1\n"
    assert run(["sessions", "book", "1", "WAPI-003"]).stdout == "waitlisted, position 2\n"
    assert run(["sessions", "book", "1", "LRT-001"]).stdout == "already confirmed\n"
    again = run(["sessions", "book", "1", "WAPI-003"])
    assert (again.exit_code, again.stdout) == (0, "already waitlisted, position 2\n")
    assert {k: listed()[0][k] for k in ("confirmed", "waitlisted")} == {
        "confirmed": 1,
        "waitlisted": 2,
    }


def test_an_imported_participant_not_on_telegram_is_booked_and_nothing_is_queued(
    tmp_path: Path,
) -> None:
    import_caseload(tmp_path)
    assert import_file(session_file(tmp_path)).exit_code == 0

    result = run(["sessions", "book", "1", "WAPI-003"])

    assert (result.exit_code, result.stdout, result.stderr) == (0, "confirmed\n", "")
    assert outbox() == []


def test_booking_someone_on_telegram_by_id_sends_the_ics_and_the_reminders(
    tmp_path: Path,
) -> None:
    assert import_file(session_file(tmp_path), "--draft").exit_code == 0
    move_session(1, status="published")  # published without inviting anyone
    participant_id = seed_telegram_participant()

    result = run(["sessions", "book", "1", str(participant_id)])

    assert result.stdout == "confirmed\n"
    keys = [key for chat, key in outbox() if chat == 4242]
    assert [key for key in keys if key.startswith("ics:1:")] != []
    assert len([key for key in keys if key.startswith("reminder:1:")]) == 3  # 3 days, 1 day, 1 h


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "cancelled"}, "it was cancelled"),
        ({"starts_at": -timedelta(hours=1)}, "it has already started"),
        ({"starts_at": timedelta(hours=3)}, "bookings have closed (cut-off before the start)"),
    ],
)
def test_a_session_that_is_not_open_refuses_the_booking_in_one_line(
    tmp_path: Path, change: dict[str, Any], reason: str
) -> None:
    import_caseload(tmp_path)
    assert import_file(session_file(tmp_path)).exit_code == 0
    if "starts_at" in change:  # from now, when the test runs
        change = {"starts_at": datetime.now(UTC) + change["starts_at"]}
    move_session(1, **change)

    line = one_line_failure(run(["sessions", "book", "1", "LRT-001"]))

    assert line == f"enavant: session 1 cannot be booked: {reason}"
    everything = json.loads(run(["sessions", "list", "--json", "--all"]).stdout)
    assert (everything[0]["confirmed"], everything[0]["waitlisted"]) == (0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1", "NOBODY-9"], "enavant: no participant 'NOBODY-9' (give their external_id or id)"),
        (["1", "99"], "enavant: no participant '99' (give their external_id or id)"),
        (
            ["1", "99999999999999999999"],
            "enavant: no participant '99999999999999999999' (give their external_id or id)",
        ),
        (["7", "LRT-001"], "enavant: no session 7 (see `enavant sessions list`)"),
        (
            ["99999999999", "LRT-001"],
            "enavant: no session 99999999999 (see `enavant sessions list`)",
        ),
    ],
)
def test_an_unknown_session_or_participant_is_a_one_line_failure(
    tmp_path: Path, args: list[str], message: str
) -> None:
    import_caseload(tmp_path)
    assert import_file(session_file(tmp_path)).exit_code == 0
    assert one_line_failure(run(["sessions", "book", *args])) == message
