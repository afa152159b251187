"""Sessions from a file: the coordinator plans a series (a ten-week course, a few company
presentations) in a spreadsheet and imports it with `enavant sessions import`.

Rules this module enforces:
- the file is comma-separated UTF-8 with exactly the columns of FIELDS; anything else
  (missing, unknown or repeated columns, not CSV) refuses the whole file in one reason;
- each row is checked on its own: a bad row is reported with its line and every reason, the
  good rows are imported;
- a row is one session, known by (kind, title_fr, starts_at): importing the same file again
  changes nothing, and a row whose other cells changed updates that session. A published
  session is changed through `staff_changes.change_session`, so the people booked are told,
  their reminders follow and they get the updated .ics;
- a new session is published at once (its invitations queued in the outbox, outside the
  quiet hours) unless the import is a draft one; importing a draft session again without
  `draft` publishes it. A draft import never unpublishes anything.
Everything happens in the caller's transaction; no aiogram involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common import rows as csv_rows
from bot.common.checks import SEATS_RANGE, SESSION_URL_MAX, is_web_address
from bot.common.row_rules import RowModel, collapsed, rule, text, whole
from bot.common.rows import (
    ImportReport,
    Rejection,
    known_items,
    list_items,
    occupation_code,
)
from bot.db.base import as_utc
from bot.db.models import OutboxMessage, ProgrammeSession, SessionStatus, Territory
from bot.services.sessions import audience, keys, staff_changes
from bot.services.sessions.common import KINDS, SessionRefused

FIELDS = (
    "kind",
    "title_fr",
    "title_nl",
    "starts_at",
    "duration_min",
    "url",
    "capacity",
    "territories",
    "occupations",
    "cutoff_hours",
)
TITLE_MAX = 200  # the columns' sizes (ProgrammeSession)
URL_MAX = SESSION_URL_MAX
DURATION_RANGE = (15, 480)  # a quarter of an hour to a working day, in minutes
CAPACITY_RANGE = SEATS_RANGE
CUTOFF_RANGE = (0, 168)  # bookings close up to a week before the start
DEFAULT_CUTOFF_HOURS = 24
# Cells an update compares; kind, title_fr and starts_at are the session's identity.
COMPARED = (
    "title_nl",
    "duration_min",
    "url",
    "capacity",
    "territories",
    "occupations",
    "cutoff_hours",
)
# Changing these may invite people the session did not target before.
TARGETING = ("territories", "occupations")


class SessionImportError(ValueError):
    """The whole file is refused (not CSV, empty, wrong columns)."""


@dataclass
class SessionImport(ImportReport):
    """What an import did; `invitations` counts the invitations queued in the outbox."""

    invitations: int = 0


# --- the rules ----------------------------------------------------------------------------


def _kind(value: str, name: str, problems: list[str], _context: Any) -> str | None:
    kind = collapsed(value).lower()
    if not kind:
        problems.append(f"{name} is empty")
    elif kind not in KINDS:
        problems.append(f"{name} must be one of {', '.join(KINDS)}")
    return kind


def _starts_at(value: str, name: str, problems: list[str], context: Any) -> datetime | None:
    written = collapsed(value)
    if not written:
        problems.append(f"{name} is empty")
        return None
    example = "2027-01-05T18:00+01:00"
    try:
        moment = datetime.fromisoformat(written)
    except ValueError:
        problems.append(f"{name} {written!r} is not an ISO 8601 date and time like {example}")
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        problems.append(
            f"{name} {written!r} has no UTC offset: write the zone's offset, like {example}"
        )
        return None
    moment = moment.astimezone(UTC)
    if moment <= context["now"]:
        problems.append(f"{name} {written} is in the past")
        return None
    return moment


def _whole(bounds: tuple[int, int], default: int | None = None) -> BeforeValidator:
    """A whole number within `bounds`; an empty cell is `default` when there is one."""

    def check(value: str, name: str, problems: list[str], _context: Any) -> int | None:
        written = collapsed(value)
        if not written and default is not None:
            return default
        return whole(written, name, bounds, problems)

    return rule(check)


def _url(value: str, name: str, problems: list[str], _context: Any) -> str | None:
    url = collapsed(value)
    if not url:
        problems.append(f"{name} is empty")
        return None
    if len(url) > URL_MAX:
        problems.append(f"{name} is longer than {URL_MAX} characters")
        return None
    if not is_web_address(url):
        problems.append(f"{name} must be an https address")
        return None
    return url


def _territories(value: str, _name: str, problems: list[str], _context: Any) -> tuple[str, ...]:
    wanted = [item.upper() for item in list_items(value)]
    return known_items(wanted, Territory.ALL, "territory", problems)


def _occupations(value: str, _name: str, problems: list[str], _context: Any) -> tuple[str, ...]:
    """ESCO codes in the file's order, each once. As for vacancies, a typo is refused (the
    wrong trade would invite the wrong people) but the closest title is suggested."""
    codes = (occupation_code(item, problems) for item in list_items(value))
    return tuple(dict.fromkeys(code for code in codes if code is not None))


class SessionDraft(RowModel):
    """One row of a session file, checked (`check_session` gives the rules): `starts_at` is
    in UTC, `occupations` are ESCO codes, an empty `territories` or `occupations` targets
    everyone. Each field's rule says what its column must hold."""

    kind: Annotated[str, rule(_kind)]
    title_fr: Annotated[str, text(TITLE_MAX, required=True)]
    title_nl: Annotated[str | None, text(TITLE_MAX, required=False)]
    starts_at: Annotated[datetime, rule(_starts_at)]
    duration_min: Annotated[int, _whole(DURATION_RANGE)]
    url: Annotated[str, rule(_url)]
    capacity: Annotated[int, _whole(CAPACITY_RANGE)]
    territories: Annotated[tuple[str, ...], rule(_territories)]
    occupations: Annotated[tuple[str, ...], rule(_occupations)]
    cutoff_hours: Annotated[int, _whole(CUTOFF_RANGE, DEFAULT_CUTOFF_HOURS)]

    def values(self) -> dict[str, Any]:
        """The draft as ProgrammeSession attributes (the lists as lists, as stored)."""
        return {
            "kind": self.kind,
            "title_fr": self.title_fr,
            "title_nl": self.title_nl,
            "starts_at": self.starts_at,
            "duration_min": self.duration_min,
            "url": self.url,
            "capacity": self.capacity,
            "territories": list(self.territories),
            "occupations": list(self.occupations),
            "cutoff_hours": self.cutoff_hours,
        }


