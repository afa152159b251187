"""Reading the files staff import (caseloads, vacancies, sessions): CSV records with the
line each starts on, a header that must hold exactly the expected columns, rows sorted into
good ones and refused ones (each with its line and every reason), and what an import did."""

from __future__ import annotations

import codecs
import collections
import csv
import io
import itertools
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from os import PathLike
from typing import Any, BinaryIO, TypeVar

from bot.common.reference import find_occupation, search_occupations

LIST_SEPARATOR = ";"  # separates the items of a list inside one cell
DELIMITERS = (",", ";", "\t")  # what separates the columns: whichever the header uses most
FIELD_MAX = 10_000  # characters in one cell; a longer one refuses its row
# A record spanning lines past this many characters is a quote left open (bounds memory).
RECORD_MAX = 200_000
BLOCK_BYTES = 1 << 20
BATCH_ROWS = 1_000  # rows an import applies (and its caller may commit) at a time
ZIP_MAGIC = b"PK\x03\x04"
OPEN_QUOTE = "a quote opened on this line is never closed: the row is skipped"
# What a spreadsheet takes for the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An import file: its text, its bytes, or its path (read as it goes).
Source = str | bytes | PathLike

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
    """What an import did: rows that created, updated or left unchanged what they name, the
    rows refused, and how the file was read ("Windows-1252, ';'-separated")."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    read_as: str = ""
    handed_over: int = 0  # rejections already taken by `take_rejections`

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rejected(self) -> int:
        return self.handed_over + len(self.rejections)

    def take_rejections(self) -> list[Rejection]:
        """The rejections not taken yet, in line order; the report keeps only their count, so
        a file of bad rows does not fill the memory while it is imported."""
        taken = sorted(self.rejections, key=lambda rejection: rejection.line)
        self.rejections = []
        self.handed_over += len(taken)
        return taken

    @property
    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {self.rejected}"
        )


# Called after each batch an import applied (and flushed): the CLI commits there, lets the
# session forget the rows, moves its progress bar and prints the rejections taken.
OnBatch = Callable[["ImportReport", "Table"], Awaitable[None]]


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


def safe_cell(value: Any) -> Any:
    """A cell as written to a CSV or spreadsheet we hand out: text that a spreadsheet would
    take for a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
    `'`, so it shows as the text it is and never runs (OWASP, CSV injection). Numbers and
    empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Table:
    """A file being read: how it was read (`encoding`, `delimiter`), its checked header and
    its records, yielded one by one as the file is read (never all in memory)."""

    encoding: str
    delimiter: str | None
    columns: list[str]
    records: Iterator[Record]
    progress: Callable[[], tuple[int, int]]  # (done, total), in bytes or spreadsheet rows

    @property
    def read_as(self) -> str:
        """How the file was read, for the import's summary: "UTF-8, ';'-separated"."""
        if self.delimiter is None:
            return self.encoding
        shown = "tab" if self.delimiter == "\t" else f"{self.delimiter!r}"
        return f"{self.encoding}, {shown}-separated"


def read_table(
    source: Source,
    expected: Sequence[str],
    refused: type[Exception],
    name: str = "",
    optional: Sequence[str] = (),
) -> Table:
    """The file `source` (its text, its bytes, or its path, read as it goes) as a table of
    the `expected` columns: a CSV in UTF-8 (with or without BOM), else Windows-1252 (as
    French Excel saves it), else Latin-1, separated by commas, semicolons or tabs (whichever
    the header uses most); or an .xlsx workbook (its first sheet), by `name`'s extension or
    the file's; the `optional` columns may be there or not. Records: (line, cells by column,
    problems) per non-empty row, the line
    where it starts; a row that cannot be read comes without cells, with its problem. A
    file with another header, empty or unreadable as a whole raises `refused`."""
    name = name or (str(source) if isinstance(source, PathLike) else "")
    if name.lower().endswith(".xlsx") or _is_xlsx(source):
        return _xlsx_table(source, expected, refused, optional)
    encoding, text, progress = _text_stream(source, refused)
    lines = enumerate(text, start=1)
    first = next(lines, None)
    if first is None:
        raise refused("the file is empty")
    delimiter = sniff_delimiter(first[1])
    records = _csv_records(itertools.chain([first], lines), delimiter)
    header_line, header, problem = next(records)
    if header is None:
        raise refused(f"line {header_line}: {problem}")
    columns = check_header(header, expected, refused, delimiter, optional)
    return Table(encoding, delimiter, columns, _csv_rows(records, columns), progress)


