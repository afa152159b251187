"""The programme report for funders: people followed, exits, sessions, alerts and the desk,
per territory, over a period of days in the programme's time zone.

How each figure is counted (the period runs from `date_from` to `date_to`, both included):
- followed: everyone followed at some point of the period, whatever became of them: joined on
  or before its last day (the day their record was created when the join date is unknown) and
  not gone (job, training, left) before its first day; imported people included. An exit
  without a date counts as not before the period.
- job_exits, training_exits: the people with a confirmed outcome of that kind starting in the
  period, or whose status of that kind is dated in it (imported people have no outcome
  rows); a person counts once per kind, however many jobs they had.
- exit_rate: job exits / followed.
- sessions_held: published sessions that started in the period, counted for each territory
  they target (a session open to all territories counts for every one); the total counts
  each session once, so it is not the sum of the territories.
- seats_booked, attendance_rate, no_show_rate: confirmed seats in those sessions, by the
  territory of the person holding the seat; both rates are over the seats whose attendance
  was marked.
- alerts_sent, interested: vacancy alerts created in the period (a vacancy answered from
  /jobs was not sent, and is left out), and how many of them the person was interested in.
- escalations_opened, median_first_answer_hours: requests to talk to a human opened in the
  period, by the person's territory, and the median time to staff's first answer, over
  those answered.
- reached_telegram, reached_sms, reached_email, reached_nobody: the people followed, by how
  they are reached today (`bot.services.participants.reached`: the first channel they agreed to
  that works, by the providers set), so the counsellors see who must be called.
- sent_telegram, sent_sms, sent_email, sms_segments: messages to participants sent in the
  period by channel (a row from before channels existed went by Telegram), by the person's
  territory (a person erased since: no territory), and the SMS segments they took (the cost).
  Messages to staff are not counted.
Rates are rounded to 3 decimals, hours to 1, and are None when nothing to divide by.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.content import CONTENT_DIR
from bot.common.dates import day_text
from bot.common.rows import safe_cell
from bot.db.base import as_utc
from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    SessionStatus,
    Territory,
    Ticket,
    User,
    VacancyAlert,
)
from bot.services.outcomes.records import STATUS_OF
from bot.services.participants.reached import ALL_SET, Providers, reach

NO_TERRITORY = "—"
TOTAL = "total"
METRICS = (
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
)
RATES = frozenset({"exit_rate", "attendance_rate", "no_show_rate"})
DEFAULT_TZ = ZoneInfo("Europe/Paris")


@dataclass
class Figures:
    """One territory's figures (or the totals), as the JSON shows them."""

    code: str
    followed: int = 0
    job_exits: int = 0
    training_exits: int = 0
    exit_rate: float | None = None
    sessions_held: int = 0
    seats_booked: int = 0
    attendance_rate: float | None = None
    no_show_rate: float | None = None
    alerts_sent: int = 0
    interested: int = 0
    escalations_opened: int = 0
    median_first_answer_hours: float | None = None
    reached_telegram: int = 0
    reached_sms: int = 0
    reached_email: int = 0
    reached_nobody: int = 0
    sent_telegram: int = 0
    sent_sms: int = 0
    sent_email: int = 0
    sms_segments: int = 0
    # Not shown: what the rates and the median are computed from.
    attended: int = field(default=0, repr=False)
    no_shows: int = field(default=0, repr=False)
    answer_hours: list[float] = field(default_factory=list, repr=False)

    def finish(self) -> Figures:
        marked = self.attended + self.no_shows
        self.exit_rate = _rate(self.job_exits, self.followed)
        self.attendance_rate = _rate(self.attended, marked)
        self.no_show_rate = _rate(self.no_shows, marked)
        if self.answer_hours:
            self.median_first_answer_hours = round(statistics.median(self.answer_hours), 1)
        return self

    def as_json(self) -> dict[str, Any]:
        shown = asdict(self)
        return {"code": self.code, **{name: shown[name] for name in METRICS}}


@dataclass(frozen=True)
class Report:
    date_from: date
    date_to: date
    territories: list[Figures]
    totals: Figures

    def as_json(self) -> dict[str, Any]:
        totals = self.totals.as_json()
        del totals["code"]
        return {
            "period": {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()},
            "territories": [figures.as_json() for figures in self.territories],
            "totals": totals,
        }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _start_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


