"""Caseload import: counsellors move the people they already follow into the bot from a CSV."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Participant, ParticipantStatus, Role, Staff, Territory
from bot.services import csv_rows
from bot.services.checks import AVAILABILITY
from bot.services.csv_rows import Rejection, known_items, list_items, occupation_code
from bot.services.invites import ensure_invites
from bot.services.reference import find_place_by_postcode
from bot.services.staff import staff_by_telegram_id

COLUMNS = (
    "external_id",
    "first_name",
    "territory",
    "joined",
    "status",
    "status_date",
    "employer",
    "occupations",
    "postcode",
    "dutch_level",
    "driving_licence",
    "max_commute_km",
    "availability",
)
CEFR_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
YES = frozenset({"yes", "oui", "ja", "true", "1"})
NO = frozenset({"no", "non", "nee", "false", "0"})
COMMUTE_KM_RANGE = (1, 200)
DEFAULT_COMMUTE_KM = 30
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXTERNAL_ID_MAX = 64
FIRST_NAME_MAX = 64
EMPLOYER_MAX = 120


class CaseloadError(ValueError):
    """The whole import cannot go ahead (unreadable file, wrong columns, unknown counsellor)."""


@dataclass(frozen=True)
class CaseloadRow:
    """One participant as the file describes them, checked and resolved."""

    line: int
    external_id: str
    first_name: str
    territory: str
    joined: date
    status: str
    status_date: date | None
    employer: str | None
    occupations: list[str]
    home_postcode: str | None
    home_lat: float | None
    home_lon: float | None
    dutch_level: str | None
    driving_licence: bool | None
    max_commute_km: int
    availability: list[str]


@dataclass
class ImportReport(csv_rows.ImportReport):
    """What a caseload import did (a row that names someone already imported updates them,
    changed or not)."""

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, rejected {self.rejected}"


async def import_caseload(
    session: AsyncSession,
    source: csv_rows.Source,
    counsellor_telegram_id: int | None = None,
    now: datetime | None = None,
    *,
    on_batch: csv_rows.OnBatch | None = None,
    name: str = "",
) -> ImportReport:
    """Every good row is imported and every bad row is reported with its line number; a bad
    row changes nothing. Rows are matched on `external_id`, so importing a file again updates
    the same people; the link to their Telegram account (`user_id`) and their consent are
    never touched (imported people consent when they open their invite). Each participant not
    linked to Telegram yet ends up with a valid invite. With a counsellor, the imported people
    are assigned to that (active) CET. The file is read and applied a batch of rows at a
    time, `on_batch` called after each (see `csv_rows.OnBatch`).
    """
    now = now or utcnow()
    counsellor = await _counsellor(session, counsellor_telegram_id)
    counsellor_id = counsellor.id if counsellor is not None else None
    table = csv_rows.read_table(source, COLUMNS, CaseloadError, name)
    report = ImportReport(read_as=table.read_as)
    for batch in csv_rows.batches(_checked(table.records, now.date())):
        rows = [row for _line, row in batch if isinstance(row, CaseloadRow)]
        report.rejections.extend(row for _line, row in batch if isinstance(row, Rejection))
        existing = await _participants_by_external_id(session, [row.external_id for row in rows])
        waiting: list[int] = []  # participants not on Telegram yet, who need an invite
        new: list[dict[str, object]] = []
        for row in rows:
            values = _values(row)
            if counsellor_id is not None:
                values["counsellor_id"] = counsellor_id
            participant = existing.get(row.external_id)
            if participant is None:
                new.append({"external_id": row.external_id, "consent_at": None, **values})
                continue
            for name, value in values.items():
                setattr(participant, name, value)
            if participant.user_id is None:
                waiting.append(participant.id)
        await session.flush()
        if new:
            # One executemany for the batch, not a statement per person (an empty cell is
            # written as NULL, so rows with and without an employer go together); their ids.
            await session.execute(insert(Participant).execution_options(render_nulls=True), new)
            created = await _participants_by_external_id(
                session, [values["external_id"] for values in new], Participant.id
            )
            waiting.extend(created.values())
        report.created += len(new)
        report.updated += len(rows) - len(new)
        await ensure_invites(session, waiting, now)
        if on_batch is not None:
            await on_batch(report, table)
    return report


def _checked(
    records: Iterable[csv_rows.Record], today: date
) -> Iterator[tuple[int, CaseloadRow | Rejection]]:
    """The file's rows checked (no database involved), as they are read."""
    return csv_rows.checked_rows(
        records,
        lambda line, cells: _check_row(line, {k: v.strip() for k, v in cells.items()}, today),
        lambda row: row.external_id,
        lambda row, first: f"external_id {row.external_id!r} already on line {first}",
    )


