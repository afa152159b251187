"""The files counsellors really have: French Excel's Windows-1252 with semicolons, tabs,
.xlsx workbooks, a quote left open, a cell far too long, a cell that looks like a formula,
and files large enough that an import must stream them in batches. Each case goes through
the caseload, session and vacancy imports alike (one reader serves them all)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.common import rows as csv_rows
from bot.common.rows import BATCH_ROWS, FIELD_MAX, safe_cell
from bot.db.models import Invite, Participant, ProgrammeSession, Vacancy
from bot.services.participants.caseload import COLUMNS, import_caseload
from bot.services.reports.programme import Figures, Report, as_csv
from bot.services.sessions.imports import FIELDS as SESSION_FIELDS
from bot.services.sessions.imports import import_sessions
from bot.services.vacancies.offers import FIELDS as VACANCY_FIELDS
from bot.services.vacancies.offers import guess_format, import_vacancies
from tests.helpers.people import PARIS, TUESDAY_10H

NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
FORMULA = '=HYPERLINK("http://evil.example","Nadia")'

PERSON = dict(
    zip(
        COLUMNS,
        (
            "LRT-001",
            "Léa",
            "LRT",
            "2024-03-04",
            "job",
            "2024-05-02",
            "Œuvre du Cœur (5 € de l'heure)",
            "Cariste;Magasinier",
            "59100",
            "A1",
            "oui",
            "30",
            "day;shifts",
        ),
        strict=True,
    )
)
SESSION = {
    "kind": "info",
    "title_fr": "Réunion : l'œuvre des frontaliers — 5 € le repas",
    "title_nl": "Infosessie",
    "starts_at": "2027-01-14T10:00:00+01:00",
    "duration_min": "60",
    "url": "https://meet.jit.si/EnAvant",
    "capacity": "25",
    "territories": "LRT;WAPI",
    "occupations": "",
    "cutoff_hours": "24",
}
VACANCY = {
    "external_id": "K-1",
    "title_nl": "Heftruckchauffeur (m/v/x)",
    "employer": "Bœuf & Cie — Kortrijk",
    "occupation": "heftruckchauffeur",
    "postcode": "8500",
    "municipality": "Kortrijk",
    "description_nl": "Je laadt en lost vrachtwagens. Loon: 15 € per uur.",
    "dutch_level": "A2",
    "driving_licence": "no",
    "contract": "interim",
    "schedule": "shifts",
    "hours_per_week": "38",
    "published": "2026-11-02",
    "expires": "2027-01-31",
    "url": "https://jobs.example/k-1",
}
KINDS = {
    "caseload": (COLUMNS, PERSON, "external_id"),
    "sessions": (SESSION_FIELDS, SESSION, "title_fr"),
    "vacancies": (VACANCY_FIELDS, VACANCY, "external_id"),
}


def people(count: int, **changes: str) -> list[dict[str, str]]:
    return [{**PERSON, "external_id": f"LRT-{n:05}", **changes} for n in range(1, count + 1)]


def rows_of(kind: str, count: int) -> list[dict[str, str]]:
    """`count` distinct good rows of the kind."""
    _, good, key = KINDS[kind]
    return [{**good, key: f"{good[key]} {n}"} for n in range(1, count + 1)]


def csv_bytes(
    columns, rows, *, delimiter: str = ",", encoding: str = "utf-8", end: str = "\n"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=end)
    writer.writerow(columns)
    writer.writerows([row[name] for name in columns] for row in rows)
    return buffer.getvalue().encode(encoding)


def french_excel(columns, rows) -> bytes:
    """What French Excel writes for "CSV (séparateur : point-virgule)"."""
    return csv_bytes(columns, rows, delimiter=";", encoding="cp1252", end="\r\n")


def workbook(columns, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row[name] for name in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def run_import(session, kind: str, source, name: str = "", **options):
    if kind == "caseload":
        return await import_caseload(session, source, now=NOW, name=name, **options)
    if kind == "sessions":
        return await import_sessions(
            session, source, TUESDAY_10H, PARIS, draft=True, name=name, **options
        )
    fmt = guess_format(name, source[:64] if isinstance(source, bytes) else "")
    return await import_vacancies(session, source, fmt, TODAY, name=name, **options)


async def stored(session, kind: str) -> list[str]:
    """What the import stored, by the row's key column (the text with its accents)."""
    column = {
        "caseload": Participant.employer,
        "sessions": ProgrammeSession.title_fr,
        "vacancies": Vacancy.employer,
    }[kind]
    return list(await session.scalars(select(column).order_by(column)))


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


