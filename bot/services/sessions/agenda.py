"""What a participant sees of online sessions: those still to come that target them or that
they booked, with their seat or waitlist place, and the ones that overlap. Without aiogram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import Booking, Participant, ProgrammeSession, SessionStatus
from bot.services.sessions import bookings
from bot.services.sessions.audience import published_to_come, targets
from bot.services.sessions.common import ACTIVE


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
