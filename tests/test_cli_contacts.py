"""A coordinator checks at the terminal how a participant is reached and records a STOP the
person said on the phone: `enavant participants contact`, numbers and addresses never
printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import one_line_failure, run

pytestmark = [pytest.mark.own_sqlite, pytest.mark.usefixtures("cli_database")]  # see conftest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "caseload.csv"


def ok(*args: str) -> str:
    result = run(list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_how_a_person_is_reached_and_a_stop_recorded() -> None:
    ok("participants", "import", str(EXAMPLE))
    shown = ok("participants", "contact", "LRT-001")
    # No SMS provider set up: the phone agreed to reaches nobody yet.
    assert shown.splitlines() == [
        "LRT-001: reached by nobody",
        "  phone: yes, agreed 2024-11-18, stopped —",
        "  email: none",
        "  channels: telegram, sms, email",
        "  language: fr",
    ]
    assert "+33" not in shown and "06 12" not in shown

    stopped = ok("participants", "contact", "LRT-001", "--stop", "sms").splitlines()
    assert stopped[0] == "LRT-001: sms stopped now"
    assert stopped[2].startswith("  phone: yes, agreed 2024-11-18, stopped 2")
    again = ok("participants", "contact", "#1", "--stop", "sms").splitlines()
    assert again[0] == "LRT-001: sms already stopped"

    julie = ok("participants", "contact", "WAPI-002")
    assert "julie" not in julie and "  email: yes, agreed" in julie


def test_an_unknown_person_or_channel_is_one_line() -> None:
    assert "no participant 'X-9'" in one_line_failure(run(["participants", "contact", "X-9"]))
    usage = run(["participants", "contact", "1", "--stop", "fax"])
    assert (usage.exit_code, usage.output.strip()) == (2, "enavant: --stop must be sms or email")
