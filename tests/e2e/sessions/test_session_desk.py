"""A counsellor organises a session from the bot: lists, opens, changes, cancels it, books
for someone who phoned, marks attendance; the people booked hear about it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.base import as_utc, utcnow
from bot.db.models import Booking, OutboxMessage, Participant, ProgrammeSession, Role, Staff
from bot.demo import midday_zone
from bot.services.sessions import seating
from bot.services.sessions.organiser import parse_when
from tests.helpers import holds, say, texts
from tests.helpers.people import add_person
from tests.helpers.sessions import add_session

TITLE = "Vlaamse Verpakking se présente"
URL = "https://meet.example/vv"
PERSON1, PERSON2 = "Person1 · P1", "Person2 · P2"  # a participant's label: name · reference
# On Telegram; imported with a phone and its consent, but no SMS provider is set up here:
# nothing reaches them, the counsellor calls.
REACH1, REACH2 = say("reach-telegram"), say("reach-nobody")


def screen_shows(text: str, locale: str = "fr", /, **shown) -> bool:
    """Whether `text` holds a session's screen showing `shown` (its seats: confirmed,
    capacity, waiting; its title, link...), whatever else it shows."""
    screen = {"kind": ..., "title": ..., "when": ..., "minutes": ..., "url": ..., "cutoff": ...}
    return holds(text, "desk-session", locale, **{**screen, **shown})


def asked_how_it_was(message) -> bool:
    return holds(message.text or "", "session-feedback", title=...)


@pytest.fixture
def settings(settings):
    # The outbox and the clock's checks tick fast, at midday: what the booked are sent
    # arrives within the test.
    return settings.model_copy(
        update={"outbox_tick_s": 0.2, "sla_tick_s": 0.5, "tz": midday_zone()}
    )


@pytest.fixture
def tz(settings) -> ZoneInfo:
    return ZoneInfo(settings.tz)


@pytest.fixture
def karim(sandbox):
    return sandbox.user(9100, "Karim")


async def seed(
    sessionmaker, amelie_client, tz, *, capacity=10, starts_in=timedelta(days=7), **extra
):
    """Karim (Lille's CET); Amélie on Telegram, her chat open, holding a seat in one of
    Lille's sessions (Karim's to manage)."""
    extra.setdefault("territories", ["LRT"])
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k")
        )
        amelie = await add_person(session, 1, telegram_id=1001)
        await session.commit()
    await amelie_client.send_text("/menu")
    await amelie_client.replies()
    async with sessionmaker() as session:
        sid = await add_session(session, capacity=capacity, starts_in=starts_in, **extra)
        programme_session = await session.get(ProgrammeSession, sid)
        await seating.take_seat(session, programme_session, amelie.id, utcnow(), tz)
        await session.commit()
    await amelie_client.replies_until(lambda m: m.document is not None)  # her seat's .ics
    return sid, amelie.id


async def add_booked(sessionmaker, sid, n, tz, **person) -> int:
    """Another participant (imported: not on Telegram unless asked) booked for `sid`."""
    async with sessionmaker() as session:
        other = await add_person(session, n, **{"on_telegram": False, **person})
        programme_session = await session.get(ProgrammeSession, sid)
        await seating.take_seat(session, programme_session, other.id, utcnow(), tz)
        await session.commit()
        return other.id


async def open_session(karim, title=TITLE):
    """/mysessions, then the session's button: the session's screen."""
    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    [button] = [b for b in listing.button_texts() if title in b]
    await karim.press(button, message_id=listing.message_id)
    return (await karim.replies())[-1]


async def press(user, text, message):
    await user.press(text, message_id=message.message_id)
    return (await user.replies())[-1]


async def test_a_counsellor_lists_the_sessions_and_sees_who_is_booked(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz, capacity=1)
    other = await add_booked(sessionmaker, sid, 2, tz)  # full: on the waitlist
    async with sessionmaker() as session:  # imported with a phone and the person's consent
        person = await session.get(Participant, other)
        person.phone, person.phone_consent_at = "+33612345678", utcnow()
        await session.commit()

    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    assert say("desk-list-title") in listing.text
    [button] = listing.button_texts()
    item = {"title": TITLE, "confirmed": 1, "capacity": 1, "waiting": 1}
    assert button.endswith(say("desk-list-item", date="", **item))

    await karim.press(button, message_id=listing.message_id)
    screen = (await karim.replies())[-1]
    assert screen.edited and screen.message_id == listing.message_id
    counts = {"confirmed": 1, "capacity": 1, "waiting": 1}
    assert screen_shows(screen.text, title=TITLE, url=URL, **counts)
    assert say("desk-button-attendance") not in screen.button_texts()  # not before it starts
    assert say("desk-button-time") in screen.button_texts()

    who = await press(karim, say("desk-button-who"), screen)
    # How each is reached: the counsellor calls whoever nothing reaches.
    line1 = say("desk-who-line", n=1, label=PERSON1, reach=REACH1)
    line2 = say("desk-who-line", n=1, label=PERSON2, reach=REACH2)
    assert f"{say('desk-who-seats')}\n{line1}" in who.text
    assert f"{say('desk-who-waiting')}\n{line2}" in who.text


async def test_a_dutch_speaking_consultant_gets_the_desk_in_dutch(
    bot_app, sandbox, participant, sessionmaker, tz
) -> None:
    await seed(sessionmaker, participant, tz, title_nl="Vlaamse Verpakking, online")
    consultant = sandbox.user(9100, "Karim", language_code="nl")
    screen = await open_session(consultant, "Vlaamse Verpakking, online")
    assert screen_shows(screen.text, "nl", confirmed=1, capacity=10, waiting=0)
    assert say("desk-button-time", "nl") in screen.button_texts()


async def test_without_sessions_the_list_points_to_newsession(bot_app, karim, sessionmaker):
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k")
        )
        await session.commit()
    await karim.send_text("/mysessions")
    assert say("desk-list-empty") in texts(await karim.replies())


async def test_a_new_time_tells_the_booked_and_moves_their_reminders(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, amelie = await seed(sessionmaker, participant, tz)
    screen = await open_session(karim)
    question = await press(karim, say("desk-button-time"), screen)
    assert holds(question.text, "desk-ask-starts_at", title=TITLE, when=...)

    await karim.send_text("mardi prochain")
    assert say("desk-wrong-starts_at") in texts(await karim.replies())
    await karim.send_text("12/01/2020 14:30")
    assert say("desk-wrong-past") in texts(await karim.replies())

    new_start = (datetime.now(tz) + timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    await karim.send_text(new_start.strftime("%d/%m/%Y %H:%M"))
    confirm = (await karim.replies())[-1]  # below the question, whose buttons go
    assert holds(confirm.text, "desk-confirm-starts_at", title=TITLE, new=..., old=...)
    assert say("desk-will-tell", told=1) in confirm.text

    done = await press(karim, say("desk-button-confirm"), confirm)
    assert say("desk-changed-starts_at") in done.text and say("desk-told", told=1) in done.text

    told = await participant.replies(timeout=15)
    new_time = [{"key": "session-changed-when", "vars": {"new": ..., "old": ...}}]
    assert holds(texts(told), "session-changed", title=TITLE, what=new_time)
    [ics] = [m for m in told if m.document]
    assert ics.document.filename.endswith(".ics")
    assert new_start.strftime("%Y%m%dT%H%M").encode() in ics.document.content
    async with sessionmaker() as session:
        reminders = {
            row.dedupe_key.rsplit(":", 1)[1]: as_utc(row.not_before)
            for row in await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{sid}:{amelie}:")
                )
            )
        }
    assert reminders == {
        "3d": new_start - timedelta(days=3),
        "1d": new_start - timedelta(days=1),
        "1h": new_start - timedelta(hours=1),
    }


async def test_fewer_seats_than_booked_is_asked_again(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    await add_booked(sessionmaker, sid, 2, tz)
    screen = await open_session(karim)
    await press(karim, say("desk-button-seats"), screen)

    await karim.send_text("1")
    answer = texts(await karim.replies())
    assert say("desk-wrong-capacity", least=2, most=500) in answer
    assert say("desk-ask-capacity", title=TITLE, confirmed=2, capacity=10) in answer

    await karim.send_text("12")
    confirm = (await karim.replies())[-1]  # below the question, whose buttons go
    assert say("desk-confirm-capacity", title=TITLE, capacity=12, old=10) in confirm.text
    done = await press(karim, say("desk-button-confirm"), confirm)
    assert say("desk-changed-capacity") in done.text
    assert screen_shows(done.text, confirmed=2, capacity=12, waiting=0)


async def test_cancelling_tells_the_booked_and_cancels_their_reminders(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, amelie = await seed(sessionmaker, participant, tz)
    await add_booked(sessionmaker, sid, 2, tz)
    screen = await open_session(karim)

    confirm = await press(karim, say("desk-button-cancel"), screen)
    assert say("desk-will-tell", told=1) in confirm.text
    assert say("desk-to-call", count=1) in confirm.text
    done = await press(karim, say("desk-button-cancel-yes"), confirm)
    assert say("desk-cancelled") in done.text and say("desk-told", told=1) in done.text
    assert say("desk-button-time") not in done.button_texts()

    told = texts(await participant.replies(timeout=15))
    assert holds(told, "session-cancelled", title=TITLE, when=...)
    async with sessionmaker() as session:
        statuses = set(
            await session.scalars(
                select(OutboxMessage.status).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{sid}:{amelie}:")
                )
            )
        )
    assert statuses == {"cancelled"}


async def test_a_counsellor_books_an_imported_participant_who_phoned(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    async with sessionmaker() as session:
        imported = await add_person(session, 2, on_telegram=False)
        # She already holds a seat in another session at the same time.
        other = await add_session(session, starts_in=timedelta(days=7, minutes=30))
        (await session.get(ProgrammeSession, other)).title_fr = "Atelier néerlandais"
        await seating.take_seat(
            session, await session.get(ProgrammeSession, other), imported.id, utcnow(), tz
        )
        await session.commit()
    screen = await open_session(karim)

    question = await press(karim, say("desk-button-book"), screen)
    assert say("desk-book-ask", title=TITLE) in question.text
    await karim.send_text("Zoé")
    assert say("desk-book-none") in texts(await karim.replies())
    await karim.send_text("person2")
    choices = (await karim.replies())[-1]  # below the question, whose buttons go
    assert choices.button_texts()[0] == PERSON2

    done = await press(karim, PERSON2, choices)
    assert say("desk-book-confirmed", label=PERSON2) in done.text
    assert say("desk-book-not-on-telegram", label=PERSON2) in done.text
    overlap = {"label": PERSON2, "other": "Atelier néerlandais", "when": ...}
    assert holds(done.text, "desk-book-overlap", **overlap)
    assert screen_shows(done.text, confirmed=2, capacity=10, waiting=0)
    async with sessionmaker() as session:
        booking = await session.scalar(
            select(Booking).where(Booking.session_id == sid, Booking.participant_id == imported.id)
        )
        karim_id = await session.scalar(select(Staff.id).where(Staff.telegram_id == 9100))
    assert (booking.status, booking.booked_by) == ("confirmed", karim_id)


async def test_an_imported_participant_with_a_phone_is_booked_and_told_by_the_outbox(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    """Not on Telegram, but she agreed to SMS: Karim is not asked to call her; the notice,
    the calendar file and the reminders are queued for her, for the sender's SMS/e-mail."""
    sid, _ = await seed(sessionmaker, participant, tz)
    async with sessionmaker() as session:
        imported = await add_person(session, 2, on_telegram=False, consent=False)
        imported.phone, imported.phone_consent_at = "+33612345678", utcnow()
        await session.commit()
    screen = await open_session(karim)
    await press(karim, say("desk-button-book"), screen)
    await karim.send_text("person2")
    choices = (await karim.replies())[-1]
    done = await press(karim, PERSON2, choices)
    assert say("desk-book-confirmed", label=PERSON2) in done.text
    assert say("desk-book-not-on-telegram", label=PERSON2) not in done.text
    async with sessionmaker() as session:
        queued = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.participant_id == imported.id)
                .order_by(OutboxMessage.id)
            )
        ).all()
    assert [row.dedupe_key.split(":")[0] for row in queued] == [
        "booked_for",
        "ics",
        "reminder",
        "reminder",
        "reminder",
    ]
    assert {row.chat_id for row in queued} == {None}
    assert all(str(sid) == row.dedupe_key.split(":")[1] for row in queued)