def check_session(
    fields: Mapping[str, str], now: datetime
) -> tuple[SessionDraft | None, list[str]]:
    """The draft, or None and every problem found (short English reasons). Rules:

    - kind: company_presentation, coaching or info;
    - title_fr required, title_nl optional, each at most 200 characters (runs of spaces
      collapsed);
    - starts_at: ISO 8601 date and time with its UTC offset ("2027-01-05T18:00+01:00" or
      "...Z"), after `now`; a time without offset is refused, since the file does not say
      which zone it means;
    - duration_min a whole number from 15 to 480; capacity from 1 to 500; cutoff_hours
      (hours before the start when bookings close) from 0 to 168, empty meaning 24;
    - url: an https address with a host, at most 500 characters;
    - territories: LRT, FM, WAPI, `;`-separated, empty meaning every territory;
    - occupations: ESCO codes or French or Dutch labels or synonyms of the reference list,
      `;`-separated, empty meaning every occupation; a typo is refused with the closest
      title suggested (as for vacancies).
    """
    return SessionDraft.check(fields, now=now)


# --- reading the file ---------------------------------------------------------------------


def read_sessions(
    source: csv_rows.Source, now: datetime
) -> tuple[list[tuple[int, SessionDraft]], list[Rejection]]:
    """The file's good sessions with their line, and why its bad rows are refused; no
    database involved."""
    table = csv_rows.read_table(source, FIELDS, SessionImportError)
    return csv_rows.sort_rows(_checked(table.records, now))


def _checked(
    records: Iterable[csv_rows.Record], now: datetime
) -> Iterator[tuple[int, SessionDraft | Rejection]]:
    """The rows checked as they are read. The same session (kind, title_fr, starts_at)
    twice in the file: the later row is refused."""
    return csv_rows.checked_rows(
        records,
        lambda _line, cells: check_session(cells, now),
        _identity,
        lambda _draft, first: f"the same session is already on line {first}",
    )


def _identity(draft: SessionDraft) -> tuple[str, str, datetime]:
    return draft.kind, draft.title_fr, draft.starts_at


# --- storing ------------------------------------------------------------------------------


async def import_sessions(
    session: AsyncSession,
    source: csv_rows.Source,
    now: datetime,
    tz: ZoneInfo,
    *,
    draft: bool = False,
    on_batch: csv_rows.OnBatch | None = None,
    name: str = "",
) -> SessionImport:
    """Every good row is created or updated (see the module's rules) and every bad one is
    reported, as is a row the session it names cannot take (cancelled, or fewer seats than
    already confirmed). Raises `SessionImportError` for a file refused as a whole. The file
    is read and applied a batch of rows at a time, `on_batch` called after each (see
    `csv_rows.OnBatch`). The caller commits."""
    table = csv_rows.read_table(source, FIELDS, SessionImportError, name)
    report = SessionImport(read_as=table.read_as)
    for batch in csv_rows.batches(_checked(table.records, now)):
        drafts = [(line, row) for line, row in batch if isinstance(row, SessionDraft)]
        report.rejections.extend(row for _line, row in batch if isinstance(row, Rejection))
        await _store(session, drafts, report, now, tz, draft=draft)
        report.rejections.sort(key=lambda rejection: rejection.line)
        if on_batch is not None:
            await on_batch(report, table)
    return report