def sniff_delimiter(header: str) -> str:
    """`,`, `;` or a tab: the one the header line holds most (a comma when none)."""
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _text_stream(
    source: Source, refused: type[Exception]
) -> tuple[str, Iterator[str], Callable[[], tuple[int, int]]]:
    """(encoding's name, physical lines with their ends, progress) of a CSV source."""
    if isinstance(source, str):
        size = len(source)
        lines = iter(io.StringIO(source.removeprefix("\ufeff"), newline=""))
        return "UTF-8", lines, lambda: (size, size)
    try:
        binary: BinaryIO = (
            io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
        )
        size = binary.seek(0, io.SEEK_END)
        binary.seek(0)
        encoding = _encoding(binary)
        binary.seek(0)
    except OSError as error:
        raise refused(f"cannot read the file: {error.strerror or error}") from None
    codec = {"UTF-8": "utf-8-sig", "Windows-1252": "cp1252", "Latin-1": "latin-1"}[encoding]
    text = io.TextIOWrapper(binary, encoding=codec, newline="")

    def lines() -> Iterator[str]:
        with text:
            yield from text

    def progress() -> tuple[int, int]:
        return (size if binary.closed else min(binary.tell(), size)), size

    return encoding, lines(), progress


def _encoding(binary: BinaryIO) -> str:
    """UTF-8 when the whole file decodes as such (one pass, a block at a time), else
    Windows-1252 when it does, else Latin-1 (every byte is a character)."""
    for encoding, codec in (("UTF-8", "utf-8"), ("Windows-1252", "cp1252")):
        binary.seek(0)
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            while block := binary.read(BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "Latin-1"


def _csv_records(
    lines: Iterator[tuple[int, str]], delimiter: str
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line, fields, None) per record, or (line, None, problem) for a record that cannot be
    read. A quoted cell may span lines; but a record that spans lines and ends up with
    another number of fields than the first record (the header), or that runs past
    RECORD_MAX characters or the end of the file inside quotes, is a quote left open: that
    line is reported and reading starts again on the next line, so the good rows after it
    are kept."""
    pending: collections.deque[tuple[int, str]] = collections.deque()
    width: int | None = None

    def next_line() -> tuple[int, str] | None:
        return pending.popleft() if pending else next(lines, None)

    while (first := next_line()) is not None:
        taken = [first]

        def feed(taken: list[tuple[int, str]] = taken) -> Iterator[str]:
            yield taken[0][1]
            size = len(taken[0][1])
            while size < RECORD_MAX and (more := next_line()) is not None:
                taken.append(more)
                size += len(more[1])
                yield more[1]

        reader = csv.reader(feed(), delimiter=delimiter, strict=True)
        try:
            fields = next(reader, [])
            problem = None
        except csv.Error as error:
            fields, problem = None, _csv_problem(error)
        if len(taken) == 1 or (problem is None and width in (None, len(fields))):
            width = width if width is not None or fields is None else len(fields)
            yield first[0], fields, problem
            continue
        yield first[0], None, OPEN_QUOTE
        pending.extendleft(reversed(taken[1:]))


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell is longer than {FIELD_MAX} characters"
    if "unexpected end of data" in str(error):
        return OPEN_QUOTE
    return f"not valid CSV ({error})"


def _csv_rows(
    records: Iterator[tuple[int, list[str] | None, str | None]], columns: list[str]
) -> Iterator[Record]:
    for line, fields, problem in records:
        yield from _row(line, fields, problem, columns)


def _row(
    line: int, fields: list[str] | None, problem: str | None, columns: list[str]
) -> Iterator[Record]:
    if fields is None:
        yield line, {}, [problem or "not valid CSV"]
        return
    if not any(value.strip() for value in fields):
        return
    if len(fields) != len(columns):
        yield line, {}, [f"{len(fields)} fields instead of {len(columns)}"]
        return
    if any(len(value) > FIELD_MAX for value in fields):
        yield line, {}, [f"a cell is longer than {FIELD_MAX} characters"]
        return
    yield line, dict(zip(columns, fields, strict=True)), []


def _is_xlsx(source: Source) -> bool:
    """Whether the file is a zip archive (as every .xlsx is), whatever its name."""
    if isinstance(source, str):
        return False
    if isinstance(source, bytes):
        return source.startswith(ZIP_MAGIC)
    try:
        with open(source, "rb") as binary:
            return binary.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    except OSError:
        return False


def _xlsx_table(
    source: Source, expected: Sequence[str], refused: type[Exception], optional: Sequence[str] = ()
) -> Table:
    """The first sheet of a workbook, read row by row (openpyxl's read-only mode); each cell
    as the text it shows: a whole number without ".0", a date as YYYY-MM-DD, a formula as
    its last computed value."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise refused(f"not a readable .xlsx workbook ({error})") from None
    sheet = workbook.worksheets[0]
    total = sheet.max_row or 0
    done = [0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        workbook.close()
        raise refused("the file is empty")
    header_cells = [cell_text(value) for value in header]
    while header_cells and not header_cells[-1].strip():
        header_cells.pop()
    columns = check_header(header_cells, expected, refused, None, optional)

    def records() -> Iterator[Record]:
        try:
            for number, row in enumerate(values, start=2):
                done[0] = number
                cells = [cell_text(value) for value in row]
                # Sheets often carry empty formatted cells past the last column.
                extra = cells[len(columns) :]
                if any(cell.strip() for cell in extra):
                    yield number, {}, [f"{len(cells)} cells instead of {len(columns)}"]
                    continue
                cells = (cells + [""] * len(columns))[: len(columns)]
                yield from _row(number, cells, None, columns)
        finally:
            workbook.close()

    return Table("xlsx", None, columns, records(), lambda: (done[0], total))


def cell_text(value: Any) -> str:
    """A spreadsheet cell or a JSON scalar as the text a CSV file would hold: empty for
    nothing, yes/no for a boolean, digits for a whole number (a spreadsheet's 42.0), a date
    without its midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    return str(value)


def check_header(
    header: list[str],
    expected: Sequence[str],
    refused: type[Exception],
    delimiter: str | None = ",",
    optional: Sequence[str] = (),
) -> list[str]:
    """The header's column names (trimmed, lower case); `refused` names every missing,
    unknown or repeated column and the columns found, with a hint when the separator looks
    wrong."""
    columns = [name.strip().lower() for name in header]
    missing = [name for name in expected if name not in columns]
    unknown = [name for name in columns if name not in expected and name not in optional]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if duplicated:
        problems.append(f"repeated columns: {', '.join(duplicated)}")
    if problems:
        problems.append(f"columns found: {', '.join(columns) or 'none'}")
        if delimiter is not None and len(columns) == 1:
            problems.append(
                "the header has a single column: separate the columns with a comma, a "
                "semicolon or a tab"
            )
        raise refused("; ".join(problems))
    return columns


def checked_rows(
    records: Iterable[Record],
    check: Callable[[int, Mapping[str, Any]], tuple[Row | None, list[str]]],
    identity: Callable[[Row], Hashable],
    repeated: Callable[[Row, int], str],
    unit: str = "line",
) -> Iterator[tuple[int, Row | Rejection]]:
    """(line, good row) or (line, why it is refused) per record, as the records come: every
    problem of the record, then of `check(line, cells)`. A row whose `identity` an earlier
    good row has is refused too, `repeated(row, earlier line)` saying so. Only a hash of
    each identity is kept, so a file of a million rows stays small in memory."""
    first_seen: dict[int, int] = {}
    for line, cells, problems in records:
        row = None
        if not problems:
            row, problems = check(line, cells)
        key = hash(identity(row)) if row is not None else None
        if key is not None and key in first_seen:
            problems.append(repeated(row, first_seen[key]))
        if problems:
            yield line, Rejection(line, "; ".join(problems), unit)
            continue
        first_seen[key] = line
        yield line, row


def sort_rows(
    checked: Iterable[tuple[int, Row | Rejection]],
) -> tuple[list[tuple[int, Row]], list[Rejection]]:
    """The good rows of `checked_rows` with their line, and the rejections, apart."""
    rows: list[tuple[int, Row]] = []
    rejections: list[Rejection] = []
    for line, outcome in checked:
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        else:
            rows.append((line, outcome))
    return rows, rejections


def batches(items: Iterable[Row], size: int = BATCH_ROWS) -> Iterator[list[Row]]:
    """`items` in lists of `size` (the last one shorter): an import applies and flushes one
    batch at a time, so it never holds the whole file."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
