"""Caseload import: counsellors move the people they already follow into the bot from a CSV."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common import rows as csv_rows
from bot.common.checks import AVAILABILITY
from bot.common.phones import check_phone, normalise_email, region_of
from bot.common.reference import find_place_by_postcode
from bot.common.row_rules import RowModel, iso_date, quiet_date, rule, text, whole
from bot.common.rows import Rejection, known_items, list_items, occupation_code
from bot.db.base import utcnow
from bot.db.models import Participant, ParticipantStatus, Role, Staff, Territory
from bot.services.participants.invites import ensure_invites
from bot.services.staff.members import staff_by_telegram_id

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
# Optional: how to reach someone not on Telegram, each contact with the person's consent as
# the counsellor recorded it (a date YYYY-MM-DD, or yes: today), and their language.
CONTACT_COLUMNS = ("phone", "phone_consent", "email", "email_consent", "language")
LANGUAGES = ("fr", "nl")
CEFR_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")
YES = frozenset({"yes", "oui", "ja", "true", "1"})
NO = frozenset({"no", "non", "nee", "false", "0"})
COMMUTE_KM_RANGE = (1, 200)
DEFAULT_COMMUTE_KM = 30
EXTERNAL_ID_MAX = 64
FIRST_NAME_MAX = 64
EMPLOYER_MAX = 120


class CaseloadError(ValueError):
    """The whole import cannot go ahead (unreadable file, wrong columns, unknown counsellor)."""


@dataclass
class ImportReport(csv_rows.ImportReport):
    """What a caseload import did (a row that names someone already imported updates them,
    changed or not)."""

    @property
    def imported(self) -> int:
        return self.created + self.updated

    # Phones and addresses stored without the person's consent: kept, never used to write
    # to them until they agree (in /profile, or a later file with the consent).
    without_consent: int = 0

    @property
    def summary(self) -> str:
        summary = f"created {self.created}, updated {self.updated}, rejected {self.rejected}"
        if self.without_consent:
            summary += (
                f"; {self.without_consent} phone numbers or e-mail addresses without consent: "
                "kept, not used until the person agrees"
            )
        return summary


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
    never touched (imported people consent when they open their invite). Phones and e-mail
    addresses (optional columns) are added or changed, never removed by an empty cell, each
    with its consent (`_contacts`); a STOP recorded is never undone by a file. Each participant not
    linked to Telegram yet ends up with a valid invite. With a counsellor, the imported people
    are assigned to that (active) CET. The file is read and applied a batch of rows at a
    time, `on_batch` called after each (see `csv_rows.OnBatch`).
    """
    now = now or utcnow()
    counsellor = await _counsellor(session, counsellor_telegram_id)
    counsellor_id = counsellor.id if counsellor is not None else None
    table = csv_rows.read_table(source, COLUMNS, CaseloadError, name, optional=CONTACT_COLUMNS)
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
            contacts = _contacts(row, participant, now)
            report.without_consent += sum(
                1
                for name in ("phone", "email")
                if contacts[name] and not contacts[f"{name}_consent_at"]
            )
            if participant is None:
                new.append(
                    {"external_id": row.external_id, "consent_at": None, **values, **contacts}
                )
                continue
            for name, value in {**values, **contacts}.items():
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
        lambda _line, cells: CaseloadRow.check(
            {k: v.strip() for k, v in cells.items()}, today=today
        ),
        lambda row: row.external_id,
        lambda row, first: f"external_id {row.external_id!r} already on line {first}",
    )


# --- the rules ----------------------------------------------------------------------------


def _choice(allowed: tuple[str, ...], case: Callable[[str], str]) -> BeforeValidator:
    """One of `allowed` (compared after `case`); an empty cell is refused too."""

    def check(cell: str, name: str, problems: list[str], _context: Any) -> str:
        value = case(cell)
        if value not in allowed:
            problems.append(f"{name} must be one of {', '.join(allowed)}")
        return value

    return rule(check)


def _day(cell: str, name: str, problems: list[str], today: date, *, required: bool) -> date | None:
    if not cell:
        if required:
            problems.append(f"{name} is empty (YYYY-MM-DD)")
        return None
    day = iso_date(cell, name, problems)
    if day is not None and day > today:
        problems.append(f"{name} {cell} is in the future")
    return day


def _joined(cell: str, name: str, problems: list[str], context: Any) -> date | None:
    return _day(cell, name, problems, context["today"], required=True)


def _status_date(
    cells: tuple[str, str], name: str, problems: list[str], context: Any
) -> date | None:
    """The day the status was reached, optional; not before `joined` (as the file wrote it)."""
    cell, joined_cell = cells
    day = _day(cell, name, problems, context["today"], required=False)
    joined = quiet_date(joined_cell)
    if joined and day and day < joined:
        problems.append(f"{name} is before joined")
    return day


def _occupations(cell: str, _name: str, problems: list[str], _context: Any) -> list[str]:
    """ESCO codes, in the file's order, whatever label, synonym or code named them."""
    codes = (occupation_code(item, problems, suggest=False) for item in list_items(cell))
    return list(dict.fromkeys(code for code in codes if code is not None))


def _home(
    cell: str, _name: str, problems: list[str], _context: Any
) -> tuple[str | None, float | None, float | None]:
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


def _dutch_level(cell: str, name: str, problems: list[str], _context: Any) -> str | None:
    level = cell.upper() or None
    if level and level not in CEFR_LEVELS:
        problems.append(f"{name} must be one of {', '.join(CEFR_LEVELS)}")
    return level


def _yes_no(cell: str, name: str, problems: list[str], _context: Any) -> bool | None:
    answer = cell.lower()
    if not answer:
        return None
    if answer not in YES | NO:
        problems.append(f"{name} must be yes or no")
    return answer in YES


