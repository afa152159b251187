"""Tickets: a participant's request to talk to a human (DESIGN.md §4 "Escalation").

Rules this module enforces:
- a participant has at most one active ticket (open or waiting): asking again reuses it;
- the first answer is due one working day after the request: 8 working hours, counted only
  Monday to Friday 9:00-17:00 in programme time (public holidays are not known);
- past the due time without a first answer the counsellor is nudged, once; 4 working hours
  later (at once when the counsellor is away or left) the ticket goes to their backup, once;
- a staff answer makes the ticket "waiting"; a participant's message makes it "open" again;
- only times are stored, never what was said (messages are copied, not kept).
Everything happens in the caller's transaction; deadline messages and relayed messages leave
through the outbox (a relayed message is a copy row: Telegram's copy of the original).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.engine import exclusive
from bot.db.models import (
    Booking,
    BookingStatus,
    Participant,
    ProgrammeSession,
    Role,
    SessionStatus,
    Staff,
    Ticket,
    TicketStatus,
    TicketTopic,
    User,
)
from bot.delivery.channels import NOBODY
from bot.delivery.outbox import OutButton, enqueue
from bot.i18n import DEFAULT_LOCALE
from bot.services.desk import keys
from bot.services.desk.callbacks import on_ticket
from bot.services.participants.reached import ALL_SET, Providers, reach_of
from bot.services.sessions.reminders import BABEL_LOCALES
from bot.services.staff.members import counsellors_for

WORKDAY = (time(9), time(17))
FIRST_ANSWER = timedelta(hours=8)  # one working day
BACKUP_AFTER = timedelta(hours=4)  # working time past the due time
ACK_EVERY = timedelta(minutes=10)  # one "passed on" per burst of messages
TOPIC_NAME_MAX = 128  # Telegram's limit for a forum topic's name


# --- working time -------------------------------------------------------------------------


def add_working_time(start: datetime, amount: timedelta, tz: ZoneInfo) -> datetime:
    """`start` plus `amount` of working time (Mon-Fri 9:00-17:00 in `tz`), in UTC. Time
    outside working hours does not count; a result at 17:00 stays at 17:00."""
    cursor = start.astimezone(tz).replace(tzinfo=None)  # wall-clock time in the programme
    left = amount
    while True:
        day = cursor.date()
        if day.weekday() < 5:
            opens, closes = (datetime.combine(day, moment) for moment in WORKDAY)
            begin = max(cursor, opens)
            if begin < closes:
                if left <= closes - begin:
                    return (begin + left).replace(tzinfo=tz).astimezone(UTC)
                left -= closes - begin
        cursor = datetime.combine(day + timedelta(days=1), time())


def first_answer_due(opened_at: datetime, tz: ZoneInfo) -> datetime:
    """One working day after the request: Friday 16:00 → Monday 16:00."""
    return add_working_time(opened_at, FIRST_ANSWER, tz)


def backup_due(due_at: datetime, tz: ZoneInfo) -> datetime:
    """When a ticket still unanswered goes to the counsellor's backup."""
    return add_working_time(due_at, BACKUP_AFTER, tz)


def due_text(moment: datetime, tz: ZoneInfo) -> dict[str, str]:
    """ "lundi 16:00" / "maandag 16:00", in programme time (a due time is days away at most)."""
    local = moment.astimezone(tz)
    return {
        locale: format_datetime(local, "EEEE HH:mm", locale=b)
        for locale, b in BABEL_LOCALES.items()
    }


# --- who is who ---------------------------------------------------------------------------


def desk_label(participant: Participant) -> str:
    """How staff see a participant on the desk (the topic's name): first name, reference and
    territory, never more."""
    parts = (
        participant.first_name,
        participant.external_id or f"#{participant.id}",
        participant.territory,
    )
    return " · ".join(part for part in parts if part)[:TOPIC_NAME_MAX]


async def locale_of(session: AsyncSession, telegram_id: int) -> str:
    locale = await session.scalar(select(User.locale).where(User.telegram_id == telegram_id))
    return locale or DEFAULT_LOCALE


async def chat_of(session: AsyncSession, participant: Participant) -> int | None:
    """The participant's Telegram chat, None for a record not linked to Telegram."""
    if participant.user_id is None:
        return None
    return await session.scalar(select(User.telegram_id).where(User.id == participant.user_id))


async def tell_participant(
    session: AsyncSession,
    participant: Participant,
    *,
    dedupe_key: str,
    key: str,
    variables: dict[str, Any],
    buttons: list[list[OutButton]] | None = None,
) -> None:
    """A message queued for the participant, when their record is linked to Telegram."""
    chat = await chat_of(session, participant)
    if chat is not None:
        await enqueue(
            session,
            chat_id=chat,
            dedupe_key=dedupe_key,
            key=key,
            variables=variables,
            buttons=buttons,
        )