async def build_report(
    session: AsyncSession,
    date_from: date,
    date_to: date,
    tz: ZoneInfo = DEFAULT_TZ,
    territories: tuple[str, ...] | None = None,
    providers: Providers = ALL_SET,
) -> Report:
    """The figures of the period per territory (LRT, FM, WAPI, then people without a
    territory when they add anything), and the totals. See the module's docstring.
    `territories` (a CET's report, `rights.report_territories`): only theirs, and totals
    over them alone (a session counted once when it is open to any of them). `providers`:
    which of SMS and e-mail are set up (a channel without its provider reaches nobody)."""
    if date_from > date_to:
        raise ValueError("the period ends before it starts")
    start, end = _start_of(date_from, tz), _start_of(date_to + timedelta(days=1), tz)
    rows: dict[str, Figures] = defaultdict(lambda: Figures(NO_TERRITORY))
    for code in Territory.ALL:
        rows[code] = Figures(code)
    totals = Figures(TOTAL)

    def add(territory: str | None, name: str, value: Any = 1) -> None:
        """One more (or `value` appended, for a list) for the territory and the totals."""
        if territories is not None and territory not in territories:
            return
        for figures in (rows[territory if territory in Territory.ALL else NO_TERRITORY], totals):
            current = getattr(figures, name)
            if isinstance(current, list):
                current.append(value)
            else:
                setattr(figures, name, current + value)

    for territory in await _followed(session, date_from, date_to, end):
        add(territory, "followed")
    for kind, name in ((OutcomeKind.JOB, "job_exits"), (OutcomeKind.TRAINING, "training_exits")):
        for territory in await _exits(session, kind, date_from, date_to):
            add(territory, name)
    for targeted in await _sessions_held(session, start, end):
        held_in = set(targeted or Territory.ALL) & set(territories or Territory.ALL)
        for territory in held_in:
            rows[territory].sessions_held += 1
        if held_in or territories is None:
            totals.sessions_held += 1
    for territory, attendance in await _seats(session, start, end):
        add(territory, "seats_booked")
        if attendance == Attendance.ATTENDED:
            add(territory, "attended")
        elif attendance == Attendance.NO_SHOW:
            add(territory, "no_shows")
    for territory, response in await _alerts(session, start, end):
        add(territory, "alerts_sent")
        if response == "interested":
            add(territory, "interested")
    for territory, opened_at, answered_at in await _tickets(session, start, end):
        add(territory, "escalations_opened")
        if answered_at is not None:
            waited = as_utc(answered_at) - as_utc(opened_at)
            add(territory, "answer_hours", waited.total_seconds() / 3600)
    for territory, how in await _reached(session, date_from, date_to, end, providers):
        add(territory, f"reached_{how}")
    for territory, channel, segments in await _sent(session, start, end):
        add(territory, f"sent_{channel}" if channel in SENT_CHANNELS else "sent_telegram")
        if channel == "sms":
            add(territory, "sms_segments", segments or 1)
    shown = [rows[code] for code in Territory.ALL if territories is None or code in territories]
    nobody = rows.get(NO_TERRITORY)
    if nobody is not None and any(getattr(nobody, name) for name in (*METRICS, "answer_hours")):
        shown.append(nobody)
    return Report(date_from, date_to, [f.finish() for f in shown], totals.finish())


async def _followed(
    session: AsyncSession, date_from: date, date_to: date, end: datetime
) -> list[str | None]:
    gone = Participant.status != ParticipantStatus.FOLLOWED
    query = select(Participant.territory).where(
        or_(
            Participant.joined <= date_to,
            and_(Participant.joined.is_(None), Participant.created_at < end),
        ),
        ~and_(gone, Participant.status_date.is_not(None), Participant.status_date < date_from),
    )
    return list(await session.scalars(query))


@dataclass(frozen=True)
class _Account:
    """What `contact_of` reads of a Telegram account."""

    telegram_id: int
    reachable: bool
    locale: str | None


