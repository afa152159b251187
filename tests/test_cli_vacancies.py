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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CSV = ROOT / "examples" / "vacancies.csv"
EXAMPLE_JSON = ROOT / "examples" / "vacancies.json"
NAMES = ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL", "TZ")


@pytest.fixture(autouse=True)
def temporary_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The command in this process, on a database file of the test's own; the settings are
    cached, so they are read again for each test."""
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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
    assert first.stdout == "created 15, updated 0, unchanged 0, rejected 0\n"

    again = import_file(EXAMPLE_JSON)
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout == "created 0, updated 0, unchanged 15, rejected 0\n"


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
    assert result.stdout.strip() == "created 1, updated 0, unchanged 0, rejected 2"
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

    assert result.stdout.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert result.stderr.strip() == (
        "export.txt: item 2: contract must be one of permanent, temporary, interim"
    )


def test_a_file_with_only_bad_rows_fails(tmp_path: Path) -> None:
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text(lines[0] + "\n" + lines[1].replace("heftruckchauffeur,", "astronaut,", 1))

    result = import_file(only_bad)

    assert result.exit_code == 1
    assert result.stdout.strip() == "created 0, updated 0, unchanged 0, rejected 1"
    assert result.stderr.strip() == "bad.csv: line 2: unknown occupation 'astronaut'"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "cannot read"),
        ("short.csv", b"external_id,title_nl\nA,Lasser\n", "missing columns: employer"),
        ("latin1.csv", "external_id,employer\nA,Société\n".encode("cp1252"), "not UTF-8"),
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