# --- encodings and separators -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_french_excel_file_in_windows_1252_with_semicolons_is_imported(
    session, tmp_path, kind
) -> None:
    columns, good, _ = KINDS[kind]
    path = write(tmp_path, "fichier.csv", french_excel(columns, rows_of(kind, 2)))

    report = await run_import(session, kind, path, path.name)

    assert (report.created, report.rejected) == (2, 0)
    assert report.read_as == "Windows-1252, ';'-separated"
    text_column = {"caseload": "employer", "sessions": "title_fr", "vacancies": "employer"}
    first = (await stored(session, kind))[0]
    assert first.startswith(good[text_column[kind]])  # accents, œ, € and — as written


async def test_the_accents_of_a_windows_1252_caseload_are_stored_as_written(
    session, tmp_path
) -> None:
    path = write(tmp_path, "suivi.csv", french_excel(COLUMNS, people(1)))

    await import_caseload(session, path, now=NOW)

    lea = await session.scalar(select(Participant))
    assert (lea.first_name, lea.employer) == ("Léa", "Œuvre du Cœur (5 € de l'heure)")
    assert lea.occupations and lea.availability == ["day", "shifts"]


@pytest.mark.parametrize(
    ("delimiter", "bom", "read_as"),
    [
        (";", "", "UTF-8, ';'-separated"),
        (";", "\ufeff", "UTF-8, ';'-separated"),
        ("\t", "", "UTF-8, tab-separated"),
        (",", "\ufeff", "UTF-8, ','-separated"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
async def test_utf8_files_separated_by_semicolons_or_tabs_are_imported(
    session, tmp_path, kind, delimiter, bom, read_as
) -> None:
    columns, _, _ = KINDS[kind]
    content = bom.encode() + csv_bytes(columns, rows_of(kind, 3), delimiter=delimiter)
    path = write(tmp_path, "file.csv", content)

    report = await run_import(session, kind, path, path.name)

    assert (report.created, report.rejected, report.read_as) == (3, 0, read_as)


async def test_a_byte_that_windows_1252_does_not_know_is_read_as_latin_1(session) -> None:
    content = french_excel(COLUMNS, people(1)).replace("Léa".encode("cp1252"), b"L\xe9a\x81")

    report = await import_caseload(session, content, now=NOW)

    assert (report.created, report.read_as) == (1, "Latin-1, ';'-separated")


@pytest.mark.parametrize("kind", KINDS)
async def test_a_wrong_header_names_the_columns_found_and_the_separator_hint(session, kind) -> None:
    columns, _, _ = KINDS[kind]
    header = "|".join(columns)

    with pytest.raises(ValueError) as refused:
        await run_import(session, kind, f"{header}\n".encode(), "file.csv")

    assert f"columns found: {header}" in str(refused.value)
    assert "separate the columns with a comma, a semicolon or a tab" in str(refused.value)


# --- .xlsx --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_an_xlsx_workbook_is_imported_by_its_name_or_its_content(
    session, tmp_path, kind
) -> None:
    columns, _, _ = KINDS[kind]
    content = workbook(columns, rows_of(kind, 3))

    report = await run_import(session, kind, write(tmp_path, "file.xlsx", content), "file.xlsx")
    again = await run_import(session, kind, content, "export")  # no extension: sniffed

    assert (report.created, report.rejected, report.read_as) == (3, 0, "xlsx")
    assert (again.created, again.rejected, again.read_as) == (0, 0, "xlsx")


async def test_xlsx_numbers_dates_and_yes_no_cells_read_as_the_text_they_show(session) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    cells = {**PERSON, "joined": datetime(2024, 3, 4), "postcode": 59100, "max_commute_km": 30.0}
    sheet.append([cells[name] for name in COLUMNS] + [None, None])  # formatted, empty cells
    sheet.append([None] * len(COLUMNS))  # an empty row
    buffer = io.BytesIO()
    book.save(buffer)

    report = await import_caseload(session, buffer.getvalue(), now=NOW, name="suivi.xlsx")

    assert (report.created, report.rejected) == (1, 0)
    lea = await session.scalar(select(Participant))
    assert (lea.joined, lea.home_postcode, lea.max_commute_km) == (date(2024, 3, 4), "59100", 30)


async def test_a_file_that_is_not_a_workbook_but_named_xlsx_is_refused_in_one_reason(
    session,
) -> None:
    with pytest.raises(ValueError, match=r"not a readable \.xlsx workbook"):
        await import_caseload(session, b"PK\x03\x04 broken", now=NOW, name="suivi.xlsx")


# --- a quote left open, a cell too long ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_quote_left_open_skips_its_row_and_keeps_the_good_rows_after_it(
    session, kind
) -> None:
    columns, _, _ = KINDS[kind]
    lines = csv_bytes(columns, rows_of(kind, 6)).decode().splitlines()
    # Line 3 opens a quote in its second cell and never closes it.
    cells = lines[2].split(",")
    cells[1] = '"' + cells[1]
    lines[2] = ",".join(cells)

    report = await run_import(session, kind, ("\n".join(lines) + "\n").encode(), "f.csv")

    assert [str(rejection) for rejection in report.rejections] == [
        "line 3: a quote opened on this line is never closed: the row is skipped"
    ]
    assert report.created == 5


async def test_a_quoted_cell_on_several_lines_is_still_one_row(session) -> None:
    rows = [{**VACANCY, "description_nl": "Eerste regel.\nTweede regel;\n\nDerde."}]

    report = await import_vacancies(session, csv_bytes(VACANCY_FIELDS, rows), "csv", TODAY)

    assert (report.created, report.rejected) == (1, 0)
    stored_text = await session.scalar(select(Vacancy.description_nl))
    assert stored_text == "Eerste regel.\nTweede regel;\n\nDerde."


async def test_a_quote_left_open_on_the_last_line_is_reported(session) -> None:
    content = csv_bytes(COLUMNS, people(2)) + b'LRT-9,"Ana,LRT\n'

    report = await import_caseload(session, content, now=NOW)

    assert report.created == 2
    assert [str(r) for r in report.rejections] == [
        "line 4: a quote opened on this line is never closed: the row is skipped"
    ]


@pytest.mark.parametrize("size", [FIELD_MAX + 1, 200_000])
@pytest.mark.parametrize("kind", KINDS)
async def test_a_cell_too_long_refuses_its_row_not_the_file(session, kind, size) -> None:
    columns, _, _ = KINDS[kind]
    rows = rows_of(kind, 3)
    rows[1][columns[2]] = "x" * size

    report = await run_import(session, kind, csv_bytes(columns, rows), "f.csv")

    assert [str(r) for r in report.rejections] == [
        f"line 3: a cell is longer than {FIELD_MAX} characters"
    ]
    assert report.created == 2


# --- formulas -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_cell_that_looks_like_a_formula_is_stored_as_the_text_it_is(session, kind) -> None:
    columns, good, _ = KINDS[kind]
    text_column = {"caseload": "employer", "sessions": "title_fr", "vacancies": "employer"}[kind]
    rows = [{**good, text_column: FORMULA}]

    await run_import(session, kind, csv_bytes(columns, rows), "f.csv")

    assert await stored(session, kind) == [FORMULA]


@pytest.mark.parametrize("value", [FORMULA, "+32 470", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_written_with_a_leading_quote(value) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Nadia", "", 3, -1, 0.5, None, "a=b"])
def test_other_cells_are_written_unchanged(value) -> None:
    assert safe_cell(value) == value


def test_the_report_csv_neutralises_every_text_cell() -> None:
    shown = Figures(FORMULA, followed=-1)
    report = Report(date(2026, 11, 1), date(2026, 11, 30), [shown], Figures("total"))

    line = as_csv(report).splitlines()[1]

    assert line.startswith('2026-11-01,2026-11-30,"\'=HYPERLINK(""http://evil.example')
    assert ",-1," in line  # a number stays a number


# --- large files: streaming in batches ----------------------------------------------------


async def test_a_caseload_is_read_and_applied_a_batch_at_a_time(session, tmp_path) -> None:
    count = BATCH_ROWS * 2 + 500
    path = write(tmp_path, "big.csv", french_excel(COLUMNS, people(count)))
    seen: list[tuple[int, int, int]] = []

    async def on_batch(report, table) -> None:
        await session.commit()
        session.expunge_all()
        done, total = table.progress()
        seen.append((report.created, done, total))

    report = await import_caseload(session, path, now=NOW, on_batch=on_batch)

    assert [created for created, _, _ in seen] == [BATCH_ROWS, BATCH_ROWS * 2, count]
    size = path.stat().st_size
    assert seen[0][1] < size  # the first batch was applied before the file was all read
    assert seen[-1][1:] == (size, size)
    assert report.summary == f"created {count}, updated 0, rejected 0"
    assert await session.scalar(select(func.count()).select_from(Invite)) == count


async def test_a_large_caseload_imported_again_changes_nobody_and_adds_no_invite(
    session, tmp_path
) -> None:
    path = write(tmp_path, "big.csv", csv_bytes(COLUMNS, people(BATCH_ROWS + 10)))
    await import_caseload(session, path, now=NOW)
    await session.commit()

    again = await import_caseload(session, path, now=NOW)

    assert again.summary == f"created 0, updated {BATCH_ROWS + 10}, rejected 0"
    assert await session.scalar(select(func.count()).select_from(Invite)) == BATCH_ROWS + 10


async def test_rejections_taken_as_the_import_goes_are_still_counted(session) -> None:
    rows = people(BATCH_ROWS + 5)
    for row in rows[::2]:
        row["territory"] = "XX"
    taken: list[csv_rows.Rejection] = []

    async def on_batch(report, _table) -> None:
        taken.extend(report.take_rejections())

    report = await import_caseload(session, csv_bytes(COLUMNS, rows), now=NOW, on_batch=on_batch)

    assert (report.rejected, len(taken), report.rejections) == (len(rows[::2]), report.rejected, [])
    assert [r.line for r in taken] == list(range(2, len(rows) + 2, 2))


@pytest.mark.parametrize("kind", ["sessions", "vacancies"])
async def test_sessions_and_vacancies_are_applied_a_batch_at_a_time(session, kind) -> None:
    columns, _, _ = KINDS[kind]
    batches: list[int] = []

    async def on_batch(report, _table) -> None:
        batches.append(report.created)

    content = csv_bytes(columns, rows_of(kind, BATCH_ROWS + 1))
    await run_import(session, kind, content, "f.csv", on_batch=on_batch)
    again = await run_import(session, kind, content, "f.csv")

    assert batches == [BATCH_ROWS, BATCH_ROWS + 1]
    assert again.summary == f"created 0, updated 0, unchanged {BATCH_ROWS + 1}, rejected 0"


def test_records_come_before_the_file_is_read_to_its_end(tmp_path) -> None:
    path = write(tmp_path, "big.csv", csv_bytes(COLUMNS, people(20_000)))

    table = csv_rows.read_table(path, COLUMNS, ValueError)
    first = next(table.records)

    assert first[0] == 2 and first[1]["external_id"] == "LRT-00001"
    assert table.progress()[0] < path.stat().st_size / 2
