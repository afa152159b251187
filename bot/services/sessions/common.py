"""What every part of online sessions shares (DESIGN.md §4 "Bookings"), without aiogram: the
kinds, the refusal, what a message about a session says, its buttons, and who is booked."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import Booking, BookingStatus, Participant, ProgrammeSession, User
from bot.delivery.outbox import OutButton
from bot.services.participants import reach
from bot.services.sessions.reminders import session_callback, when_text

KINDS = ("company_presentation", "coaching", "info")
ID_MAX = 2**31 - 1  # the largest integer key PostgreSQL and SQLite agree on
ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class SessionRefused(Exception):
    """A change staff asked for cannot be made: `reason` is "cancelled", "past",
    "capacity" (fewer seats than already confirmed) or "not_started" (attendance before the
    start)."""

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


def session_button(key: str, action: str, session_id: int, extra: str = "") -> OutButton:
    """A button under a message about a session (`reminders.session_callback`)."""
    return OutButton(key=key, callback_data=session_callback(action, session_id, extra))


async def booked_addresses(
    session: AsyncSession, session_id: int, statuses=ACTIVE
) -> list[tuple[Booking, reach.Address | None]]:
    """The bookings in `statuses`, each with where the person's messages go (None when no
    channel reaches them: not on Telegram or blocked it, and no contact consented to)."""
    rows = await session.execute(
        select(Booking, reach.reachable(), *reach.address_columns())
        .join(Participant, Participant.id == Booking.participant_id)
        .outerjoin(User, User.id == Participant.user_id)
        .where(Booking.session_id == session_id, Booking.status.in_(statuses))
        .order_by(Booking.requested_at, Booking.id)
    )
    return [
        (booking, reach.address_from(address) if reachable else None)
        for booking, reachable, *address in rows
    ]