async def responsible(session: AsyncSession, ticket: Ticket) -> Staff | None:
    """Who is expected to answer the ticket now."""
    return await session.get(Staff, ticket.counsellor_id) if ticket.counsellor_id else None


def is_away(member: Staff, today: date) -> bool:
    return not member.active or (member.away_until is not None and member.away_until >= today)


async def backup_of(session: AsyncSession, counsellor: Staff | None, today: date) -> Staff | None:
    """The counsellor's backup when active and at work; else a coordinator at work, so nobody
    is left unheard. Never the counsellor themselves."""
    candidates = []
    if counsellor is not None and counsellor.backup_id is not None:
        candidates.append(await session.get(Staff, counsellor.backup_id))
    candidates += await session.scalars(
        select(Staff)
        .where(Staff.role == Role.COORDINATOR, Staff.active.is_(True))
        .order_by(Staff.id)
    )
    for candidate in candidates:
        if candidate is None or is_away(candidate, today):
            continue
        if counsellor is None or candidate.id != counsellor.id:
            return candidate
    return None


# --- a ticket's life ----------------------------------------------------------------------


async def active_ticket(session: AsyncSession, participant_id: int) -> Ticket | None:
    return await session.scalar(
        select(Ticket)
        .where(Ticket.participant_id == participant_id, Ticket.status.in_(TicketStatus.ACTIVE))
        .order_by(Ticket.id.desc())
        .limit(1)
    )


async def participant_in_thread(session: AsyncSession, thread_id: int) -> Participant | None:
    """The participant whose desk topic this is."""
    return await session.scalar(
        select(Participant).where(Participant.desk_thread_id == thread_id).limit(1)
    )


@dataclass(frozen=True)
class Opened:
    ticket: Ticket
    created: bool  # False: the participant's active ticket, reused


async def open_ticket(
    session: AsyncSession, participant: Participant, topic: str, now: datetime, tz: ZoneInfo
) -> Opened:
    """The participant's active ticket, else a new one for their counsellor (or whoever
    answers for them), due one working day later."""
    if topic not in TicketTopic.ALL:
        raise ValueError(f"unknown ticket topic {topic!r}")
    existing = await active_ticket(session, participant.id)
    if existing is not None:
        return Opened(existing, False)
    answering = await counsellors_for(session, participant)
    ticket = Ticket(
        participant_id=participant.id,
        topic=topic,
        status=TicketStatus.OPEN,
        counsellor_id=answering[0].id if answering else None,
        opened_at=now,
        due_at=first_answer_due(now, tz),
    )
    session.add(ticket)
    participant.last_contact_at = now
    await session.flush()
    return Opened(ticket, True)


def participant_wrote(ticket: Ticket, participant: Participant, now: datetime) -> bool:
    """A message passed on: the ticket waits for staff again. True when the participant
    should be told it was passed on: the first message of a burst (none in 10 minutes)."""
    last = ticket.last_participant_at
    ticket.last_participant_at = now
    ticket.status = TicketStatus.OPEN
    participant.last_contact_at = now
    return last is None or now - as_utc(last) >= ACK_EVERY


async def staff_answered(
    session: AsyncSession, participant: Participant, member: Staff, now: datetime
) -> Ticket:
    """A staff message reached the participant: the ticket waits for the participant. Staff
    writing first open a ticket too, so the participant's answer comes back to them."""
    ticket = await active_ticket(session, participant.id)
    if ticket is None:
        ticket = Ticket(
            participant_id=participant.id,
            topic=TicketTopic.OTHER,
            counsellor_id=member.id,
            opened_at=now,
        )
        session.add(ticket)
    if ticket.first_answer_at is None:
        ticket.first_answer_at, ticket.first_answer_by = now, member.id
    ticket.status = TicketStatus.WAITING
    ticket.last_staff_at = now
    await session.flush()
    return ticket


async def close_ticket(session: AsyncSession, ticket: Ticket, now: datetime) -> bool:
    """False when it was closed already (by the other side, or a second press)."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status.in_(TicketStatus.ACTIVE))
        .values(status=TicketStatus.CLOSED, closed_at=now)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class CardFacts:
    """What the desk's profile card shows: what helps answer, nothing sensitive."""

    first_name: str | None
    label: str
    territory: str | None
    occupations: list[str]
    dutch_level: str | None
    counsellor: str | None
    topic: str
    bookings: int
    reach: str = NOBODY  # how the person is reached (`participants.reach`)