async def test_a_person_on_telegram_booked_by_their_counsellor_is_told_and_can_cancel(
    bot_app, participant, karim, sandbox, sessionmaker, tz
) -> None:
    await seed(sessionmaker, participant, tz)
    bruno = sandbox.user(1002, "Bruno")
    async with sessionmaker() as session:
        await add_person(session, 2, telegram_id=1002)
        await session.commit()
    await bruno.send_text("/menu")
    await bruno.replies()
    screen = await open_session(karim)
    await press(karim, say("desk-button-book"), screen)
    await karim.send_text("person2")
    choices = (await karim.replies())[-1]  # below the question, whose buttons go
    done = await press(karim, PERSON2, choices)
    assert say("desk-book-confirmed", label=PERSON2) in done.text
    assert say("desk-book-not-on-telegram", label=PERSON2) not in done.text
    assert say("desk-to-call", count=1) not in done.text

    got = await bruno.replies(timeout=15)
    while not any(m.document for m in got):
        got += await bruno.replies(timeout=15)
    booked_for = {"name": "Karim", "title": TITLE, "when": ..., "minutes": 60}
    [told] = [
        m
        for m in got
        if holds(m.text or "", "session-booked-for", **booked_for, plan="three", hours=24)
    ]
    assert told.button_texts() == [say("session-cancel-mine")]
    await bruno.press(say("session-cancel-mine"), message_id=told.message_id)
    asked = say("session-cancel-ask", mine="seat", others=0, title=TITLE)
    assert asked in texts(await bruno.replies())