async def _reached(
    session: AsyncSession, date_from: date, date_to: date, end: datetime, providers: Providers
) -> list[tuple[str | None, str]]:
    """(territory, how they are reached) of each person `_followed` counts."""
    gone = Participant.status != ParticipantStatus.FOLLOWED
    query = (
        select(
            *(getattr(Participant, name) for name in _CONTACT_COLUMNS),
            User.telegram_id,
            User.reachable,
            User.locale.label("account_locale"),
        )
        .outerjoin(User, User.id == Participant.user_id)
        .where(
            or_(
                Participant.joined <= date_to,
                and_(Participant.joined.is_(None), Participant.created_at < end),
            ),
            ~and_(gone, Participant.status_date.is_not(None), Participant.status_date < date_from),
        )
    )
    found = []
    for row in await session.execute(query):
        account = (
            _Account(row.telegram_id, row.reachable, row.account_locale)
            if row.telegram_id is not None
            else None
        )
        found.append((row.territory, reach(row, account, providers)))
    return found


_CONTACT_COLUMNS = (
    "id",
    "territory",
    "user_id",
    "locale",
    "channels",
    "phone",
    "phone_consent_at",
    "sms_stopped_at",
    "email",
    "email_consent_at",
    "email_stopped_at",
)
SENT_CHANNELS = ("telegram", "sms", "email")


async def _sent(session: AsyncSession, start: datetime, end: datetime) -> list[tuple]:
    """(territory, channel, segments) of each message sent to a participant in the period: a
    row for a participant, or (before channels) for a participant's Telegram chat; a row
    with neither a participant nor a chat is a person's erased since (no territory)."""
    by_chat = (
        select(Participant.id)
        .join(User, User.id == Participant.user_id)
        .where(User.telegram_id == OutboxMessage.chat_id)
        .correlate(OutboxMessage)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Participant.id,
            Participant.territory,
            OutboxMessage.chat_id,
            OutboxMessage.channel,
            OutboxMessage.segments,
        )
        .select_from(OutboxMessage)
        .outerjoin(
            Participant,
            Participant.id == func.coalesce(OutboxMessage.participant_id, by_chat),
        )
        .where(
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at >= start,
            OutboxMessage.sent_at < end,
        )
    )
    return [
        (territory, channel, segments)
        for participant_id, territory, chat_id, channel, segments in rows
        if participant_id is not None or chat_id is None
    ]


async def _exits(
    session: AsyncSession, kind: str, date_from: date, date_to: date
) -> list[str | None]:
    confirmed = select(Outcome.participant_id).where(
        Outcome.kind == kind,
        Outcome.confirmed_at.is_not(None),
        Outcome.start_date.between(date_from, date_to),
    )
    query = select(Participant.territory).where(
        or_(
            Participant.id.in_(confirmed),
            and_(
                Participant.status == STATUS_OF[kind],
                Participant.status_date.between(date_from, date_to),
            ),
        )
    )
    return list(await session.scalars(query))


def _held(start: datetime, end: datetime):
    return (
        ProgrammeSession.status == SessionStatus.PUBLISHED,
        ProgrammeSession.starts_at >= start,
        ProgrammeSession.starts_at < end,
    )


async def _sessions_held(session: AsyncSession, start: datetime, end: datetime) -> list[list]:
    return list(
        await session.scalars(select(ProgrammeSession.territories).where(*_held(start, end)))
    )


async def _seats(session: AsyncSession, start: datetime, end: datetime) -> list[tuple]:
    rows = await session.execute(
        select(Participant.territory, Booking.attendance)
        .join(ProgrammeSession, ProgrammeSession.id == Booking.session_id)
        .join(Participant, Participant.id == Booking.participant_id)
        .where(Booking.status == BookingStatus.CONFIRMED, *_held(start, end))
    )
    return [tuple(r) for r in rows]


async def _alerts(session: AsyncSession, start: datetime, end: datetime) -> list[tuple]:
    rows = await session.execute(
        select(Participant.territory, VacancyAlert.response)
        .join(Participant, Participant.id == VacancyAlert.participant_id)
        .where(
            VacancyAlert.mode != "jobs",
            VacancyAlert.created_at >= start,
            VacancyAlert.created_at < end,
        )
    )
    return [tuple(r) for r in rows]


