"""Staff change or cancel a published session (DESIGN.md §4 "Bookings"), without aiogram.

Rules this module enforces:
- a change of time, link, title or length tells everyone booked what changed, moves the
  reminders and sends the updated .ics; more seats go to the waitlist at once;
- a cancelled session tells them, cancels their reminders and sends the cancelling .ics;
- each is a message for the participant (Telegram, else SMS or e-mail, chosen when sent).
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import BookingStatus, ProgrammeSession, SessionStatus
from bot.delivery.outbox import enqueue
from bot.services.sessions import bookings, keys, reminders
from bot.services.sessions.common import SessionRefused, booked_addresses, session_vars
from bot.services.sessions.seating import seat_from_waitlist, send_calendar_file

# What staff may change in a published session, and what the booked are told about.
EDITABLE = ("title_fr", "title_nl", "starts_at", "duration_min", "url", "capacity")


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
        for booking, address in await booked_addresses(
            session, programme_session.id, (BookingStatus.CONFIRMED,)
        ):
            if address is not None:
                await reminders.schedule_reminders(
                    session, programme_session, booking, address.chat_id, now, tz
                )
    if "capacity" in changed:
        # New seats go to the waitlist at once; each person promoted is told, as on a cancel.
        await session.refresh(programme_session)
        while (promoted := await bookings.promote_next(session, programme_session.id)) is not None:
            await seat_from_waitlist(session, programme_session, promoted, now, tz)
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
    for booking, address in await booked_addresses(session, programme_session.id):
        if address is None:
            continue
        await enqueue(
            session,
            chat_id=address.chat_id,
            participant_id=address.participant_id,
            dedupe_key=keys.session_changed(
                programme_session.id, booking.participant_id, programme_session.sequence
            ),
            key="session-changed",
            variables=variables,
            campaign_id=keys.session_campaign(programme_session.id),
            link_preview=False,
        )
        if booking.status == BookingStatus.CONFIRMED:
            await send_calendar_file(
                session,
                programme_session,
                booking,
                address,
                now=now,
                tz=tz,
                caption_key="session-ics-updated",
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
    held = await booked_addresses(session, programme_session.id)
    seated = {booking.id for booking, _address in held if booking.status == BookingStatus.CONFIRMED}
    for booking, _address in held:
        booking.status = BookingStatus.CANCELLED
    await reminders.cancel_session_reminders(session, programme_session.id)
    programme_session.confirmed = 0
    await session.flush()
    told = 0
    for booking, address in held:
        if address is None:
            continue
        told += 1
        await enqueue(
            session,
            chat_id=address.chat_id,
            participant_id=address.participant_id,
            dedupe_key=keys.session_cancelled(programme_session.id, booking.participant_id),
            key="session-cancelled",
            variables=session_vars(programme_session, tz),
            campaign_id=keys.session_campaign(programme_session.id),
        )
        if booking.id not in seated:
            continue  # a place on the waitlist put nothing in their calendar
        await send_calendar_file(
            session,
            programme_session,
            booking,
            address,
            now=now,
            tz=tz,
            caption_key="session-ics-cancelled",
        )
    return told
