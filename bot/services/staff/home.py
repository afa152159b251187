"""What a staff member's home screen shows: the requests waiting for their answer, oldest
first, and today's sessions (their own; a coordinator's: everyone's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Participant,
    ProgrammeSession,
    Role,
    SessionStatus,
    Staff,
    Ticket,
    TicketStatus,
)

TICKETS_SHOWN = 5  # one button each; the count says how many more wait


@dataclass(frozen=True)
class StaffDay:
    waiting: int  # requests whose participant waits for this staff member's answer
    oldest: list[tuple[Ticket, Participant]]  # the first `TICKETS_SHOWN` of them
    sessions: list[ProgrammeSession]  # today's, in programme time, soonest first


async def staff_day(session: AsyncSession, member: Staff, now: datetime, tz: ZoneInfo) -> StaffDay:
    """A request waits for its responsible staff member while it is open (the participant
    wrote last); today is the programme's calendar day."""
    waiting = (Ticket.counsellor_id == member.id, Ticket.status == TicketStatus.OPEN)
    count = await session.scalar(select(func.count()).select_from(Ticket).where(*waiting))
    oldest = (
        await session.execute(
            select(Ticket, Participant)
            .join(Participant, Participant.id == Ticket.participant_id)
            .where(*waiting)
            .order_by(Ticket.opened_at, Ticket.id)
            .limit(TICKETS_SHOWN)
        )
    ).all()
    return StaffDay(
        count or 0, [tuple(row) for row in oldest], await _today(session, member, now, tz)
    )


async def _today(
    session: AsyncSession, member: Staff, now: datetime, tz: ZoneInfo
) -> list[ProgrammeSession]:
    day = now.astimezone(tz).date()
    starts = datetime.combine(day, time(), tzinfo=tz)
    query = (
        select(ProgrammeSession)
        .where(
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.starts_at >= starts,
            ProgrammeSession.starts_at < starts + timedelta(days=1),
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    if member.role != Role.COORDINATOR:
        query = query.where(ProgrammeSession.created_by == member.id)
    return list(await session.scalars(query))
