"""The coordinator imports VDAB's and employers' vacancy files at the terminal: a summary on
stdout, each refused row on stderr with its file and line, and a clear one-line failure for
a file that cannot be imported at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings

pytestmark = [
    pytest.mark.own_sqlite,
    pytest.mark.usefixtures("examples_date", "cli_database"),
]  # see conftest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CSV = ROOT / "examples" / "vacancies.csv"
EXAMPLE_JSON = ROOT / "examples" / "vacancies.json"


def import_file(path: Path) -> Result:
    return CliRunner().invoke(app, ["vacancies", "import", str(path)])


def one_line_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("enavant: ")
    return lines[0]


def test_the_example_file_is_imported_and_importing_it_as_json_changes_nothing() -> None:
    first = import_file(EXAMPLE_CSV)
    assert (first.exit_code, first.stderr) == (0, "")
    assert (
        first.stdout == "created 15, updated 0, unchanged 0, rejected 0\nalerts queued 0\n"
        "read as UTF-8, ','-separated\n"
    )

    again = import_file(EXAMPLE_JSON)
    assert (again.exit_code, again.stderr) == (0, "")
    assert (
        again.stdout
        == "created 0, updated 0, unchanged 15, rejected 0\nalerts queued 0\nread as JSON (UTF-8)\n"
    )


def test_bad_rows_go_to_stderr_with_their_line_and_good_rows_are_imported(
    tmp_path: Path,
) -> None:
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "vdab.csv"
    bad_postcode = lines[2].replace(",8930,Menen,", ",9999,Menen,")
    bad_level = lines[3].replace(",A2,no,permanent,", ",Z9,no,permanent,")
    mixed.write_text("\n".join([lines[0], lines[1], bad_postcode, bad_level]) + "\n")

    result = import_file(mixed)

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "created 1, updated 0, unchanged 0, rejected 2"
    assert result.stderr.splitlines() == [
        "vdab.csv: line 3: unknown postcode '9999'",
        "vdab.csv: line 4: dutch_level must be one of A0, A1, A2, B1, B2, C1, C2",
    ]


def test_json_rejections_name_the_item(tmp_path: Path) -> None:
    items = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))[:2]
    items[1]["contract"] = "freelance"
    export = tmp_path / "export.txt"  # no telling extension: the content says JSON
    export.write_text(json.dumps(items))

    result = import_file(export)

    assert result.stdout.splitlines()[0] == "created 1, updated 0, unchanged 0, rejected 1"
    assert result.stderr.strip() == (
        "export.txt: item 2: contract must be one of permanent, temporary, interim"
    )


def test_a_file_with_only_bad_rows_fails(tmp_path: Path) -> None:
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text(lines[0] + "\n" + lines[1].replace("heftruckchauffeur,", "astronaut,", 1))

    result = import_file(only_bad)

    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "created 0, updated 0, unchanged 0, rejected 1"
    assert result.stderr.strip() == "bad.csv: line 2: unknown occupation 'astronaut'"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "cannot read"),
        ("short.csv", b"external_id,title_nl\nA,Lasser\n", "missing columns: employer"),
        ("broken.json", b'[{"external_id": "A"', "not valid JSON (line 1, column 21"),
        ("object.json", b'{"external_id": "A"}', "the JSON must be a list of vacancy objects"),
    ],
)
def test_a_file_that_cannot_be_imported_fails_in_one_line(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert reason in one_line_failure(import_file(path))


# --- after the import: alerts, and the counsellor's view --------------------------------

CASELOAD = (
    "external_id,first_name,territory,joined,status,status_date,employer,occupations,"
    "postcode,dutch_level,driving_licence,max_commute_km,availability\n"
    "LRT-001,Nadia,LRT,2026-09-01,followed,,,Cariste,59000,A2,no,30,day;shifts\n"
    "LRT-002,Yves,LRT,2026-09-01,followed,,,Soudeur,59000,A2,no,30,day\n"
    "LRT-003,Lea,LRT,2026-09-01,job,2026-10-01,Vanhee,Cariste,59000,A2,no,30,day;shifts\n"
)


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


def seed_telegram_participant(mode: str = "instant") -> None:
    """Someone registered in the bot, with instant alerts: a forklift driver in Lille."""
    import asyncio

    from bot.db.base import utcnow
    from bot.db.engine import create_engine, create_sessionmaker
    from bot.db.migrate import upgrade
    from bot.db.models import Participant, User

    async def _seed() -> None:
        engine = create_engine(get_settings().database_url)
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session:
            user = User(telegram_id=4242, locale="fr")
            session.add(user)
            await session.flush()
            session.add(
                Participant(
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
                    availability=["day", "shifts"],
                    alert_mode=mode,
                )
            )
            await session.commit()
        await engine.dispose()

    asyncio.run(_seed())


def queued_alerts() -> list[tuple[int, str]]:
    import asyncio

    from sqlalchemy import select

    from bot.db.engine import create_engine, create_sessionmaker
    from bot.db.models import OutboxMessage

    async def _read():
        engine = create_engine(get_settings().database_url)
        async with create_sessionmaker(engine)() as session:
            rows = await session.execute(select(OutboxMessage.chat_id, OutboxMessage.dedupe_key))
            found = [(chat, key) for chat, key in rows]
        await engine.dispose()
        return found

    return asyncio.run(_read())


def test_import_queues_instant_alerts_for_matching_people_on_telegram() -> None:
    seed_telegram_participant()
    result = import_file(EXAMPLE_CSV)
    assert result.exit_code == 0, result.output
    queued = int(result.stdout.splitlines()[1].removeprefix("alerts queued "))
    alerts = queued_alerts()
    assert queued >= 1 and len(alerts) == queued
    assert all(chat == 4242 and key.startswith("alert:") for chat, key in alerts)


def test_matches_lists_followed_people_including_those_not_on_telegram(tmp_path: Path) -> None:
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(CASELOAD, encoding="utf-8")
    assert run(["participants", "import", str(caseload)]).exit_code == 0
    seed_telegram_participant(mode="off")
    assert import_file(EXAMPLE_CSV).exit_code == 0

    result = run(["vacancies", "matches", "WVL-2026-0101", "--json"])

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    # Nadia (imported, not on Telegram) and Amélie (on Telegram, alerts off) are both
    # forklift drivers in Lille; Yves is a welder and Léa already has a job.
    assert len(rows) == 2
    on_telegram = {r["on_telegram"]: r["participant"] for r in rows}
    assert on_telegram[False] == "LRT-001"
    assert isinstance(on_telegram[True], int)  # no external id: the internal one
    nadia = next(r for r in rows if r["participant"] == "LRT-001")
    assert nadia["distance_km"] == pytest.approx(26.1, abs=0.2)
    assert nadia["reasons"][:2] == ["même métier : Cariste", "Courtrai, à 26 km du domicile"]
    assert 0 < nadia["score"] <= 1


def test_matches_of_an_unknown_vacancy_is_a_clear_failure() -> None:
    assert import_file(EXAMPLE_CSV).exit_code == 0
    line = one_line_failure(run(["vacancies", "matches", "NOPE-1"]))
    assert "no vacancy 'NOPE-1'" in line
