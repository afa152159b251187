"""Online sessions from publishing to feedback (DESIGN.md §4 "Bookings"), without aiogram.

Rules this module enforces:
- a published session invites, once each, the followed, consented, reachable participants
  on Telegram it targets (territories, occupations, Dutch levels; an empty list = everyone),
  through the outbox, outside the quiet hours and at most two weeks before it starts (a
  series is announced session by session);
- a seat booked (by the participant or by staff for them) brings the .ics and the reminders;
  a seat given back cancels its reminders, and the freed seat goes to the first on the
  waitlist, who is told and may decline;
- a change of time, link, title or length tells everyone booked what changed, moves the
  reminders and sends the updated .ics; a cancelled session tells them, cancels their
  reminders and sends the cancelling .ics;
- after the session staff mark attendance; once the session has ended and the list is
  settled (the organiser says it is complete, or two hours after the end) those marked
  present are asked "how was it?" (1-5), once.
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    SessionStatus,
    Staff,
    User,
)
from bot.delivery.outbox import OutButton, OutFile, OutMessage, enqueue, enqueue_many
from bot.services import bookings, keys, reminders
from bot.services.alerts import outside_quiet_hours
from bot.services.bookings import BookingOutcome
from bot.services.calendar import calendar_invite
from bot.services.reminders import session_callback, when_text

KINDS = ("company_presentation", "coaching", "info")
RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX = 1000
INVITE_AHEAD = timedelta(days=14)
# Without the organiser's "list complete", attendance is taken as settled this long after the
# end; sessions older than the look-back are never asked about (a bot that was down for weeks).
FEEDBACK_AFTER = timedelta(hours=2)
FEEDBACK_LOOKBACK = timedelta(days=7)
ID_MAX = 2**31 - 1  # the largest integer key PostgreSQL and SQLite agree on
ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)
# What staff may change in a published session, and what the booked are told about.
EDITABLE = ("title_fr", "title_nl", "starts_at", "duration_min", "url", "capacity")


class SessionRefused(Exception):
    """A change staff asked for cannot be made: `reason` is "cancelled", "past" or
    "capacity" (fewer seats than already confirmed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def session_vars(programme_session: ProgrammeSession, tz: ZoneInfo) -> dict[str, Any]:
    """What every message about a session says: its title and time in both languages."""
    return {
        "title": {
            "fr": programme_session.title_fr,
            "nl": programme_session.title_nl or programme_session.title_fr,
        },
        "when": when_text(as_utc(programme_session.starts_at), tz),
        "kind": {"key": f"session-kind-{programme_session.kind}"},
        "minutes": programme_session.duration_min,
    }


def _button(key: str, action: str, session_id: int, extra: str = "") -> OutButton:
    return OutButton(key=key, callback_data=session_callback(action, session_id, extra))


# --- who a session is for -----------------------------------------------------------------


def targets(programme_session: ProgrammeSession, participant: Participant) -> bool:
    """The session's targeting applied to one participant."""
    if programme_session.territories and participant.territory not in (
        programme_session.territories
    ):
        return False
    if programme_session.occupations and not set(participant.occupations or ()) & set(
        programme_session.occupations
    ):
        return False
    return not (
        programme_session.dutch_levels
        and participant.dutch_level not in programme_session.dutch_levels
    )


def followed_with_consent():
    """The condition on a participant the programme follows and who gave consent (whom a
    session invites, or a broadcast may reach)."""
    return and_(
        Participant.status == ParticipantStatus.FOLLOWED,
        Participant.consent_at.is_not(None),
    )


def _invitable():
    return and_(followed_with_consent(), User.reachable.is_(True))


def published_to_come(now: datetime) -> Select[tuple[ProgrammeSession]]:
    """Published sessions still to come, soonest first."""
    return (
        select(ProgrammeSession)
        .where(
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.starts_at > now,
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )


async def audience(
    session: AsyncSession, programme_session: ProgrammeSession
) -> list[tuple[int, int]]:
    """(participant id, chat id) of everyone the session invites."""
    query = (
        select(Participant, User.telegram_id)
        .join(User, User.id == Participant.user_id)
        .where(_invitable())
    )
    if programme_session.territories:
        query = query.where(Participant.territory.in_(programme_session.territories))
    if programme_session.dutch_levels:
        query = query.where(Participant.dutch_level.in_(programme_session.dutch_levels))
    rows = (await session.execute(query)).all()
    # Occupations are a JSON list: filtered here, the same way `targets` does.
    return [(p.id, chat) for p, chat in rows if targets(programme_session, p)]


async def publish(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """Publish a draft (or re-run for a published one: nobody is invited twice). Returns how
    many invitations were queued."""
    if programme_session.status == SessionStatus.CANCELLED:
        raise SessionRefused("cancelled")
    if as_utc(programme_session.starts_at) <= now:
        raise SessionRefused("past")
    programme_session.status = SessionStatus.PUBLISHED
    await session.flush()
    people = await audience(session, programme_session)
    variables = {**session_vars(programme_session, tz), "seats": programme_session.capacity}
    book = [[_button("session-book", "book", programme_session.id).as_json()]]
    # A series (a ten-week course) would otherwise invite ten times at once: each invitation
    # waits until its session is at most INVITE_AHEAD away, and for the morning.
    send_at = outside_quiet_hours(max(now, as_utc(programme_session.starts_at) - INVITE_AHEAD), tz)
    await enqueue_many(
        session,
        [
            OutMessage(
                chat_id=chat,
                dedupe_key=keys.session_invite(programme_session.id, pid),
                key="session-invite",
                variables=variables,
                buttons=book,
                not_before=send_at,
                campaign_id=f"session:{programme_session.id}",
            )
            for pid, chat in people
        ],
    )
    return len(people)


# --- what a participant sees ---------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """An upcoming session as one participant sees it."""

    session: ProgrammeSession
    booking: Booking | None  # theirs, when they hold one (confirmed or waitlisted)
    position: int | None  # their place on the waitlist

    @property
    def seats_left(self) -> int:
        return max(self.session.capacity - self.session.confirmed, 0)


async def upcoming_for(
    session: AsyncSession, participant: Participant, now: datetime
) -> list[Offer]:
    """Published sessions still to come that target the participant or that they booked,
    soonest first."""
    found = await session.scalars(published_to_come(now))
    held = {
        b.session_id: b
        for b in await session.scalars(
            select(Booking).where(
                Booking.participant_id == participant.id, Booking.status.in_(ACTIVE)
            )
        )
    }
    offers = []
    for programme_session in found:
        booking = held.get(programme_session.id)
        if booking is None and not targets(programme_session, participant):
            continue
        position = await bookings.waitlist_position(session, booking) if booking else None
        offers.append(Offer(programme_session, booking, position))
    return offers


async def offer(
    session: AsyncSession, programme_session: ProgrammeSession, participant: Participant
) -> Offer:
    booking = await session.scalar(
        select(Booking).where(
            Booking.session_id == programme_session.id,
            Booking.participant_id == participant.id,
            Booking.status.in_(ACTIVE),
        )
    )
    position = await bookings.waitlist_position(session, booking) if booking else None
    return Offer(programme_session, booking, position)


async def overlapping(
    session: AsyncSession, programme_session: ProgrammeSession, participant_id: int
) -> list[ProgrammeSession]:
    """Other sessions the participant holds a seat or a waitlist place for at the same time."""
    starts = as_utc(programme_session.starts_at)
    ends = starts + timedelta(minutes=programme_session.duration_min)
    held = await session.scalars(
        select(ProgrammeSession)
        .join(Booking, Booking.session_id == ProgrammeSession.id)
        .where(
            Booking.participant_id == participant_id,
            Booking.status.in_(ACTIVE),
            ProgrammeSession.id != programme_session.id,
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.starts_at < ends,
        )
    )
    return [
        other
        for other in held
        if as_utc(other.starts_at) + timedelta(minutes=other.duration_min) > starts
    ]


# --- seats ---------------------------------------------------------------------------------


async def _recipient(session: AsyncSession, participant_id: int) -> tuple[int, str] | None:
    """The participant's Telegram chat and language, when they are on Telegram and reachable."""
    row = (
        await session.execute(
            select(User.telegram_id, User.locale)
            .join(Participant, Participant.user_id == User.id)
            .where(Participant.id == participant_id, User.reachable.is_(True))
        )
    ).first()
    return None if row is None else (row.telegram_id, row.locale or "fr")


async def _send_invite_file(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    booking: Booking,
    chat: int,
    locale: str,
    caption: str,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The .ics (added to or removed from the phone's calendar), in the reader's language."""
    await enqueue(
        session,
        chat_id=chat,
        dedupe_key=keys.calendar_file(
            programme_session.id, booking.participant_id, booking.seat, programme_session.sequence
        ),
        key=caption,
        variables=session_vars(programme_session, tz),
        file=OutFile(
            filename=f"session-{programme_session.id}.ics",
            content=calendar_invite(programme_session, locale, tz, now),
            mime_type="text/calendar",
        ),
        campaign_id=f"session:{programme_session.id}",
    )


async def _seated(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    booking: Booking,
    now: datetime,
    tz: ZoneInfo,
    notice: str | None = None,
    booked_by: str = "",
) -> None:
    """A seat taken: its reminders, its .ics and, when the person did not book it themselves,
    a notice first: "promoted" from the waitlist (with "I can't come"), or "booked_for" them
    by staff (with "Cancel my seat")."""
    recipient = await _recipient(session, booking.participant_id)
    if recipient is None:
        return
    chat, locale = recipient
    if notice is not None:
        action = "decline" if notice == "promoted" else "cancel"
        label = "session-decline" if notice == "promoted" else "session-cancel-mine"
        await enqueue(
            session,
            chat_id=chat,
            dedupe_key=keys.seat_notice(
                notice, programme_session.id, booking.participant_id, booking.seat
            ),
            key=f"session-{notice.replace('_', '-')}",
            variables={
                **session_vars(programme_session, tz),
                "plan": reminders.plan(programme_session.starts_at, now),
                "hours": programme_session.cutoff_hours,
                "name": booked_by,
            },
            buttons=[[_button(label, action, programme_session.id)]],
            campaign_id=f"session:{programme_session.id}",
        )
    await _send_invite_file(
        session, programme_session, booking, chat, locale, "session-ics", now, tz
    )
    await reminders.schedule_reminders(session, programme_session, booking, chat, now, tz)


async def take_seat(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    participant_id: int,
    now: datetime,
    tz: ZoneInfo,
    booked_by: int | None = None,
) -> BookingOutcome:
    """Book (a seat, else the waitlist); a new seat brings its reminders and the .ics.
    Raises `BookingRefused` for a closed, cancelled, past or cut-off session."""
    outcome = await bookings.book(session, programme_session.id, participant_id, now)
    if outcome.already:
        return outcome
    outcome.booking.booked_by = booked_by
    outcome.booking.promoted_at = None
    await session.refresh(programme_session)
    if outcome.booking.status == BookingStatus.CONFIRMED:
        staff = await session.get(Staff, booked_by) if booked_by is not None else None
        notice = None if staff is None else "booked_for"
        await _seated(
            session,
            programme_session,
            outcome.booking,
            now,
            tz,
            notice,
            staff.name if staff else "",
        )
    return outcome


async def give_back(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    participant_id: int,
    now: datetime,
    tz: ZoneInfo,
) -> Booking | None:
    """Cancel a seat or leave the waitlist (before the cut-off); the reminders go, and the
    first person waiting gets the seat and is told. Returns the booking promoted, if any.
    Raises `BookingRefused` after the cut-off."""
    promoted = await bookings.cancel(session, programme_session.id, participant_id, now)
    given_back = await session.scalar(
        select(Booking).where(
            Booking.session_id == programme_session.id, Booking.participant_id == participant_id
        )
    )
    if given_back is not None:
        await reminders.cancel_reminders(session, given_back)
    if promoted is not None:
        await _promoted(session, programme_session, promoted, now, tz)
    return promoted


async def _promoted(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    promoted: Booking,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """A seat from the waitlist: told (with "I can't come"), reminders and the .ics."""
    promoted.promoted_at = now
    await session.refresh(programme_session)
    await _seated(session, programme_session, promoted, now, tz, "promoted")


# --- staff: change, cancel ---------------------------------------------------------------


async def _booked(
    session: AsyncSession, session_id: int, statuses=ACTIVE
) -> list[tuple[Booking, int | None, str]]:
    """The bookings in `statuses`, each with the person's chat (None when not reachable on
    Telegram) and language."""
    rows = await session.execute(
        select(Booking, User.telegram_id, User.locale)
        .join(Participant, Participant.id == Booking.participant_id)
        .outerjoin(User, and_(User.id == Participant.user_id, User.reachable.is_(True)))
        .where(Booking.session_id == session_id, Booking.status.in_(statuses))
        .order_by(Booking.requested_at, Booking.id)
    )
    return [(booking, chat, locale or "fr") for booking, chat, locale in rows]


async def change_session(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    changes: dict[str, Any],
    now: datetime,
    tz: ZoneInfo,
) -> list[str]:
    """Apply staff's changes (fields of `EDITABLE`); everyone booked is told what changed,
    reminders follow the time and those with a seat get the updated .ics. More seats go to
    the waitlist at once. Returns the names of the fields that changed."""
    if programme_session.status == SessionStatus.CANCELLED:
        raise SessionRefused("cancelled")
    if as_utc(programme_session.starts_at) <= now:
        raise SessionRefused("past")
    if "capacity" in changes and changes["capacity"] < programme_session.confirmed:
        raise SessionRefused("capacity")
    if "starts_at" in changes:  # stored in UTC whatever zone the caller used
        changes = {**changes, "starts_at": as_utc(changes["starts_at"]).astimezone(UTC)}
    before = session_vars(programme_session, tz)
    changed = [
        name
        for name, value in changes.items()
        if name in EDITABLE and getattr(programme_session, name) != value
    ]
    if not changed:
        return []
    for name in changed:
        setattr(programme_session, name, changes[name])
    if set(changed) - {"capacity"}:
        programme_session.sequence += 1  # a new calendar version
    await session.flush()
    if set(changed) - {"capacity"}:
        # The reminders say the time, the title and (the last one) the link: a new version.
        await reminders.cancel_session_reminders(session, programme_session.id)
        for booking, chat, _locale in await _booked(
            session, programme_session.id, (BookingStatus.CONFIRMED,)
        ):
            if chat is not None:
                await reminders.schedule_reminders(
                    session, programme_session, booking, chat, now, tz
                )
    if "capacity" in changed:
        # New seats go to the waitlist at once; each person promoted is told, as on a cancel.
        await session.refresh(programme_session)
        while (promoted := await bookings.promote_next(session, programme_session.id)) is not None:
            await _promoted(session, programme_session, promoted, now, tz)
    if set(changed) <= {"capacity"}:
        return changed  # nothing the booked need to know
    after = session_vars(programme_session, tz)
    what = []
    if "starts_at" in changed:
        what.append(
            {"key": "session-changed-when", "vars": {"old": before["when"], "new": after["when"]}}
        )
    if "duration_min" in changed:
        what.append({"key": "session-changed-minutes", "vars": {"minutes": after["minutes"]}})
    if "url" in changed:
        what.append({"key": "session-changed-url", "vars": {"url": programme_session.url}})
    if {"title_fr", "title_nl"} & set(changed):
        what.append({"key": "session-changed-title", "vars": {"old": before["title"]}})
    variables = {**after, "what": what}
    for booking, chat, locale in await _booked(session, programme_session.id):
        if chat is None:
            continue
        await enqueue(
            session,
            chat_id=chat,
            dedupe_key=keys.session_changed(
                programme_session.id, booking.participant_id, programme_session.sequence
            ),
            key="session-changed",
            variables=variables,
            campaign_id=f"session:{programme_session.id}",
            link_preview=False,
        )
        if booking.status == BookingStatus.CONFIRMED:
            await _send_invite_file(
                session,
                programme_session,
                booking,
                chat,
                locale,
                "session-ics-updated",
                now,
                tz,
            )
    return changed


async def cancel_session(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """Cancel the session: every booking is cancelled with its reminders and the people are
    told (with an .ics that removes the event). Returns how many were told."""
    if programme_session.status == SessionStatus.CANCELLED:
        return 0
    programme_session.status = SessionStatus.CANCELLED
    programme_session.sequence += 1
    held = await _booked(session, programme_session.id)
    seated = {
        booking.id for booking, _chat, _locale in held if booking.status == BookingStatus.CONFIRMED
    }
    for booking, _chat, _locale in held:
        booking.status = BookingStatus.CANCELLED
    await reminders.cancel_session_reminders(session, programme_session.id)
    programme_session.confirmed = 0
    await session.flush()
    told = 0
    for booking, chat, locale in held:
        if chat is None:
            continue
        told += 1
        await enqueue(
            session,
            chat_id=chat,
            dedupe_key=keys.session_cancelled(programme_session.id, booking.participant_id),
            key="session-cancelled",
            variables=session_vars(programme_session, tz),
            campaign_id=f"session:{programme_session.id}",
        )
        if booking.id not in seated:
            continue  # a place on the waitlist put nothing in their calendar
        await _send_invite_file(
            session,
            programme_session,
            booking,
            chat,
            locale,
            "session-ics-cancelled",
            now,
            tz,
        )
    return told


# --- after the session -------------------------------------------------------------------


async def booked_people(
    session: AsyncSession, session_id: int, status: str
) -> list[tuple[Booking, Participant]]:
    """The bookings of a session in `status`, with their people, in booking order (for the
    waitlist: first to be served first)."""
    rows = await session.execute(
        select(Booking, Participant)
        .join(Participant, Participant.id == Booking.participant_id)
        .where(Booking.session_id == session_id, Booking.status == status)
        .order_by(Booking.requested_at, Booking.id)
    )
    return [(booking, participant) for booking, participant in rows]


async def attendance_sheet(
    session: AsyncSession, session_id: int
) -> list[tuple[Booking, Participant]]:
    """The confirmed seats of a session, with their people, in booking order."""
    return await booked_people(session, session_id, BookingStatus.CONFIRMED)


async def mark_attendance(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    booking: Booking,
    attendance: str,
    now: datetime,
) -> None:
    """Record attended / no-show (only once the session has begun). Nobody is told: the
    organiser may still be going through the list (see `confirm_attendance`)."""
    if attendance not in Attendance.ALL:
        raise ValueError(attendance)
    if as_utc(programme_session.starts_at) > now:
        raise SessionRefused("not_started")
    booking.attendance = attendance
    await session.flush()


def ends_at(programme_session: ProgrammeSession) -> datetime:
    return as_utc(programme_session.starts_at) + timedelta(minutes=programme_session.duration_min)


async def confirm_attendance(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """The organiser says the list is complete: once the session has ended, those marked
    present are asked how it was (each once). Returns how many are asked now (0 before the
    end: the clock asks them at the end)."""
    if as_utc(programme_session.starts_at) > now:
        raise SessionRefused("not_started")
    programme_session.attendance_confirmed_at = now
    await session.flush()
    if ends_at(programme_session) > now:
        return 0
    return await ask_feedback(session, programme_session, now, tz)


async def ask_feedback(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """ "How was it?" to those marked present who were not asked yet; returns how many."""
    programme_session.feedback_asked_at = programme_session.feedback_asked_at or now
    stars = [[_button(f"session-rate-{n}", "rate", programme_session.id, str(n)) for n in RATINGS]]
    asked = 0
    for booking, chat, _locale in await _booked(
        session, programme_session.id, (BookingStatus.CONFIRMED,)
    ):
        if chat is None or booking.attendance != Attendance.ATTENDED:
            continue
        asked += await enqueue(
            session,
            chat_id=chat,
            dedupe_key=keys.session_feedback(programme_session.id, booking.participant_id),
            key="session-feedback",
            variables=session_vars(programme_session, tz),
            buttons=stars,
            not_before=outside_quiet_hours(now, tz),
            campaign_id=f"session:{programme_session.id}",
        )
    await session.flush()
    return asked


async def ask_feedback_due(session: AsyncSession, now: datetime, tz: ZoneInfo) -> int:
    """The clock's part: sessions that ended and whose list is settled (confirmed by the
    organiser, or `FEEDBACK_AFTER` past the end) ask their feedback, once per session.
    Returns how many people were asked. Two replicas running it at once ask nobody twice
    (the question's key is per person and session)."""
    due = await session.scalars(
        select(ProgrammeSession).where(
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.feedback_asked_at.is_(None),
            ProgrammeSession.starts_at <= now,
            ProgrammeSession.starts_at >= now - FEEDBACK_LOOKBACK,
        )
    )
    asked = 0
    for programme_session in due.all():
        end = ends_at(programme_session)
        settled = programme_session.attendance_confirmed_at is not None or (
            end + FEEDBACK_AFTER <= now
        )
        if end <= now and settled:
            asked += await ask_feedback(session, programme_session, now, tz)
    return asked


async def rate(
    session: AsyncSession, session_id: int, participant_id: int, rating: int
) -> Booking | None:
    """The participant's 1-5; None when they hold no attended seat for that session."""
    if rating not in RATINGS:
        return None
    booking = await session.scalar(
        select(Booking).where(
            Booking.session_id == session_id,
            Booking.participant_id == participant_id,
            Booking.attendance == Attendance.ATTENDED,
        )
    )
    if booking is not None:
        booking.rating = rating
        await session.flush()
    return booking


async def add_comment(
    session: AsyncSession, session_id: int, participant_id: int, text: str
) -> bool:
    booking = await session.scalar(
        select(Booking).where(
            Booking.session_id == session_id,
            Booking.participant_id == participant_id,
            Booking.attendance == Attendance.ATTENDED,
        )
    )
    if booking is None:
        return False
    booking.comment = " ".join(text.split())[:COMMENT_MAX]
    await session.flush()
    return True


@dataclass(frozen=True)
class Turnout:
    """Attendance marked so far: `no_show_rate` over the seats marked (None before any)."""

    marked: int
    attended: int
    no_shows: int
    ratings: int = 0
    rating_avg: float | None = None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.marked if self.marked else None


def _turnout_columns():
    return (
        func.count(Booking.attendance),
        func.coalesce(func.sum(case((Booking.attendance == Attendance.ATTENDED, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Booking.attendance == Attendance.NO_SHOW, 1), else_=0)), 0),
        func.count(Booking.rating),
        func.avg(Booking.rating),
    )


def _turnout(row) -> Turnout:
    marked, attended, no_shows, ratings, average = row
    return Turnout(
        int(marked),
        int(attended),
        int(no_shows),
        int(ratings),
        round(float(average), 1) if average is not None else None,
    )


async def session_turnout(session: AsyncSession, session_id: int) -> Turnout:
    row = (
        await session.execute(
            select(*_turnout_columns()).where(
                Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED
            )
        )
    ).one()
    return _turnout(row)


async def participant_turnout(session: AsyncSession, participant_id: int) -> Turnout:
    row = (
        await session.execute(
            select(*_turnout_columns()).where(
                Booking.participant_id == participant_id,
                Booking.status == BookingStatus.CONFIRMED,
            )
        )
    ).one()
    return _turnout(row)


# --- listings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSummary:
    session: ProgrammeSession
    confirmed: int
    waitlisted: int


async def summaries(
    session: AsyncSession, *, since: datetime | None = None, include_cancelled: bool = True
) -> list[SessionSummary]:
    """Every session (from `since`), soonest first, with its seats and waitlist."""
    waiting = (
        select(Booking.session_id, func.count().label("n"))
        .where(Booking.status == BookingStatus.WAITLISTED)
        .group_by(Booking.session_id)
        .subquery()
    )
    query = (
        select(ProgrammeSession, func.coalesce(waiting.c.n, 0))
        .outerjoin(waiting, waiting.c.session_id == ProgrammeSession.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    if since is not None:
        query = query.where(ProgrammeSession.starts_at >= since)
    if not include_cancelled:
        query = query.where(ProgrammeSession.status != SessionStatus.CANCELLED)
    return [SessionSummary(ps, ps.confirmed, int(n)) for ps, n in await session.execute(query)]


async def find_participant(session: AsyncSession, reference: str) -> Participant | None:
    """A participant by external_id, else by numeric id (a number past the id column's
    range is no one, rather than a database error)."""
    found = await session.scalar(select(Participant).where(Participant.external_id == reference))
    if found is None and reference.isdigit() and int(reference) <= ID_MAX:
        found = await session.get(Participant, int(reference))
    return found


def participant_label(participant: Participant) -> str:
    """How staff see a participant in lists: first name and reference, never more."""
    return " · ".join(
        part
        for part in (participant.first_name, participant.external_id or f"#{participant.id}")
        if part
    )
