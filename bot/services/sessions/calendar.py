"""Calendar invitations (.ics, RFC 5545) for booked sessions.

The rule: one session is one calendar event whatever happens to it. Its UID never changes,
so a phone's calendar updates the event it already holds when the time moves, and removes
it when the session is cancelled (a higher SEQUENCE each time). Times carry the programme's
time zone (with its VTIMEZONE), so the event shows at the right hour on any phone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.db.base import as_utc
from bot.db.models import ProgrammeSession, SessionStatus

PRODUCT_ID = "-//En Avant Vooruit//sessions//FR"
UID_DOMAIN = "enavant-vooruit.eu"


def session_uid(programme_session: ProgrammeSession) -> str:
    return f"session-{programme_session.id}@{UID_DOMAIN}"


def calendar_invite(
    programme_session: ProgrammeSession, locale: str, tz: ZoneInfo, now: datetime
) -> bytes:
    """The .ics file of a session in the reader's language (`locale`, "fr" or "nl")."""
    starts_at = as_utc(programme_session.starts_at).astimezone(tz)
    title = (programme_session.title_nl if locale == "nl" else None) or programme_session.title_fr
    description = (
        programme_session.description_nl if locale == "nl" else None
    ) or programme_session.description_fr
    cancelled = programme_session.status == SessionStatus.CANCELLED

    event = Event()
    event.add("uid", session_uid(programme_session))
    event.add("dtstamp", as_utc(now))
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=programme_session.duration_min))
    event.add("summary", title)
    event.add("description", "\n\n".join(p for p in (description, programme_session.url) if p))
    event.add("location", programme_session.url)
    event.add("url", programme_session.url)
    # Later versions must carry a higher SEQUENCE (the session counts its changes).
    event.add("sequence", programme_session.sequence or 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