def _check_row(
    line: int, cells: dict[str, str], today: date
) -> tuple[CaseloadRow | None, list[str]]:
    """The row checked cell by cell; every problem is reported, not only the first."""
    problems: list[str] = []
    external_id = _text(cells, "external_id", EXTERNAL_ID_MAX, problems, required=True)
    first_name = _text(cells, "first_name", FIRST_NAME_MAX, problems, required=True)
    territory = _choice(cells["territory"].upper(), "territory", Territory.ALL, problems)
    joined = _date(cells, "joined", today, problems, required=True)
    status = _choice(cells["status"].lower(), "status", ParticipantStatus.ALL, problems)
    status_date = _date(cells, "status_date", today, problems, required=False)
    if joined and status_date and status_date < joined:
        problems.append("status_date is before joined")
    employer = _text(cells, "employer", EMPLOYER_MAX, problems, required=False)
    occupations = _occupations(cells["occupations"], problems)
    home = _home(cells["postcode"], problems)
    dutch_level = cells["dutch_level"].upper() or None
    if dutch_level:
        _choice(dutch_level, "dutch_level", CEFR_LEVELS, problems)
    driving_licence = _yes_no(cells["driving_licence"], problems)
    max_commute_km = _commute_km(cells["max_commute_km"], problems)
    availability = _availability(cells["availability"], problems)
    if problems:
        return None, problems
    row = CaseloadRow(
        line=line,
        external_id=external_id,
        first_name=first_name,
        territory=territory,
        joined=joined,
        status=status,
        status_date=status_date,
        employer=employer,
        occupations=occupations,
        home_postcode=home[0],
        home_lat=home[1],
        home_lon=home[2],
        dutch_level=dutch_level,
        driving_licence=driving_licence,
        max_commute_km=max_commute_km,
        availability=availability,
    )
    return row, problems


def _text(
    cells: dict[str, str], name: str, longest: int, problems: list[str], *, required: bool
) -> str | None:
    value = " ".join(cells[name].split())
    if not value:
        if required:
            problems.append(f"{name} is empty")
        return None
    if len(value) > longest:
        problems.append(f"{name} is longer than {longest} characters")
    return value


def _choice(value: str, name: str, allowed: tuple[str, ...], problems: list[str]) -> str:
    if value not in allowed:
        problems.append(f"{name} must be one of {', '.join(allowed)}")
    return value


def _date(
    cells: dict[str, str], name: str, today: date, problems: list[str], *, required: bool
) -> date | None:
    value = cells[name]
    if not value:
        if required:
            problems.append(f"{name} is empty (YYYY-MM-DD)")
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name} {value!r} is not a date YYYY-MM-DD")
        return None
    if day > today:
        problems.append(f"{name} {value} is in the future")
    return day


def _occupations(cell: str, problems: list[str]) -> list[str]:
    """ESCO codes, in the file's order, whatever label, synonym or code named them."""
    codes = (occupation_code(item, problems, suggest=False) for item in list_items(cell))
    return list(dict.fromkeys(code for code in codes if code is not None))


def _home(cell: str, problems: list[str]) -> tuple[str | None, float | None, float | None]:
    """(postcode, latitude, longitude) of a postcode of the programme area."""
    postcode = "".join(cell.split())
    if not postcode:
        return None, None, None
    places = find_place_by_postcode(postcode)
    if not places:
        problems.append(f"unknown postcode {postcode!r}")
        return None, None, None
    # A postcode shared by several communes: the middle of them is close enough.
    lat = sum(place.lat for place in places) / len(places)
    lon = sum(place.lon for place in places) / len(places)
    return places[0].postcode, round(lat, 4), round(lon, 4)


def _yes_no(cell: str, problems: list[str]) -> bool | None:
    answer = cell.lower()
    if not answer:
        return None
    if answer not in YES | NO:
        problems.append("driving_licence must be yes or no")
    return answer in YES


def _commute_km(cell: str, problems: list[str]) -> int:
    if not cell:
        return DEFAULT_COMMUTE_KM
    low, high = COMMUTE_KM_RANGE
    km = int(cell) if cell.isdigit() else None
    if km is None or not low <= km <= high:
        problems.append(f"max_commute_km must be a whole number from {low} to {high}")
        return DEFAULT_COMMUTE_KM
    return km


def _availability(cell: str, problems: list[str]) -> list[str]:
    wanted = [item.lower() for item in list_items(cell)]
    return list(known_items(wanted, AVAILABILITY, "availability", problems))


def _values(row: CaseloadRow) -> dict[str, object]:
    """The file is the counsellor's record of the person: it replaces what it describes."""
    return {
        "first_name": row.first_name,
        "territory": row.territory,
        "joined": row.joined,
        "status": row.status,
        "status_date": row.status_date,
        "employer": row.employer,
        "occupations": row.occupations,
        "home_postcode": row.home_postcode,
        "home_lat": row.home_lat,
        "home_lon": row.home_lon,
        "dutch_level": row.dutch_level,
        "driving_licence": row.driving_licence,
        "max_commute_km": row.max_commute_km,
        "availability": row.availability,
    }


async def _participants_by_external_id(
    session: AsyncSession, external_ids: list[str], *columns: Any
) -> dict[str, Any]:
    """The participants (or these `columns` of them) these external ids name."""
    found: dict[str, Any] = {}
    batch = 500  # well under every database's limit on bound parameters
    for start in range(0, len(external_ids), batch):
        chunk = external_ids[start : start + batch]
        query = select(Participant.external_id, *columns) if columns else select(Participant)
        rows = await session.execute(query.where(Participant.external_id.in_(chunk)))
        if columns:
            found.update({row[0]: row[1] for row in rows})
        else:
            found.update({participant.external_id: participant for participant in rows.scalars()})
    return found


async def _counsellor(session: AsyncSession, telegram_id: int | None) -> Staff | None:
    if telegram_id is None:
        return None
    staff = await staff_by_telegram_id(session, telegram_id)
    if staff is None:
        raise CaseloadError(f"no active staff member with Telegram id {telegram_id}")
    if staff.role != Role.CET:
        raise CaseloadError(f"staff member {telegram_id} is a {staff.role}, not a cet")
    return staff
