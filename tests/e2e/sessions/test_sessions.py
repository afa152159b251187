"""A participant books an online session, hears about it at the right times, and says how it
was; others wait for a seat, get one and may decline it. The bot's clock is moved forward
instead of waiting days."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.db.base import as_utc, utcnow
from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    OutboxMessage,
    OutboxStatus,
    ProgrammeSession,
    Role,
    SessionStatus,
    Staff,
)
from bot.demo import midday_zone
from bot.services.sessions import after_session, audience, staff_changes
from bot.services.sessions import keys as outbox_keys
from tests.helpers import holds, say, texts
from tests.helpers.people import add_person

BOOK = say("session-book")
TITLE = "Vlaamse Verpakking se présente"


def booked(text: str, title: str = TITLE) -> bool:
    """Whether `text` confirms a seat for `title`, whatever reminders and cut-off it promises."""
    return any(
        holds(text, "session-booked", title=title, when=..., plan=plan, hours=hours)
        for plan in ("now", "one", "two", "three")
        for hours in (0, ...)
    )


def promoted_to(text: str) -> bool:
    """Whether `text` tells a seat for TITLE came free for its reader."""
    return any(
        holds(text, "session-promoted", title=TITLE, when=..., plan=plan)
        for plan in ("now", "later")
    )


ZONE = ZoneInfo(midday_zone())


@pytest.fixture
def settings(settings):
    # The outbox ticks fast so messages arrive within the test's patience, at midday.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


async def seed_people(sessionmaker, *users, locale: str = "fr") -> list[int]:
    """Registered, followed participants (Person1, Person2...) who opened their chat."""
    async with sessionmaker() as session:
        karim = Staff(
            telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
        )
        session.add(karim)
        await session.flush()
        ids = [
            (
                await add_person(
                    session, n, counsellor=karim, telegram_id=user.user_id, locale=locale
                )
            ).id
            for n, user in enumerate(users, start=1)
        ]
        await session.commit()
    for user in users:
        await user.send_text("/menu")
        await user.replies()
    return ids


async def publish(
    sessionmaker, clock, *, starts_in=timedelta(days=2, hours=3), capacity=10, **extra
) -> int:
    """A company presentation, published (invitations go out through the outbox)."""
    async with sessionmaker() as session:
        fields = {
            "kind": "company_presentation",
            "title_fr": "Vlaamse Verpakking se présente",
            "title_nl": "Vlaamse Verpakking stelt zich voor",
            "description_fr": "Une usine d'emballage à Courtrai recrute des caristes.",
            "url": "https://meet.example/vv",
            "cutoff_hours": 2,
            **extra,
        }
        programme_session = ProgrammeSession(
            starts_at=clock() + starts_in, duration_min=60, capacity=capacity, **fields
        )
        session.add(programme_session)
        await session.flush()
        await audience.publish(session, programme_session, clock(), ZONE)
        await session.commit()
        return programme_session.id


async def assert_starts_at_the_sessions_time_in_the_programmes_zone(
    calendar: str, sessionmaker, session_id: int
) -> None:
    """The event's start is the session's instant, written in the programme's zone (with a
    TZID; in the hour when the tests' midday zone is UTC itself, as UTC). A check on "TZID="
    alone failed every day from 12:00 to 12:59 UTC."""
    [event] = Calendar.from_ical(calendar).walk("VEVENT")
    starts = event.decoded("dtstart")
    async with sessionmaker() as session:
        programme_session = await session.get(ProgrammeSession, session_id)
    session_starts = as_utc(programme_session.starts_at).replace(microsecond=0)  # .ics: seconds
    assert starts == session_starts
    assert starts.utcoffset() == session_starts.astimezone(ZONE).utcoffset()
    assert ("TZID=" in calendar) == (starts.utcoffset() != timedelta(0))


async def invitation(user):
    [message] = [m for m in await user.replies(timeout=15) if BOOK in m.button_texts()]
    return message


async def booking_of(sessionmaker, session_id: int, participant_id: int) -> Booking | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Booking).where(
                Booking.session_id == session_id, Booking.participant_id == participant_id
            )
        )


async def test_book_from_the_invitation_get_the_calendar_reminders_and_give_feedback(
    bot_app, participant, sessionmaker, clock
) -> None:
    [amelie] = await seed_people(sessionmaker, participant)
    session_id = await publish(sessionmaker, clock)

    invite = await invitation(participant)
    invited = {"kind": ..., "title": TITLE, "when": ..., "minutes": ...}
    assert holds(invite.text, "session-invite", seats=10, **invited)

    await participant.press(BOOK, message_id=invite.message_id)
    got = await participant.replies_until(has_file)
    assert holds(texts(got), "session-booked", title=TITLE, when=..., plan="two", hours=2)
    [ics] = [m.document for m in got if m.document]
    assert ics.filename == f"session-{session_id}.ics" and ics.mime_type == "text/calendar"
    calendar = ics.content.decode()
    assert f"UID:session-{session_id}@enavant-vooruit.eu" in calendar
    assert "https://meet.example/vv" in calendar
    await assert_starts_at_the_sessions_time_in_the_programmes_zone(
        calendar, sessionmaker, session_id
    )

    # Two days and three hours before: the 3-day reminder was already past at booking.
    async with sessionmaker() as session:
        keys = set(
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{session_id}:"),
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
        )
    assert keys == {
        outbox_keys.reminder(session_id, amelie, 1, 0, "1d"),
        outbox_keys.reminder(session_id, amelie, 1, 0, "1h"),
    }

    clock.advance(timedelta(days=1, hours=3, minutes=1))  # a day before
    replies = await participant.replies(timeout=15)
    [day_before] = [m for m in replies if holds(m.text or "", "reminder-1d", title=TITLE, when=...)]
    await participant.press(say("reminder-coming"), message_id=day_before.message_id)
    assert say("session-here-done") in texts(await participant.replies())

    clock.advance(timedelta(hours=23))  # an hour before
    hour = {"title": TITLE, "when": ..., "url": "https://meet.example/vv"}
    replies = await participant.replies(timeout=15)
    assert len([m for m in replies if holds(m.text or "", "reminder-1h", **hour)]) == 1

    # After the session the organiser marks her present and closes the list: she is asked
    # how it was.
    clock.advance(timedelta(hours=2))
    async with sessionmaker() as session:
        programme_session = await session.get(ProgrammeSession, session_id)
        [(booking, _person)] = await after_session.attendance_sheet(session, session_id)
        await after_session.mark_attendance(
            session, programme_session, booking, Attendance.ATTENDED, clock()
        )
        await after_session.confirm_attendance(session, programme_session, clock(), ZONE)
        await session.commit()
    replies = await participant.replies(timeout=15)
    [question] = [m for m in replies if say("session-feedback", title=TITLE) in (m.text or "")]
    assert question.button_texts() == ["1", "2", "3", "4", "5"]
    await participant.press("4", message_id=question.message_id)
    assert say("session-rated", rating=4) in texts(await participant.replies())
    await participant.send_text("Très clair, merci   pour la visite virtuelle")
    assert say("session-comment-thanks") in texts(await participant.replies())

    booking = await booking_of(sessionmaker, session_id, amelie)
    assert (booking.attendance, booking.rating) == ("attended", 4)
    assert booking.comment == "Très clair, merci pour la visite virtuelle"


async def test_a_full_session_waitlists_and_a_freed_seat_goes_to_the_first_who_may_decline(
    bot_app, sandbox, sessionmaker, clock
) -> None:
    first, second, third = (
        sandbox.user(tid, name) for tid, name in ((1001, "A"), (1002, "B"), (1003, "C"))
    )
    ids = await seed_people(sessionmaker, first, second, third)
    session_id = await publish(sessionmaker, clock, capacity=1)

    for user in (first, second, third):
        await user.press(BOOK, message_id=(await invitation(user)).message_id)
    assert booked(texts(await first.replies(timeout=15)))
    assert say("session-waitlisted", position=1, title=TITLE) in texts(await second.replies())
    assert say("session-waitlisted", position=2, title=TITLE) in texts(await third.replies())

    # Pressing again books nothing more.
    await second.press(BOOK)
    assert say("session-already-waiting", title=TITLE, position=1) in texts(await second.replies())

    await first.press(say("session-cancel-mine"))
    confirm = await first.replies()
    assert say("session-cancel-ask", mine="seat", others=2, title=TITLE) in texts(confirm)
    await first.press(say("session-cancel-yes"))
    assert say("session-cancel-done", next=1) in texts(await first.replies())

    replies = await second.replies(timeout=15)
    [promoted] = [m for m in replies if promoted_to(m.text or "")]
    assert say("session-decline") in promoted.button_texts()
    await second.press(say("session-decline"), message_id=promoted.message_id)
    assert say("session-declined", next=1) in texts(await second.replies(timeout=15))
    assert promoted_to(texts(await third.replies(timeout=15)))

    statuses = [(await booking_of(sessionmaker, session_id, pid)).status for pid in ids]
    assert statuses == [BookingStatus.CANCELLED, BookingStatus.CANCELLED, BookingStatus.CONFIRMED]
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, session_id)).confirmed == 1
        pending = set(
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{session_id}:"),
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
        )
    # Only the person holding the seat keeps reminders.
    assert {key.split(":")[2] for key in pending} == {str(ids[2])}


async def test_after_the_cut_off_a_seat_cannot_be_given_back_in_the_bot(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    await publish(sessionmaker, clock, starts_in=timedelta(hours=30), cutoff_hours=24)
    await participant.press(BOOK, message_id=(await invitation(participant)).message_id)
    await participant.replies(timeout=15)

    clock.advance(timedelta(hours=7))  # 23 hours before
    await participant.press(say("session-cancel-mine"))
    await participant.replies()
    await participant.press(say("session-cancel-yes"))
    assert say("session-refused-cutoff", hours=24) in texts(await participant.replies())


async def test_sessions_lists_what_is_open_to_me_and_warns_of_an_overlap(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    early = await publish(sessionmaker, clock, starts_in=timedelta(days=3))
    await publish(sessionmaker, clock, starts_in=timedelta(days=3, minutes=30), title_fr="Atelier")
    await publish(sessionmaker, clock, territories=["WAPI"], title_fr="Pour Tournai")
    await participant.replies(timeout=15)

    await participant.send_text("/sessions")
    [listing] = await participant.replies()
    assert say("sessions-title", count=2) in listing.text
    first, second = listing.button_texts()
    assert first.startswith("📅") and TITLE in first
    assert "Atelier" in second

    await participant.press(first, message_id=listing.message_id)
    [card] = await participant.replies()
    assert say("session-seats-left", seats=10) in card.text and BOOK in card.button_texts()
    await participant.press(BOOK, message_id=card.message_id)
    await participant.replies_until(has_file)  # the calendar file comes after the confirmation

    await participant.send_text("/sessions")
    [listing] = await participant.replies()
    assert listing.button_texts()[0].startswith("✅")
    await participant.press(listing.button_texts()[1], message_id=listing.message_id)
    await participant.press(BOOK, message_id=(await participant.replies())[0].message_id)
    said = texts(await participant.replies())
    assert booked(said, title="Atelier")
    assert holds(said, "session-overlap", title=TITLE, when=...)
    assert early


async def test_an_old_book_button_on_a_cancelled_or_past_session_says_so(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    cancelled = await publish(sessionmaker, clock)
    past = await publish(sessionmaker, clock, starts_in=timedelta(hours=5))
    await participant.replies(timeout=15)
    async with sessionmaker() as session:
        await staff_changes.cancel_session(
            session, await session.get(ProgrammeSession, cancelled), clock(), ZONE
        )
        await session.commit()

    await participant.press_data(f"ses:book:{cancelled}:")
    assert say("session-refused-cancelled") in texts(await participant.replies())
    clock.advance(timedelta(hours=6))
    await participant.press_data(f"ses:book:{past}:")
    assert say("session-refused-past") in texts(await participant.replies())
    await participant.press_data("ses:book:999:")
    assert say("session-refused-closed") in texts(await participant.replies())


async def test_cancelling_a_session_tells_the_booked_and_withdraws_the_calendar_event(
    bot_app, participant, sessionmaker, clock
) -> None:
    [amelie] = await seed_people(sessionmaker, participant)
    session_id = await publish(sessionmaker, clock)
    await participant.press(BOOK, message_id=(await invitation(participant)).message_id)
    await participant.replies(timeout=15)

    async with sessionmaker() as session:
        told = await staff_changes.cancel_session(
            session, await session.get(ProgrammeSession, session_id), clock(), ZONE
        )
        await session.commit()
    assert told == 1
    got = await participant.replies_until(has_file)
    assert holds(texts(got), "session-cancelled", title=TITLE, when=...)
    [ics] = [m.document for m in got if m.document and b"CANCEL" in m.document.content]
    assert b"STATUS:CANCELLED" in ics.content
    async with sessionmaker() as session:
        reminders = (
            await session.scalars(
                select(OutboxMessage.status).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{session_id}:{amelie}:")
                )
            )
        ).all()
    assert reminders and set(reminders) == {OutboxStatus.CANCELLED}


async def test_reminders_pending_at_a_restart_are_sent_by_the_next_process(
    start_bot, participant, sessionmaker, clock
) -> None:
    first = await start_bot()
    await seed_people(sessionmaker, participant)
    await publish(sessionmaker, clock, starts_in=timedelta(hours=5))
    await participant.press(BOOK, message_id=(await invitation(participant)).message_id)
    assert booked(texts(await participant.replies_until(lambda m: booked(m.text or ""))))
    await first.close()

    clock.advance(timedelta(hours=4, minutes=1))
    await start_bot()
    hour = {"title": TITLE, "when": ..., "url": "https://meet.example/vv"}
    replies = await participant.replies(timeout=15)
    [reminder] = [m for m in replies if holds(m.text or "", "reminder-1h", **hour)]
    assert reminder.button_texts() == [say("reminder-coming"), say("reminder-cancel")]


async def test_a_draft_is_not_bookable(bot_app, participant, sessionmaker) -> None:
    await seed_people(sessionmaker, participant)
    async with sessionmaker() as session:
        draft = ProgrammeSession(
            kind="info",
            title_fr="Brouillon",
            starts_at=utcnow() + timedelta(days=5),
            duration_min=60,
            url="https://meet.example/x",
            capacity=5,
            status=SessionStatus.DRAFT,
        )
        session.add(draft)
        await session.commit()
    await participant.send_text("/menu")
    await participant.replies()
    await participant.press_data(f"ses:book:{draft.id}:")
    assert say("session-refused-closed") in texts(await participant.replies())


async def test_in_dutch_the_invitation_card_booking_and_calendar_are_dutch(
    bot_app, sandbox, sessionmaker, clock
) -> None:
    pieter = sandbox.user(1004, "Pieter", language_code="nl")
    await seed_people(sessionmaker, pieter, locale="nl")
    await publish(sessionmaker, clock)
    book, title = say("session-book", "nl"), "Vlaamse Verpakking stelt zich voor"
    kind = say("session-kind-company_presentation", "nl")

    [invite] = [m for m in await pieter.replies(timeout=15) if book in m.button_texts()]
    invited = {"kind": kind, "title": title, "when": ..., "minutes": ..., "seats": 10}
    assert holds(invite.text, "session-invite", "nl", **invited)
    await pieter.press(book, message_id=invite.message_id)
    got = await pieter.replies_until(has_file)
    assert holds(texts(got), "session-booked", "nl", title=title, when=..., plan="two", hours=2)
    [ics] = [m.document for m in got if m.document]
    assert f"SUMMARY:{title}" in ics.content.decode()

    await pieter.send_text("/sessions")
    [listing] = await pieter.replies()
    assert say("sessions-title", "nl", count=1) in listing.text
    await pieter.press(listing.button_texts()[0], message_id=listing.message_id)
    shown = {"kind": kind, "title": title, "when": ..., "minutes": ...}
    got = await pieter.replies_until(lambda m: holds(m.text or "", "session-card", "nl", **shown))
    [card] = [m for m in got if holds(m.text or "", "session-card", "nl", **shown)]
    assert say("session-yours-confirmed", "nl") in card.text


def has_file(message) -> bool:
    """A calendar file: it comes through the outbox, after the message that announces it."""
    return message.document is not None


async def pending_reminders(sessionmaker, session_id: int) -> set[str]:
    async with sessionmaker() as session:
        return set(
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{session_id}:"),
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
        )


async def calendar_file(user) -> bytes:
    [ics] = [m.document for m in await user.replies_until(has_file) if m.document]
    return ics.content


async def test_a_seat_taken_again_after_a_cancel_gets_its_own_calendar_file_and_reminders(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    session_id = await publish(sessionmaker, clock)
    invite = await invitation(participant)

    await participant.press(BOOK, message_id=invite.message_id)
    assert b"BEGIN:VCALENDAR" in await calendar_file(participant)
    first_seat = await pending_reminders(sessionmaker, session_id)
    assert len(first_seat) == 2  # the day before and the hour before

    await participant.press(say("session-cancel-mine"))
    await participant.replies()
    await participant.press(say("session-cancel-yes"))
    assert say("session-cancel-done", next=0) in texts(await participant.replies())
    assert await pending_reminders(sessionmaker, session_id) == set()

    await participant.press(BOOK, message_id=invite.message_id)
    assert b"BEGIN:VCALENDAR" in await calendar_file(participant)
    second_seat = await pending_reminders(sessionmaker, session_id)
    assert len(second_seat) == 2 and not second_seat & first_seat

    clock.advance(timedelta(days=2, hours=2, minutes=1))  # an hour before
    hour = {"title": TITLE, "when": ..., "url": "https://meet.example/vv"}
    replies = await participant.replies(timeout=15)
    assert len([m for m in replies if holds(m.text or "", "reminder-1h", **hour)]) == 1


async def test_a_booking_less_than_an_hour_before_gets_the_link_at_once(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    await publish(sessionmaker, clock, starts_in=timedelta(minutes=40), cutoff_hours=0)
    await participant.press(BOOK, message_id=(await invitation(participant)).message_id)
    got = await participant.replies(timeout=15)
    confirmation = texts(got)
    assert holds(confirmation, "session-booked", title=TITLE, when=..., plan="now", hours=0)
    # No reminder is promised: only the link, at once.
    later = ("one", "two", "three")
    assert not any(
        holds(confirmation, "session-booked", title=TITLE, when=..., plan=plan, hours=...)
        for plan in later
    )
    now = {"title": TITLE, "when": ..., "url": "https://meet.example/vv"}
    assert not holds(confirmation, "reminder-1h", **now)
    while not any(holds(m.text or "", "reminder-now", **now) for m in got):
        got += await participant.replies(timeout=15)
    [link] = [m for m in got if holds(m.text or "", "reminder-now", **now)]
    assert not link.link_preview


async def test_the_reminder_with_the_link_comes_without_a_link_preview(
    bot_app, participant, sessionmaker, clock
) -> None:
    await seed_people(sessionmaker, participant)
    await publish(sessionmaker, clock, starts_in=timedelta(hours=3))
    await participant.press(BOOK, message_id=(await invitation(participant)).message_id)
    booked = {"title": TITLE, "when": ..., "plan": "one", "hours": 2}
    said = texts(
        await participant.replies_until(lambda m: holds(m.text or "", "session-booked", **booked))
    )
    assert holds(said, "session-booked", **booked)
    clock.advance(timedelta(hours=2, minutes=1))
    hour = {"title": TITLE, "when": ..., "url": "https://meet.example/vv"}
    replies = await participant.replies(timeout=15)
    [reminder] = [m for m in replies if holds(m.text or "", "reminder-1h", **hour)]
    assert not reminder.link_preview


@pytest.mark.parametrize(
    ("locale", "title"),
    [("fr", TITLE), ("nl", "Vlaamse Verpakking stelt zich voor")],
)
async def test_cancelling_when_nobody_waits_promises_no_one_the_seat(
    bot_app, sandbox, sessionmaker, clock, locale, title
) -> None:
    user = sandbox.user(1001, "Amélie", language_code=locale)
    await seed_people(sessionmaker, user, locale=locale)
    await publish(sessionmaker, clock)
    book = say("session-book", locale)
    [invite] = [m for m in await user.replies(timeout=15) if book in m.button_texts()]
    await user.press(book, message_id=invite.message_id)
    await user.replies(timeout=15)
    await user.press(say("session-cancel-mine", locale))
    question = texts(await user.replies())
    assert say("session-cancel-ask", locale, mine="seat", others=0, title=title) in question
    # The question for when someone waits starts the same way, then promises them the seat.
    assert say("session-cancel-ask", locale, mine="seat", others=1, title=title) not in question
    await user.press(say("session-cancel-yes", locale))
    assert say("session-cancel-done", locale, next=0) in texts(await user.replies())
