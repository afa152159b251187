"""After an online session: attendance, the "how was it?" question, ratings and turnout
(DESIGN.md §4 "Bookings"), without aiogram.

Rules this module enforces:
- after the session staff mark attendance; once the session has ended and the list is
  settled (the organiser says it is complete, or two hours after the end) those marked
  present are asked "how was it?" (1-5), once.
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    Participant,
    ProgrammeSession,
    SessionStatus,
)
from bot.delivery.outbox import enqueue
from bot.services.sessions import keys
from bot.services.sessions.common import (
    SessionRefused,
    booked_addresses,
    session_button,
    session_vars,
)
from bot.services.sessions.listings import booked_people
from bot.services.vacancies.alerts import outside_quiet_hours

RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX = 1000
# Without the organiser's "list complete", attendance is taken as settled this long after the
# end; sessions older than the look-back are never asked about (a bot that was down for weeks).
FEEDBACK_AFTER = timedelta(hours=2)
FEEDBACK_LOOKBACK = timedelta(days=7)


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
    stars = [
        [session_button(f"session-rate-{n}", "rate", programme_session.id, str(n)) for n in RATINGS]
    ]
    asked = 0
    for booking, address in await booked_addresses(
        session, programme_session.id, (BookingStatus.CONFIRMED,)
    ):
        if address is None or booking.attendance != Attendance.ATTENDED:
            continue
        # No SMS text: the question goes by Telegram, else by e-mail.
        asked += await enqueue(
            session,
            chat_id=address.chat_id,
            participant_id=address.participant_id,
            dedupe_key=keys.session_feedback(programme_session.id, booking.participant_id),
            key="session-feedback",
            variables=session_vars(programme_session, tz),
            buttons=stars,
            not_before=outside_quiet_hours(now, tz),
            campaign_id=keys.session_campaign(programme_session.id),
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
