"""Seats in online sessions: book, wait, cancel, promote (DESIGN.md §4 "Bookings").

Rules this module enforces:
- a participant holds at most one booking per session (one row per pair, unique);
- a seat is taken only by a conditional update of the session's `confirmed` counter
  ("confirmed < capacity"), which the database applies one at a time and refuses past
  capacity, so concurrent bookings never overbook, in one process or many;
- bookings and cancellations of one session take its lock first (a PostgreSQL advisory
  lock, SQLite's write lock), so they happen one after the other: the order of asking
  (`requested_at`, made strictly increasing per session under the lock) is the order seats
  were given, and a waitlist position said is the position held;
- when the session is full the participant is waitlisted; the waitlist is served in the
  order people asked;
- a seat given back (before the cut-off) goes to the first person on the waitlist;
- each seat taken (booked, booked again after a cancel, promoted) is counted in the
  booking's `seat`, so a new seat is told apart from the ones before it;
- nobody books a cancelled, unpublished or past session, or after its cut-off.
Everything happens in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.engine import exclusive
from bot.db.models import Booking, BookingStatus, ProgrammeSession, SessionStatus


class BookingRefused(Exception):
    """Why a booking or a cancellation cannot be done: `reason` is "cancelled", "closed"
    (not published), "past" or "cutoff"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BookingOutcome:
    booking: Booking
    position: int | None  # place on the waitlist (1 = next), None with a seat
    already: bool  # the participant had this booking before


def _check_open(programme_session: ProgrammeSession, now: datetime) -> None:
    if programme_session.status == SessionStatus.CANCELLED:
        raise BookingRefused("cancelled")
    if programme_session.status != SessionStatus.PUBLISHED:
        raise BookingRefused("closed")
    starts_at = as_utc(programme_session.starts_at)
    if starts_at <= now:
        raise BookingRefused("past")
    if now > starts_at - timedelta(hours=programme_session.cutoff_hours):
        raise BookingRefused("cutoff")


async def _take_seat(session: AsyncSession, session_id: int) -> bool:
    result = await session.execute(
        update(ProgrammeSession)
        .where(
            ProgrammeSession.id == session_id,
            ProgrammeSession.confirmed < ProgrammeSession.capacity,
        )
        .values(confirmed=ProgrammeSession.confirmed + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def _free_seat(session: AsyncSession, session_id: int) -> None:
    await session.execute(
        update(ProgrammeSession)
        .where(ProgrammeSession.id == session_id)
        .values(confirmed=ProgrammeSession.confirmed - 1)
        .execution_options(synchronize_session=False)
    )


async def _open_session_booking(
    session: AsyncSession, session_id: int, participant_id: int, now: datetime
) -> Booking | None:
    """The participant's booking for a session still open to changes (else refused), with
    the session's lock held until the transaction ends."""
    await exclusive(session, f"session-seats:{session_id}")
    programme_session = await session.get(ProgrammeSession, session_id, populate_existing=True)
    if programme_session is None:
        raise BookingRefused("closed")
    _check_open(programme_session, now)
    return await session.scalar(
        select(Booking).where(
            Booking.session_id == session_id, Booking.participant_id == participant_id
        )
    )


async def waitlist_position(session: AsyncSession, booking: Booking) -> int | None:
    """1 for the next person to get a seat; None when the booking is not waitlisted."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(
            Booking.session_id == booking.session_id,
            Booking.status == BookingStatus.WAITLISTED,
            (Booking.requested_at < booking.requested_at)
            | ((Booking.requested_at == booking.requested_at) & (Booking.id < booking.id)),
        )
    )
    return ahead + 1


async def book(
    session: AsyncSession, session_id: int, participant_id: int, now: datetime
) -> BookingOutcome:
    """A seat if one is free, else a place on the waitlist. Booking again what one already
    holds changes nothing (and says so)."""
    booking = await _open_session_booking(session, session_id, participant_id, now)
    if booking is not None and booking.status != BookingStatus.CANCELLED:
        return BookingOutcome(booking, await waitlist_position(session, booking), already=True)
    seated = await _take_seat(session, session_id)
    status = BookingStatus.CONFIRMED if seated else BookingStatus.WAITLISTED
    asked_at = await _after_the_last(session, session_id, now)
    if booking is None:
        booking = Booking(session_id=session_id, participant_id=participant_id)
        session.add(booking)
    booking.status, booking.requested_at = status, asked_at
    if seated:
        booking.seat = (booking.seat or 0) + 1
    await session.flush()
    return BookingOutcome(booking, await waitlist_position(session, booking), already=False)


async def _after_the_last(session: AsyncSession, session_id: int, now: datetime) -> datetime:
    """`now`, or just after the latest request for the session when clocks of several
    processes disagree: under the lock, later bookers always get later times."""
    latest = await session.scalar(
        select(func.max(Booking.requested_at)).where(Booking.session_id == session_id)
    )
    if latest is None or as_utc(latest) < now:
        return now
    return as_utc(latest) + timedelta(microseconds=1)


async def cancel(
    session: AsyncSession, session_id: int, participant_id: int, now: datetime
) -> Booking | None:
    """Give back a seat (or leave the waitlist) before the cut-off. Returns the booking of
    the person promoted to the freed seat, if any (they are to be told)."""
    booking = await _open_session_booking(session, session_id, participant_id, now)
    if booking is None or booking.status == BookingStatus.CANCELLED:
        return None
    held_seat = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    await session.flush()
    if not held_seat:
        return None
    await _free_seat(session, session_id)
    return await promote_next(session, session_id)


async def promote_next(session: AsyncSession, session_id: int) -> Booking | None:
    """Give a free seat to the first person on the waitlist; None when nobody waits or no
    seat is free."""
    first = await session.scalar(
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITLISTED)
        .order_by(Booking.requested_at, Booking.id)
        .limit(1)
    )
    if first is None or not await _take_seat(session, session_id):
        return None
    first.status = BookingStatus.CONFIRMED
    first.seat += 1
    await session.flush()
    return first