async def card_facts(
    session: AsyncSession,
    participant: Participant,
    ticket: Ticket,
    now: datetime,
    providers: Providers = ALL_SET,
) -> CardFacts:
    counsellor = (
        await session.get(Staff, participant.counsellor_id) if participant.counsellor_id else None
    )
    bookings = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .join(ProgrammeSession, ProgrammeSession.id == Booking.session_id)
        .where(
            Booking.participant_id == participant.id,
            Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)),
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.starts_at >= now,
        )
    )
    return CardFacts(
        first_name=participant.first_name,
        label=desk_label(participant),
        territory=participant.territory,
        occupations=list(participant.occupations or []),
        dutch_level=participant.dutch_level,
        counsellor=counsellor.name if counsellor else None,
        topic=ticket.topic,
        bookings=bookings or 0,
        reach=await reach_of(session, participant, providers),
    )


# --- deadlines ----------------------------------------------------------------------------


def staff_buttons(ticket_id: int) -> list[list[OutButton]]:
    """Under every request a staff member gets in private: answer it, or close it."""
    return [
        [
            OutButton(key="esc-reply", callback_data=on_ticket("reply", ticket_id)),
            OutButton(key="esc-staff-close", callback_data=on_ticket("sclose", ticket_id)),
        ]
    ]


async def check_deadlines(
    session: AsyncSession, now: datetime, tz: ZoneInfo, desk_chat_id: int | None = None
) -> int:
    """Nudge late counsellors, then hand tickets to the backup. Returns how many acted on.

    Safe every minute and on several replicas: the job holds a lock, and every step is a
    conditional update (done once), its messages keyed in the outbox."""
    await exclusive(session, "ticket-deadlines")
    today = now.astimezone(tz).date()
    pending = await session.scalars(
        select(Ticket)
        .where(
            Ticket.status == TicketStatus.OPEN,
            Ticket.first_answer_at.is_(None),
            Ticket.due_at.is_not(None),
            or_(Ticket.nudged_at.is_(None), Ticket.escalated_at.is_(None)),
        )
        .order_by(Ticket.id)
    )
    acted = 0
    for ticket in pending.all():
        due = as_utc(ticket.due_at)
        if ticket.nudged_at is None and now >= due and await _nudge(session, ticket, now, tz):
            acted += 1
        if ticket.escalated_at is None:
            counsellor = await responsible(session, ticket)
            away = counsellor is None or is_away(counsellor, today)
            if (away or now >= backup_due(due, tz)) and await _hand_to_backup(
                session, ticket, counsellor, now, tz, desk_chat_id
            ):
                acted += 1
    return acted


async def _summary(session: AsyncSession, ticket: Ticket, tz: ZoneInfo) -> dict[str, Any]:
    participant = await session.get(Participant, ticket.participant_id)
    return {
        "label": desk_label(participant),
        "topic": {"key": f"esc-topic-{ticket.topic}"},
        "opened": due_text(as_utc(ticket.opened_at), tz),
    }


async def _nudge(session: AsyncSession, ticket: Ticket, now: datetime, tz: ZoneInfo) -> bool:
    done = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.nudged_at.is_(None))
        .values(nudged_at=now)
    )
    if done.rowcount != 1:
        return False
    counsellor = await responsible(session, ticket)
    if counsellor is not None:
        await enqueue(
            session,
            chat_id=counsellor.telegram_id,
            dedupe_key=keys.ticket(ticket.id, "nudge"),
            key="esc-nudge",
            variables=await _summary(session, ticket, tz),
            buttons=staff_buttons(ticket.id),
        )
    return True


async def _hand_to_backup(
    session: AsyncSession,
    ticket: Ticket,
    counsellor: Staff | None,
    now: datetime,
    tz: ZoneInfo,
    desk_chat_id: int | None,
) -> bool:
    backup = await backup_of(session, counsellor, now.astimezone(tz).date())
    if backup is None:
        return False  # nobody to hand it to: tried again at the next tick
    done = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.escalated_at.is_(None))
        .values(counsellor_id=backup.id, escalated_at=now)
    )
    if done.rowcount != 1:
        return False
    summary = await _summary(session, ticket, tz)
    counsellor_name = counsellor.name if counsellor else "—"
    await enqueue(
        session,
        chat_id=backup.telegram_id,
        dedupe_key=keys.ticket(ticket.id, "backup"),
        key="esc-backup-request",
        variables={**summary, "counsellor": counsellor_name},
        buttons=staff_buttons(ticket.id),
    )
    participant = await session.get(Participant, ticket.participant_id)
    await tell_participant(
        session,
        participant,
        dedupe_key=keys.ticket(ticket.id, "handed"),
        key="esc-handed-over",
        variables={"name": backup.name},
    )
    if desk_chat_id is not None and participant.desk_thread_id is not None:
        # In the participant's own topic, where the desk follows the conversation.
        await enqueue(
            session,
            chat_id=desk_chat_id,
            dedupe_key=keys.ticket(ticket.id, "desk-backup"),
            key="esc-desk-backup",
            variables={**summary, "counsellor": counsellor_name, "backup": backup.name},
            locale=await locale_of(session, backup.telegram_id),
            thread_id=participant.desk_thread_id,
        )
    return True