async def _store(
    session: AsyncSession,
    drafts: list[tuple[int, SessionDraft]],
    report: SessionImport,
    now: datetime,
    tz: ZoneInfo,
    *,
    draft: bool,
) -> None:
    existing = await _existing(session, drafts)
    created = [
        ProgrammeSession(status=SessionStatus.DRAFT, **row.values())
        for _line, row in drafts
        if _identity(row) not in existing
    ]
    session.add_all(created)
    await session.flush()  # the batch's new sessions at once
    report.created += len(created)
    for programme_session in created if not draft else ():
        report.invitations += await audience.publish(session, programme_session, now, tz)
    for line, row in drafts:
        found = existing.get(_identity(row))
        if found is None:
            continue
        try:
            outcome, invited = await _update(session, found, row, now, tz, draft=draft)
        except SessionRefused as refused:
            report.rejections.append(Rejection(line, _refusal(found, row, refused.reason)))
            continue
        report.invitations += invited
        setattr(report, outcome, getattr(report, outcome) + 1)


async def _existing(
    session: AsyncSession, drafts: list[tuple[int, SessionDraft]]
) -> dict[tuple[str, str, datetime], ProgrammeSession]:
    """The stored sessions the rows name, by identity, read afresh. Times are compared in
    Python, in UTC: SQLite hands them back without their zone."""
    titles = sorted({row.title_fr for _, row in drafts})
    found: dict[tuple[str, str, datetime], ProgrammeSession] = {}
    batch = 500  # well under every database's limit on bound parameters
    for start in range(0, len(titles), batch):
        stored = await session.scalars(
            select(ProgrammeSession)
            .where(ProgrammeSession.title_fr.in_(titles[start : start + batch]))
            .order_by(ProgrammeSession.id)
            # Fresh from the database even when already loaded: `confirmed` is moved by
            # bookings with plain UPDATEs, and a capacity is checked against it.
            .execution_options(populate_existing=True)
        )
        for programme_session in stored:
            key = (
                programme_session.kind,
                programme_session.title_fr,
                as_utc(programme_session.starts_at),
            )
            found.setdefault(key, programme_session)
    return found


async def _update(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    row: SessionDraft,
    now: datetime,
    tz: ZoneInfo,
    *,
    draft: bool,
) -> tuple[str, int]:
    """("updated" or "unchanged", invitations queued). A published session goes through
    `change_session` for what the booked are told about; the targeting and the cut-off are
    set directly (nobody booked needs to hear of them), and a changed targeting is published
    again, so people it now includes are invited (nobody twice)."""
    wanted = row.values()
    changes = {
        name: wanted[name] for name in COMPARED if getattr(programme_session, name) != wanted[name]
    }
    publish = not draft and programme_session.status == SessionStatus.DRAFT
    if not changes and not publish:
        return "unchanged", 0
    if programme_session.status == SessionStatus.CANCELLED:
        raise SessionRefused("cancelled")
    if programme_session.status == SessionStatus.PUBLISHED:
        told = {name: value for name, value in changes.items() if name in staff_changes.EDITABLE}
        if told:
            await staff_changes.change_session(session, programme_session, told, now, tz)
    elif "capacity" in changes and changes["capacity"] < programme_session.confirmed:
        raise SessionRefused("capacity")
    for name, value in changes.items():
        setattr(programme_session, name, value)
    programme_session.updated_at = now
    await session.flush()
    invited = 0
    if publish or (
        programme_session.status == SessionStatus.PUBLISHED and set(TARGETING) & set(changes)
    ):
        invited = await _publish_counted(session, programme_session, now, tz)
    return "updated", invited


async def _publish_counted(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """Publish (again) and count the invitations actually added: `publish` counts its whole
    audience, including people an earlier run already invited."""
    prefix = keys.session_invites(programme_session.id)

    async def invitations() -> int:
        return await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True))
        )

    before = await invitations()
    await audience.publish(session, programme_session, now, tz)
    return await invitations() - before


def _refusal(programme_session: ProgrammeSession, row: SessionDraft, reason: str) -> str:
    if reason == "cancelled":
        return f"session {programme_session.id} was cancelled: it cannot be changed"
    if reason == "capacity":
        return (
            f"capacity {row.capacity} is below the {programme_session.confirmed} seats "
            f"already confirmed for session {programme_session.id}"
        )
    return f"session {programme_session.id} cannot be changed ({reason})"
