"""A seat taken or given back, and what it brings the person (DESIGN.md §4 "Bookings"),
without aiogram: `bookings` keeps the seats and the waitlist right, this module adds the
notices, the .ics and the reminders.

Rules this module enforces:
- a seat booked (by the participant or by staff for them) brings the .ics and the reminders;
- these are messages for the participant (`participant_id`): someone their counsellor booked
  who is not on Telegram gets them by SMS or e-mail (the .ics attached to an e-mail), when a
  contact they consented to reaches them;
  a seat given back cancels its reminders, and the freed seat goes to the first on the
  waitlist, who is told and may decline.
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Booking, BookingStatus, ProgrammeSession, Staff
from bot.delivery.outbox import OutFile, enqueue
from bot.services.participants import reach
from bot.services.sessions import bookings, keys, reminders
from bot.services.sessions.bookings import BookingOutcome
from bot.services.sessions.calendar import calendar_invite
from bot.services.sessions.common import session_button, session_vars


async def send_calendar_file(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    booking: Booking,
    address: reach.Address,
    caption_key: str,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The .ics (added to or removed from the phone's calendar), in the reader's language;
    by e-mail it goes attached, its caption the e-mail's text."""
    await enqueue(
        session,
        chat_id=address.chat_id,
        participant_id=address.participant_id,
        dedupe_key=keys.calendar_file(
            programme_session.id, booking.participant_id, booking.seat, programme_session.sequence
        ),
        key=caption_key,
        variables=session_vars(programme_session, tz),
        file=OutFile(
            filename=f"session-{programme_session.id}.ics",
            content=calendar_invite(programme_session, address.locale, tz, now),
            mime_type="text/calendar",
        ),
        campaign_id=keys.session_campaign(programme_session.id),
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
    address = await reach.address_of(session, booking.participant_id)
    if address is None:  # no channel reaches them: nothing to queue
        return
    if notice is not None:
        action = "decline" if notice == "promoted" else "cancel"
        label = "session-decline" if notice == "promoted" else "session-cancel-mine"
        await enqueue(
            session,
            chat_id=address.chat_id,
            participant_id=address.participant_id,
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
            buttons=[[session_button(label, action, programme_session.id)]],
            campaign_id=keys.session_campaign(programme_session.id),
        )
    await send_calendar_file(
        session, programme_session, booking, address, now=now, tz=tz, caption_key="session-ics"
    )
    await reminders.schedule_reminders(
        session, programme_session, booking, address.chat_id, now, tz
    )


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
        await seat_from_waitlist(session, programme_session, promoted, now, tz)
    return promoted


async def seat_from_waitlist(
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
