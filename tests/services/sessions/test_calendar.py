"""The .ics invitation of a session: right time zone, the link, one UID across updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.db.models import ProgrammeSession, SessionStatus
from bot.services.sessions.calendar import calendar_invite

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def a_session(**changes) -> ProgrammeSession:
    values = {
        "id": 7,
        "kind": "company_presentation",
        "title_fr": "Vlaamse Verpakking se présente",
        "title_nl": "Vlaamse Verpakking stelt zich voor",
        "description_fr": "Une heure pour découvrir l'entreprise et ses métiers.",
        "starts_at": datetime(2026, 12, 3, 13, 30, tzinfo=UTC),  # 14:30 in Paris
        "duration_min": 60,
        "url": "https://meet.example/vv",
        "capacity": 10,
        "status": SessionStatus.PUBLISHED,
        "sequence": 0,
    }
    return ProgrammeSession(**{**values, **changes})


def event_of(ics: bytes):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_invite_is_at_paris_time_with_the_link() -> None:
    calendar, event = event_of(calendar_invite(a_session(), "fr", PARIS, NOW))
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (14, 30, "Europe/Paris")
    assert event.decoded("dtend") - start == timedelta(minutes=60)
    assert str(event["summary"]) == "Vlaamse Verpakking se présente"
    assert str(event["url"]) == "https://meet.example/vv"
    assert "https://meet.example/vv" in str(event["description"])
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the file"


def test_a_dutch_reader_gets_the_dutch_title() -> None:
    _, event = event_of(calendar_invite(a_session(), "nl", PARIS, NOW))
    assert str(event["summary"]) == "Vlaamse Verpakking stelt zich voor"


def test_a_moved_session_keeps_its_uid_with_a_higher_sequence() -> None:
    _, before = event_of(calendar_invite(a_session(), "fr", PARIS, NOW))
    moved = a_session(starts_at=datetime(2026, 12, 4, 9, 0, tzinfo=UTC), sequence=1)
    _, after = event_of(calendar_invite(moved, "fr", PARIS, NOW + timedelta(hours=2)))
    assert str(after["uid"]) == str(before["uid"]) == "session-7@enavant-vooruit.eu"
    assert after.decoded("sequence") > before.decoded("sequence")


def test_a_cancelled_session_cancels_the_event() -> None:
    cancelled = a_session(status=SessionStatus.CANCELLED, sequence=1)
    calendar, event = event_of(calendar_invite(cancelled, "fr", PARIS, NOW))
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
