"""What staff list of online sessions: who is booked in one, every session with its seats
and waitlist, a participant found by reference and how staff see one. Without aiogram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Booking, BookingStatus, Participant, ProgrammeSession, SessionStatus
from bot.services.sessions.common import ID_MAX


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
