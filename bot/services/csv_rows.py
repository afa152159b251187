"""Reading the comma-separated files staff import (caseloads, vacancies): records with the
line each starts on, and a header that must hold exactly the expected columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

LIST_SEPARATOR = ";"  # separates the items of a list inside one cell


def csv_records(text: str, refused: type[Exception]) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each one starts on (a quoted cell may span lines). A file
    that is not valid CSV raises `refused` with the line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise refused(f"line {line}: not valid CSV ({error})") from None
        yield line, values


def check_header(header: list[str], expected: Sequence[str], refused: type[Exception]) -> list[str]:
    """The header's column names (trimmed, lower case); `refused` names every missing,
    unknown or repeated column, and says so when the file is `;`-separated."""
    columns = [name.strip().lower() for name in header]
    missing = [name for name in expected if name not in columns]
    unknown = [name for name in columns if name not in expected]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if duplicated:
        problems.append(f"repeated columns: {', '.join(duplicated)}")
    if problems:
        if len(columns) == 1 and LIST_SEPARATOR in columns[0]:
            problems.append("the file must be comma-separated (';' only separates list items)")
        raise refused("; ".join(problems))
    return columns
