"""Seats in online sessions: no overbooking under concurrency, the waitlist, promotion."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.base import utcnow
from bot.db.models import Booking, BookingStatus, ProgrammeSession, SessionStatus
from bot.services.sessions import bookings
from tests.helpers.people import people
from tests.helpers.sessions import add_session


async def test_fifty_at_once_for_ten_seats_gives_ten_seats_and_a_waitlist(sessionmaker) -> None:
    async with sessionmaker() as session:
        session_id = await add_session(session, capacity=10)
        ids = await people(session, 50)
        await session.commit()

    async def one(participant_id: int) -> str:
        async with sessionmaker() as session, session.begin():
            outcome = await bookings.book(session, session_id, participant_id, utcnow())
            return outcome.booking.status

    statuses = await asyncio.gather(*(one(pid) for pid in ids))

    assert statuses.count(BookingStatus.CONFIRMED) == 10
    assert statuses.count(BookingStatus.WAITLISTED) == 40
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, session_id)).confirmed == 10
        waiting = (
            await session.scalars(
                select(Booking)
                .where(Booking.status == BookingStatus.WAITLISTED)
                .order_by(Booking.requested_at, Booking.id)
            )
        ).all()
        positions = [await bookings.waitlist_position(session, b) for b in waiting]
    assert positions == list(range(1, 41))  # served in the order people asked


async def test_a_freed_seat_goes_to_the_first_on_the_waitlist(session) -> None:
    session_id = await add_session(session, capacity=1)
    first, second, third = await people(session, 3)
    now = datetime.now(UTC)
    seated = await bookings.book(session, session_id, first, now)
    waiting = await bookings.book(session, session_id, second, now + timedelta(seconds=1))
    last = await bookings.book(session, session_id, third, now + timedelta(seconds=2))
    assert (seated.position, waiting.position, last.position) == (None, 1, 2)

    promoted = await bookings.cancel(session, session_id, first, now)

    assert promoted.participant_id == second
    assert await bookings.waitlist_position(session, last.booking) == 1
    assert (await session.get(ProgrammeSession, session_id)).confirmed == 1


async def test_booking_twice_keeps_the_one_booking(session) -> None:
    session_id = await add_session(session)
    [person] = await people(session, 1)
    await bookings.book(session, session_id, person, utcnow())
    again = await bookings.book(session, session_id, person, utcnow())
    assert again.already
    assert (await session.get(ProgrammeSession, session_id)).confirmed == 1


async def test_leaving_the_waitlist_frees_no_seat(session) -> None:
    session_id = await add_session(session, capacity=1)
    first, second = await people(session, 2)
    await bookings.book(session, session_id, first, utcnow())
    await bookings.book(session, session_id, second, utcnow())
    assert await bookings.cancel(session, session_id, second, utcnow()) is None
    assert (await session.get(ProgrammeSession, session_id)).confirmed == 1


@pytest.mark.parametrize(
    ("reason", "setup"),
    [
        ("cancelled", {"status": SessionStatus.CANCELLED}),
        ("closed", {"status": SessionStatus.DRAFT}),
        ("past", {"starts_in": -timedelta(hours=1)}),
        ("cutoff", {"starts_in": timedelta(hours=3), "cutoff_hours": 24}),
    ],
)
async def test_a_session_that_is_not_open_refuses_bookings(session, reason, setup) -> None:
    session_id = await add_session(session, **setup)
    [person] = await people(session, 1)
    with pytest.raises(bookings.BookingRefused) as refused:
        await bookings.book(session, session_id, person, utcnow())
    assert refused.value.reason == reason


async def test_the_database_itself_refuses_more_confirmed_than_seats(session) -> None:
    session_id = await add_session(session, capacity=1)
    programme_session = await session.get(ProgrammeSession, session_id)
    programme_session.confirmed = 2
    with pytest.raises(IntegrityError):
        await session.flush()