async def _tickets(session: AsyncSession, start: datetime, end: datetime) -> list[tuple]:
    rows = await session.execute(
        select(Participant.territory, Ticket.opened_at, Ticket.first_answer_at)
        .join(Participant, Participant.id == Ticket.participant_id)
        .where(Ticket.opened_at >= start, Ticket.opened_at < end)
    )
    return [tuple(r) for r in rows]


# --- periods -----------------------------------------------------------------------------


def this_month(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def last_month(today: date) -> tuple[date, date]:
    last_day = today.replace(day=1) - timedelta(days=1)
    return last_day.replace(day=1), last_day


def this_year(today: date) -> tuple[date, date]:
    return today.replace(month=1, day=1), today


PERIODS: dict[str, Callable[[date], tuple[date, date]]] = {
    "month": this_month,
    "last_month": last_month,
    "year": this_year,
}


# --- how the report is shown -------------------------------------------------------------

Text = Callable[..., str]


@cache
def texts(locale: str) -> Text:
    """The report's words in `locale` (content/<locale>/outcomes.ftl), as plain text:
    `text(key, **variables)`, a `date` variable written as the locale writes it (Babel).
    Read with fluent.runtime alone, so the CLI needs no aiogram."""
    from fluent.runtime import FluentBundle, FluentResource

    bundle = FluentBundle([locale], use_isolating=False)
    path = CONTENT_DIR / locale / "outcomes.ftl"
    bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))

    def text(key: str, **variables: Any) -> str:
        message = bundle.get_message(key)
        shown = {
            name: day_text(value, locale) if isinstance(value, date) else value
            for name, value in variables.items()
        }
        value, _errors = bundle.format_pattern(message.value, shown)
        return value

    return text


def _cell(name: str, value: Any) -> str:
    if value is None:
        return NO_TERRITORY
    if name in RATES:
        return f"{round(value * 100)}%"
    return str(value)


def period_text(report: Report, text: Text) -> str:
    return text(
        "report-period",
        start=report.date_from,
        end=report.date_to,
    )


def as_table(report: Report, text: Text) -> str:
    """A metric a line, a territory a column (narrow enough for a phone)."""
    columns = [*report.territories, report.totals]
    header = [
        text("report-col-metric"),
        *(f.code for f in report.territories),
        text("report-total"),
    ]
    lines = [header]
    for name in METRICS:
        lines.append(
            [
                text(f"report-{name.replace('_', '-')}"),
                *(_cell(name, getattr(f, name)) for f in columns),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    return "\n".join([period_text(report, text), "", *rendered])


def as_csv(report: Report) -> str:
    """One line per territory, then the totals; the columns are the JSON's keys. Every cell
    goes through `safe_cell`, as in every CSV we hand out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["from", "to", "territory", *METRICS])
    period = [report.date_from.isoformat(), report.date_to.isoformat()]
    for figures in [*report.territories, report.totals]:
        shown = figures.as_json()
        cells = [*period, figures.code, *("" if shown[n] is None else shown[n] for n in METRICS)]
        writer.writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def chart_png(report: Report, text: Text) -> bytes:
    """Followed and into work, side by side per territory, each bar with its value. Drawn
    without pyplot (no global state, no display): safe in the bot's worker threads."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    codes = [figures.code for figures in report.territories]
    places = list(range(len(codes)))
    width = 0.38
    figure = Figure(figsize=(8, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    series = (
        ("report-chart-followed", "followed", -width / 2, "#4c72b0"),
        ("report-chart-job-exits", "job_exits", width / 2, "#55a868"),
    )
    for key, name, shift, colour in series:
        values = [getattr(figures, name) for figures in report.territories]
        bars = axes.bar([p + shift for p in places], values, width, label=text(key), color=colour)
        axes.bar_label(bars, padding=2)
    axes.set_xticks(places, codes)
    axes.set_title(text("report-chart-title", period=period_text(report, text)))
    axes.set_xlabel(text("report-chart-x"))
    axes.set_ylabel(text("report-chart-y"))
    axes.margins(y=0.15)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend()
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
