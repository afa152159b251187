"""The coordinator prints the funders' report at the terminal: `enavant report` as a table,
JSON or CSV, with a chart when asked, over a period of days; a wrong date is one line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.helpers.cli import in_database, one_line_failure, run

pytestmark = [pytest.mark.own_sqlite, pytest.mark.usefixtures("cli_database")]  # see conftest

NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]
KEYS = [
    "followed",
    "job_exits",
    "training_exits",
    "exit_rate",
    "sessions_held",
    "seats_booked",
    "attendance_rate",
    "no_show_rate",
    "alerts_sent",
    "interested",
    "escalations_opened",
    "median_first_answer_hours",
    "reached_telegram",
    "reached_sms",
    "reached_email",
    "reached_nobody",
    "sent_telegram",
    "sent_sms",
    "sent_email",
    "sms_segments",
]


@pytest.fixture
def caseload() -> None:
    """Four people followed in Lille-Roubaix-Tourcoing in November, one of whom started a
    job; one in Flanders maritime."""
    from bot.db.models import Outcome, Participant

    async def _seed(session: AsyncSession) -> None:
        for n in range(4):
            session.add(
                Participant(external_id=f"LRT-{n}", territory="LRT", joined=date(2026, 9, 1))
            )
        session.add(Participant(external_id="FM-1", territory="FM", joined=date(2026, 10, 1)))
        await session.flush()
        session.add(
            Outcome(
                participant_id=1,
                kind="job",
                employer="Agristo",
                start_date=date(2026, 11, 16),
                confirmed_at=datetime(2026, 11, 17, 9, 0),
            )
        )

    in_database(_seed)


def test_json_has_the_period_each_territory_in_order_and_the_totals(caseload) -> None:
    result = run(["report", "--format", "json", *NOVEMBER])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert list(shown) == ["period", "territories", "totals"]
    assert shown["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert [t["code"] for t in shown["territories"]] == ["LRT", "FM", "WAPI"]
    lrt = shown["territories"][0]
    assert list(lrt) == ["code", *KEYS]
    assert (lrt["followed"], lrt["job_exits"], lrt["exit_rate"]) == (4, 1, 0.25)
    assert lrt["attendance_rate"] is None and lrt["median_first_answer_hours"] is None
    assert list(shown["totals"]) == KEYS
    assert (shown["totals"]["followed"], shown["totals"]["exit_rate"]) == (5, 0.2)


def test_csv_has_a_line_per_territory_and_the_totals(caseload) -> None:
    result = run(["report", "--format", "csv", *NOVEMBER])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["territory"] for r in rows] == ["LRT", "FM", "WAPI", "total"]
    assert rows[0] == {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "territory": "LRT",
        **dict.fromkeys(KEYS, "0"),
        "followed": "4",
        "job_exits": "1",
        "exit_rate": "0.25",
        "attendance_rate": "",
        "no_show_rate": "",
        "median_first_answer_hours": "",
        "reached_nobody": "4",  # imported, no Telegram, no phone or e-mail
    }


def test_the_table_is_in_the_language_asked(caseload) -> None:
    french = run(["report", *NOVEMBER]).stdout.splitlines()
    assert french[0] == "du 01/11/2026 au 30/11/2026"
    assert french[2].split() == ["Indicateur", "LRT", "FM", "WAPI", "Total"]
    assert french[3].split() == ["Suivis", "4", "1", "0", "5"]
    dutch = run(["report", "--lang", "nl", *NOVEMBER]).stdout.splitlines()
    assert dutch[3].split() == ["Begeleid", "4", "1", "0", "5"]
    assert dutch[6].split() == ["Werkgraad", "25%", "0%", "—", "20%"]


def test_chart_writes_a_png(caseload, tmp_path: Path) -> None:
    chart = tmp_path / "report.png"
    result = run(["report", "--format", "json", "--chart", str(chart), *NOVEMBER])
    assert result.exit_code == 0, result.output
    content = chart.read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 0
    assert json.loads(result.stdout)["period"]["from"] == "2026-11-01"


def test_the_default_period_is_this_month_so_far_in_programme_time() -> None:
    result = run(["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    assert json.loads(result.stdout)["period"] == {
        "from": today.replace(day=1).isoformat(),
        "to": today.isoformat(),
    }


@pytest.mark.parametrize("bad", ["2026-13-01", "01/11/2026", "yesterday"])
def test_a_date_that_is_not_iso_is_one_line(bad: str) -> None:
    line = one_line_failure(run(["report", "--from", bad]))
    assert f"--from {bad!r} is not a date" in line


def test_a_period_ending_before_it_starts_is_one_line() -> None:
    line = one_line_failure(run(["report", "--from", "2026-11-30", "--to", "2026-11-01"]))
    assert "after --to" in line


def test_an_unknown_format_is_refused() -> None:
    result = run(["report", "--format", "xlsx"])
    assert result.exit_code == 2 and "--format must be one of" in result.stderr


def test_the_command_does_not_load_aiogram() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from bot.cli import app; from bot.services.reports import programme; "
        "print(any(m.startswith('aiogram') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
