"""What the organiser's screens ask of the database and of staff's typing, without aiogram.

Rules this module enforces:
- staff find a participant by first name (part of it, any case), by reference or by number;
  erased people (no name, no reference) are never found; `search_for` finds only the people
  the staff member may act on (`rights`);
- a new session time is typed in programme time, day first ("12/01 14:30", "12/01/2027 14:30");
  without a year it is the next such moment;
- a session link is an https address; a number of seats is a whole number from 1.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.checks import SEATS_RANGE, SESSION_URL_MAX, in_utc, web_address, whole_number
from bot.db.models import Booking, BookingStatus, Participant, Staff, User
from bot.services.sessions.listings import booked_people
from bot.services.staff import rights

SEARCH_MAX = 10
SEARCH_SCAN = 500
SEATS_MAX = SEATS_RANGE[1]
_WHEN = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?\s+(\d{1,2})[:hH.](\d{2})")


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The moment typed by staff in programme time, in UTC (as stored: SQLite would keep
    another zone's wall time as if it were UTC), or None when it is not a date and time.
    Without a year it is the next such moment; with one it may be past (the caller refuses
    it)."""
    found = _WHEN.fullmatch(text.strip())
    if found is None:
        return None
    day, month, year, hour, minute = (int(g) if g else None for g in found.groups())
    this_year = now.astimezone(tz).year
    try:
        moment = datetime(year or this_year, month, day, hour, minute, tzinfo=tz)
        if year is None and moment <= now:
            moment = moment.replace(year=this_year + 1)
    except ValueError:  # 31/02, 25:00, 29/02 of a common year...
        return None
    return in_utc(moment)  # None: 02:30 on the night the clocks go forward does not exist


def parse_url(text: str) -> str | None:
    return web_address(text, SESSION_URL_MAX)


def parse_seats(text: str) -> int | None:
    return whole_number(text, *SEATS_RANGE)


async def search_participants(
    session: AsyncSession, text: str, limit: int = SEARCH_MAX
) -> list[Participant]:
    """Participants whose reference or number is `text`, then those whose first name holds
    it; at most `limit` + 1, so the caller knows when there are more."""
    text = text.strip()
    if not text:
        return []
    exact = func.lower(Participant.external_id) == text.lower()
    if text.isdigit():
        exact = exact | (Participant.id == int(text))
    query = (
        select(Participant)
        .where(
            or_(exact, Participant.first_name.icontains(text, autoescape=True)),
            or_(Participant.first_name.is_not(None), Participant.external_id.is_not(None)),
        )
        .order_by(exact.desc(), Participant.first_name, Participant.id)
        .limit(limit + 1)
    )
    return list(await session.scalars(query))


async def search_for(session: AsyncSession, staff: Staff, text: str) -> list[Participant]:
    """As `search_participants`, among the people `staff` may act on (`rights`). The
    programme follows a few hundred people: the first `SEARCH_SCAN` matches are enough to
    filter."""
    found = await search_participants(session, text, limit=SEARCH_SCAN)
    return [p for p in found if rights.may_act_on_participant(staff, p)][: SEARCH_MAX + 1]


async def waitlist(session: AsyncSession, session_id: int) -> list[tuple[Booking, Participant]]:
    """The waitlist of a session with its people, first to be served first."""
    return await booked_people(session, session_id, BookingStatus.WAITLISTED)


async def reach(session: AsyncSession, session_id: int) -> tuple[int, int]:
    """Of the people booked (seat or waitlist): how many the bot tells of a change, and how
    many it cannot (not on Telegram, or they blocked it), whom staff must call."""
    rows = await session.execute(
        select(User.reachable.is_(True), func.count())
        .select_from(Booking)
        .join(Participant, Participant.id == Booking.participant_id)
        .outerjoin(User, User.id == Participant.user_id)
        .where(
            Booking.session_id == session_id,
            Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)),
        )
        .group_by(User.reachable.is_(True))
    )
    counts = {bool(told): n for told, n in rows}
    return counts.get(True, 0), counts.get(False, 0)