def _commute_km(cell: str, name: str, problems: list[str], _context: Any) -> int:
    if not cell:
        return DEFAULT_COMMUTE_KM
    km = whole(cell, name, COMMUTE_KM_RANGE, problems)
    return DEFAULT_COMMUTE_KM if km is None else km


def _availability(cell: str, name: str, problems: list[str], _context: Any) -> list[str]:
    wanted = [item.lower() for item in list_items(cell)]
    return list(known_items(wanted, AVAILABILITY, name, problems))


def _phone(cells: tuple[str, str], name: str, problems: list[str], _context: Any) -> str | None:
    """A mobile number in E.164, national formats read as the territory's country."""
    cell, territory = cells
    if not cell:
        return None
    checked = check_phone(cell, region_of(territory.upper()))
    if checked.e164 is None:
        # The number itself is not repeated: refused rows are printed and may be kept.
        problems.append(
            f"{name} is not {_PHONE_REASONS[checked.problem]} "
            "(e.g. 06 12 34 56 78, 0470 12 34 56 or +33 6 12 34 56 78)"
        )
    return checked.e164


_PHONE_REASONS = {
    "invalid": "a phone number",
    "abroad": "a French, Belgian or Dutch number",
    "landline": "a mobile number (an SMS needs one)",
}


def _email(cell: str, name: str, problems: list[str], _context: Any) -> str | None:
    if not cell:
        return None
    address = normalise_email(cell)
    if address is None:
        problems.append(f"{name} is not an e-mail address (e.g. nadia.martin@example.fr)")
    return address


def _consent(cell: str, name: str, problems: list[str], context: Any) -> date | None:
    """The day the person agreed: a date, or yes (today); empty or no: no consent."""
    answer = cell.lower()
    if not answer or answer in NO:
        return None
    if answer in YES:
        return context["today"]
    day = iso_date(cell, name, [])
    if day is None:
        problems.append(f"{name} must be a date YYYY-MM-DD, yes or no")
    elif day > context["today"]:
        problems.append(f"{name} {cell} is in the future")
    return day


def _language(cell: str, name: str, problems: list[str], _context: Any) -> str | None:
    language = cell.lower() or None
    if language and language not in LANGUAGES:
        problems.append(f"{name} must be one of {', '.join(LANGUAGES)}")
    return language


class CaseloadRow(RowModel):
    """One participant as the file describes them, checked and resolved; each field's rule
    says what its column must hold (cells come trimmed), every problem is reported."""

    external_id: Annotated[str, text(EXTERNAL_ID_MAX, required=True)]
    first_name: Annotated[str, text(FIRST_NAME_MAX, required=True)]
    territory: Annotated[str, _choice(Territory.ALL, str.upper)]
    joined: Annotated[date, rule(_joined)]
    status: Annotated[str, _choice(ParticipantStatus.ALL, str.lower)]
    status_date: Annotated[date | None, rule(_status_date)]
    employer: Annotated[str | None, text(EMPLOYER_MAX, required=False)]
    occupations: Annotated[list[str], rule(_occupations)]
    home: Annotated[tuple[str | None, float | None, float | None], rule(_home, "postcode")]
    dutch_level: Annotated[str | None, rule(_dutch_level)]
    driving_licence: Annotated[bool | None, rule(_yes_no)]
    max_commute_km: Annotated[int, rule(_commute_km)]
    availability: Annotated[list[str], rule(_availability)]
    phone: Annotated[str | None, rule(_phone)]
    phone_consent: Annotated[date | None, rule(_consent)]
    email: Annotated[str | None, rule(_email)]
    email_consent: Annotated[date | None, rule(_consent)]
    language: Annotated[str | None, rule(_language)]

    @classmethod
    def inputs(cls, cells: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        inputs = super().inputs(cells, context)
        inputs["status_date"] = (cells.get("status_date") or "", cells.get("joined") or "")
        inputs["home"] = cells.get("postcode") or ""
        inputs["phone"] = (cells.get("phone") or "", cells.get("territory") or "")
        return inputs

    @property
    def home_postcode(self) -> str | None:
        return self.home[0]

    @property
    def home_lat(self) -> float | None:
        return self.home[1]

    @property
    def home_lon(self) -> float | None:
        return self.home[2]


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


def _contacts(row: CaseloadRow, participant: Participant | None, now: datetime) -> dict[str, Any]:
    """The contact columns of the person's record after this row. A contact the row names
    replaces the stored one; its consent is the file's, else (the same contact) the one
    recorded before, so a consent given in `/profile` stays. An empty cell changes nothing:
    removing a contact is the person's own act (`/profile`, `/delete`)."""
    values: dict[str, Any] = {}
    for contact, consent_of in (("phone", "phone_consent"), ("email", "email_consent")):
        stored = getattr(participant, contact, None)
        stored_consent = getattr(participant, f"{contact}_consent_at", None)
        written = getattr(row, contact)
        consent = _consent_at(getattr(row, consent_of), now)
        if written is None:
            values[contact], values[f"{contact}_consent_at"] = stored, stored_consent
        elif stored is not None and written.lower() == stored.lower():
            values[contact] = written
            values[f"{contact}_consent_at"] = stored_consent or consent
        else:
            values[contact], values[f"{contact}_consent_at"] = written, consent
    values["locale"] = row.language or getattr(participant, "locale", None)
    return values


def _consent_at(day: date | None, now: datetime) -> datetime | None:
    """A consent's time: now when given today, else the start of the day the file names."""
    if day is None:
        return None
    return now if day == now.date() else datetime.combine(day, time(), tzinfo=UTC)


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
