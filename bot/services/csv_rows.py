"""Reading the files staff import (caseloads, vacancies, sessions): CSV records with the
line each starts on, a header that must hold exactly the expected columns, rows sorted into
good ones and refused ones (each with its line and every reason), and what an import did."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.services.reference import find_occupation, search_occupations

LIST_SEPARATOR = ";"  # separates the items of a list inside one cell

Row = TypeVar("Row")
# (line or item number, cells, problems already found) per record of a file.
Record = tuple[int, Mapping[str, Any], list[str]]


@dataclass(frozen=True)
class Rejection:
    """A refused row: its CSV line (`unit` "line") or its 1-based JSON item ("item")."""

    line: int
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: rows that created, updated or left unchanged what they name, and
    the rows refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejections)}"
        )


def list_items(cell: str | None) -> list[str]:
    """The items of a `;`-separated cell, trimmed, empty ones dropped."""
    return [item.strip() for item in (cell or "").split(LIST_SEPARATOR) if item.strip()]


def known_items(
    wanted: list[str], allowed: Sequence[str], name: str, problems: list[str]
) -> tuple[str, ...]:
    """The items of `allowed` that are `wanted`, in the order of `allowed`, each once; every
    other item wanted is a problem."""
    for item in wanted:
        if item not in allowed:
            problems.append(f"{name} {item!r} is not one of {', '.join(allowed)}")
    return tuple(item for item in allowed if item in wanted)


def occupation_code(text: str, problems: list[str], *, suggest: bool = True) -> str | None:
    """The ESCO code of the occupation `text` names (a code, or a French or Dutch label or
    synonym of the reference list). A typo is refused, not guessed (the wrong trade would
    reach the wrong people); with `suggest`, the closest title is named."""
    occupation = find_occupation(text)
    if occupation is not None:
        return occupation.code
    guesses = search_occupations(text, limit=1) if suggest else []
    hint = f" (did you mean {guesses[0].label_nl}?)" if guesses else ""
    problems.append(f"unknown occupation {text!r}{hint}")
    return None


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


def csv_rows(text: str, expected: Sequence[str], refused: type[Exception]) -> Iterator[Record]:
    """(line, cells by column, problems) per non-empty record, the line being where it starts
    (a quoted cell may span lines); a record with the wrong number of fields comes without
    cells and with that problem. A file that is not CSV, has not exactly the `expected`
    columns or is empty raises `refused`."""
    header: list[str] | None = None
    for line, values in csv_records(text, refused):
        if header is None:
            header = check_header(values, expected, refused)
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield line, {}, [f"{len(values)} fields instead of {len(header)}"]
            continue
        yield line, dict(zip(header, values, strict=True)), []
    if header is None:
        raise refused("the file is empty")


def sort_rows(
    records: Iterable[Record],
    check: Callable[[int, Mapping[str, Any]], tuple[Row | None, list[str]]],
    identity: Callable[[Row], Hashable],
    repeated: Callable[[Row, int], str],
    unit: str = "line",
) -> tuple[list[tuple[int, Row]], list[Rejection]]:
    """The good rows with their line, and why the others are refused: every problem of the
    record, then of `check(line, cells)`. A row whose `identity` an earlier good row has is
    refused too, `repeated(row, earlier line)` saying so."""
    rows: list[tuple[int, Row]] = []
    rejections: list[Rejection] = []
    first_seen: dict[Hashable, int] = {}
    for line, cells, problems in records:
        row = None
        if not problems:
            row, problems = check(line, cells)
        if row is not None and identity(row) in first_seen:
            problems.append(repeated(row, first_seen[identity(row)]))
        if problems:
            rejections.append(Rejection(line, "; ".join(problems), unit))
            continue
        first_seen[identity(row)] = line
        rows.append((line, row))
    return rows, rejections