async def test_only_those_marked_present_are_asked_how_it_was_once_the_list_is_done(
    bot_app, participant, karim, sandbox, sessionmaker, clock, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz, starts_in=timedelta(hours=2), cutoff_hours=1)
    bruno = sandbox.user(1002, "Bruno")
    await add_booked(sessionmaker, sid, 2, tz, on_telegram=True, telegram_id=1002)
    await bruno.send_text("/menu")
    await bruno.replies(timeout=3)
    screen = await open_session(karim)
    await karim.press_data(f"desk:att:{sid}:", message_id=screen.message_id)
    await karim.replies(timeout=1)
    assert say("desk-attendance-not-yet") in karim.callback_answers[-1]

    clock.advance(timedelta(hours=3))  # the session ended an hour ago
    screen = await open_session(karim)
    assert say("desk-session-turnout-none") in screen.text
    sheet = await press(karim, say("desk-button-attendance"), screen)
    done = say("desk-button-done")
    unmarked = [say("desk-attendance-unmarked", label=label) for label in (PERSON1, PERSON2)]
    assert sheet.button_texts() == [*unmarked, done]

    # Amélie goes through ✅ on the way to ❌: she is asked nothing.
    sheet = await press(karim, unmarked[0], sheet)
    sheet = await press(karim, say("desk-attendance-attended", label=PERSON1), sheet)
    sheet = await press(karim, unmarked[1], sheet)
    marked = [
        say("desk-attendance-no_show", label=PERSON1),
        say("desk-attendance-attended", label=PERSON2),
    ]
    assert sheet.button_texts() == [*marked, done]
    counted = {"title": TITLE, "when": ..., "attended": 1, "no_shows": 1, "unmarked": 0}
    assert holds(sheet.text, "desk-attendance-title", **counted)
    assert not [m for m in await bruno.replies(timeout=1) if asked_how_it_was(m)]

    screen = await press(karim, done, sheet)
    assert say("desk-feedback-asked", count=1) in screen.text
    assert say("desk-session-turnout", marked=2, confirmed=2, rate=50) in screen.text
    feedback_question = say("session-feedback", title=TITLE)
    [feedback] = [m for m in await bruno.replies(timeout=15) if feedback_question in m.text]
    assert feedback.button_texts() == ["1", "2", "3", "4", "5"]
    assert not [m for m in await participant.replies(timeout=1) if asked_how_it_was(m)]


async def test_without_the_list_done_those_present_are_asked_two_hours_after_the_end(
    bot_app, participant, karim, sessionmaker, clock, tz
) -> None:
    await seed(sessionmaker, participant, tz, starts_in=timedelta(hours=2), cutoff_hours=1)
    clock.advance(timedelta(hours=2, minutes=30))  # during the session
    sheet = await press(karim, say("desk-button-attendance"), await open_session(karim))
    await press(karim, say("desk-attendance-unmarked", label=PERSON1), sheet)
    assert not [m for m in await participant.replies(timeout=1) if asked_how_it_was(m)]

    clock.advance(timedelta(hours=2, minutes=31))  # two hours after the end: the clock asks
    feedback_question = say("session-feedback", title=TITLE)
    [feedback] = [
        m for m in await participant.replies(timeout=15) if feedback_question in (m.text or "")
    ]
    assert feedback.button_texts() == ["1", "2", "3", "4", "5"]


async def test_a_participant_is_refused_the_desk(bot_app, participant, sessionmaker, tz) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    await participant.send_text("/mysessions")
    assert say("staff-only") in texts(await participant.replies())
    await participant.press_data(f"desk:drop:{sid}:")
    await participant.replies(timeout=1)
    assert say("staff-only") in participant.callback_answers[-1]
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, sid)).status == "published"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/01 14:30", datetime(2027, 1, 12, 14, 30)),
        ("3/12 9h05", datetime(2026, 12, 3, 9, 5)),
        ("01/12 09:00", datetime(2027, 12, 1, 9, 0)),  # today's 09:00 is past: next year's
        ("12/01/2027 14:30", datetime(2027, 1, 12, 14, 30)),
        ("31/02 10:00", None),
        ("28/03/2027 02:30", None),  # the clocks skip it
        ("demain 14:30", None),
    ],
)
def test_a_typed_time_is_read_day_first_in_programme_time(typed, expected) -> None:
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    found = parse_when(typed, now, paris)
    assert found == (expected.replace(tzinfo=paris) if expected else None)
