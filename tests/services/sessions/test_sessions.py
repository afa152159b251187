"""Sessions around the seats: who is invited, what the booked are told when a session
changes or is cancelled, attendance and feedback, and a person who erases their data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    SessionStatus,
    User,
)
from bot.services.participants import privacy
from bot.services.sessions import after_session, audience, keys, seating, staff_changes
from bot.services.sessions.common import SessionRefused
from tests.helpers.people import PARIS, WELDER, add_person
from tests.helpers.sessions import NOW, a_session


async def outbox(session, prefix: str) -> list[OutboxMessage]:
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


async def test_publishing_invites_the_targeted_people_once(session) -> None:
    fits = await add_person(session, 1)
    welder = await add_person(session, 2, occupations=(WELDER,))
    await add_person(session, 3, consent=False)
    await add_person(session, 4, reachable=False)
    await add_person(session, 5, on_telegram=False)
    await add_person(session, 6, status=ParticipantStatus.JOB)
    beginner = await add_person(session, 7)
    beginner.dutch_level = "A0"
    elsewhere = await add_person(session, 8)
    elsewhere.territory = "WAPI"
    programme_session = await a_session(
        session, territories=["LRT"], occupations=["8344.1"], dutch_levels=["A1", "A2"]
    )

    assert await audience.publish(session, programme_session, NOW, PARIS) == 1
    assert programme_session.status == SessionStatus.PUBLISHED
    [invite] = await outbox(session, f"invite:{programme_session.id}:")
    assert invite.dedupe_key == f"invite:{programme_session.id}:{fits.id}"
    assert invite.payload["buttons"][0][0]["callback_data"] == f"ses:book:{programme_session.id}:"

    # Published again (an import run twice): nobody is invited a second time.
    await audience.publish(session, programme_session, NOW, PARIS)
    assert len(await outbox(session, f"invite:{programme_session.id}:")) == 1
    assert welder.id and beginner.id and elsewhere.id


async def test_an_empty_target_invites_everyone_followed(session) -> None:
    people = [await add_person(session, n, occupations=(WELDER,)) for n in (1, 2)]
    programme_session = await a_session(session, kind="info")
    assert await audience.publish(session, programme_session, NOW, PARIS) == len(people)


async def test_invitations_wait_for_the_morning_in_the_quiet_hours(session) -> None:
    await add_person(session, 1)
    programme_session = await a_session(session)
    late = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    await audience.publish(session, programme_session, late, PARIS)
    [invite] = await outbox(session, "invite:")
    assert invite.not_before.replace(tzinfo=UTC) == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


async def test_a_past_or_cancelled_session_is_not_published(session) -> None:
    past = await a_session(session, starts_in=-timedelta(hours=1))
    with pytest.raises(SessionRefused, match="past"):
        await audience.publish(session, past, NOW, PARIS)
    cancelled = await a_session(session, status=SessionStatus.CANCELLED)
    with pytest.raises(SessionRefused, match="cancelled"):
        await audience.publish(session, cancelled, NOW, PARIS)


async def booked(session, programme_session, count: int) -> list[Participant]:
    people = [await add_person(session, n) for n in range(1, count + 1)]
    for person in people:
        await seating.take_seat(session, programme_session, person.id, NOW, PARIS)
    return people


async def test_a_new_time_tells_the_booked_moves_reminders_and_sends_a_new_calendar(
    session,
) -> None:
    programme_session = await a_session(session, capacity=1, status=SessionStatus.PUBLISHED)
    seated, waiting = await booked(session, programme_session, 2)
    new_time = NOW + timedelta(days=6)

    changed = await staff_changes.change_session(
        session, programme_session, {"starts_at": new_time, "capacity": 1}, NOW, PARIS
    )

    assert changed == ["starts_at"]
    notices = await outbox(session, f"changed:{programme_session.id}:")
    assert len(notices) == 2  # the seated and the waiting are both told
    [what] = notices[0].payload["vars"]["what"]
    assert what["key"] == "session-changed-when"
    assert what["vars"]["new"]["fr"] == "jeudi 3 décembre à 11:00"
    calendars = await outbox(session, f"ics:{programme_session.id}:{seated.id}:")
    assert [c.dedupe_key.rsplit(":", 1)[1] for c in calendars] == ["0", "1"]
    assert not await outbox(session, f"ics:{programme_session.id}:{waiting.id}:")
    [one_hour] = [
        r
        for r in await outbox(session, f"reminder:{programme_session.id}:{seated.id}:")
        if r.dedupe_key.endswith(":1h") and r.status == OutboxStatus.PENDING
    ]
    assert one_hour.dedupe_key.endswith(":1:1h")  # the new version
    assert one_hour.not_before.replace(tzinfo=UTC) == new_time - timedelta(hours=1)


async def test_more_seats_go_to_the_waitlist_and_fewer_than_booked_are_refused(
    session,
) -> None:
    programme_session = await a_session(session, capacity=1, status=SessionStatus.PUBLISHED)
    _, waiting = await booked(session, programme_session, 2)

    with pytest.raises(SessionRefused, match="capacity"):
        await staff_changes.change_session(session, programme_session, {"capacity": 0}, NOW, PARIS)
    assert await staff_changes.change_session(
        session, programme_session, {"capacity": 2}, NOW, PARIS
    ) == ["capacity"]

    await session.refresh(waiting)
    booking = await session.scalar(select(Booking).where(Booking.participant_id == waiting.id))
    assert booking.status == BookingStatus.CONFIRMED
    assert programme_session.confirmed == 2
    assert not await outbox(session, "changed:")  # nothing the booked need to hear


async def test_cancelling_tells_everyone_booked_and_drops_their_reminders(session) -> None:
    programme_session = await a_session(session, capacity=1, status=SessionStatus.PUBLISHED)
    seated, _waiting = await booked(session, programme_session, 2)

    assert await staff_changes.cancel_session(session, programme_session, NOW, PARIS) == 2
    assert programme_session.confirmed == 0
    assert len(await outbox(session, f"cancelled:{programme_session.id}:")) == 2
    reminders = await outbox(session, f"reminder:{programme_session.id}:{seated.id}:")
    assert reminders and {r.status for r in reminders} == {OutboxStatus.CANCELLED}
    # Cancelling twice tells nobody twice.
    assert await staff_changes.cancel_session(session, programme_session, NOW, PARIS) == 0


async def marked(session, programme_session, people, when):
    """The organiser marks the first person present and the others absent."""
    sheet = {
        p.id: b for b, p in await after_session.attendance_sheet(session, programme_session.id)
    }
    came, *absent = people
    await after_session.mark_attendance(
        session, programme_session, sheet[came.id], Attendance.ATTENDED, when
    )
    for person in absent:
        await after_session.mark_attendance(
            session, programme_session, sheet[person.id], Attendance.NO_SHOW, when
        )


async def test_attendance_is_marked_only_once_the_session_has_begun(session) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    [person] = await booked(session, programme_session, 1)
    [(booking, _p)] = await after_session.attendance_sheet(session, programme_session.id)
    with pytest.raises(SessionRefused):
        await after_session.mark_attendance(
            session, programme_session, booking, Attendance.ATTENDED, NOW
        )
    assert person


async def test_marking_present_asks_nothing_until_the_list_is_complete_and_the_session_over(
    session,
) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    came, absent = await booked(session, programme_session, 2)
    during = NOW + timedelta(days=5, minutes=30)
    # Tapped ✅ on the way to ❌: nobody is asked anything while the organiser marks.
    await marked(session, programme_session, [absent, came], during)
    await marked(session, programme_session, [came, absent], during)
    assert await outbox(session, "feedback:") == []
    # The list is complete before the end: the question waits for the end.
    assert await after_session.confirm_attendance(session, programme_session, during, PARIS) == 0
    assert await after_session.ask_feedback_due(session, during, PARIS) == 0
    assert await outbox(session, "feedback:") == []

    after = NOW + timedelta(days=5, hours=1, minutes=1)
    assert await after_session.ask_feedback_due(session, after, PARIS) == 1
    [question] = await outbox(session, "feedback:")
    assert question.dedupe_key == keys.session_feedback(programme_session.id, came.id)
    # Once per person, whoever asks again.
    assert await after_session.ask_feedback_due(session, after, PARIS) == 0
    assert await after_session.confirm_attendance(session, programme_session, after, PARIS) == 0
    assert len(await outbox(session, "feedback:")) == 1


async def test_the_list_confirmed_after_the_end_asks_at_once(session) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    came, absent = await booked(session, programme_session, 2)
    after = NOW + timedelta(days=5, hours=1, minutes=5)
    await marked(session, programme_session, [came, absent], after)
    assert await after_session.confirm_attendance(session, programme_session, after, PARIS) == 1
    [question] = await outbox(session, "feedback:")
    assert question.dedupe_key == keys.session_feedback(programme_session.id, came.id)


async def test_without_the_organiser_the_list_settles_two_hours_after_the_end(session) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    came, absent = await booked(session, programme_session, 2)
    end = NOW + timedelta(days=5, hours=1)
    await marked(session, programme_session, [came, absent], end)
    assert await after_session.ask_feedback_due(session, end + timedelta(minutes=119), PARIS) == 0
    assert await after_session.ask_feedback_due(session, end + timedelta(hours=2), PARIS) == 1
    # Someone marked present later is asked when the organiser closes the list.
    late = end + timedelta(hours=5)
    sheet = {
        p.id: b for b, p in await after_session.attendance_sheet(session, programme_session.id)
    }
    await after_session.mark_attendance(
        session, programme_session, sheet[absent.id], Attendance.ATTENDED, late
    )
    assert await after_session.confirm_attendance(session, programme_session, late, PARIS) == 1


async def test_ratings_and_no_shows_are_counted(session) -> None:
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    came, absent = await booked(session, programme_session, 2)
    await marked(session, programme_session, [came, absent], NOW + timedelta(days=5, hours=2))
    assert await after_session.rate(session, programme_session.id, absent.id, 5) is None
    assert await after_session.rate(session, programme_session.id, came.id, 6) is None
    await after_session.rate(session, programme_session.id, came.id, 4)

    turnout = await after_session.session_turnout(session, programme_session.id)
    assert (turnout.marked, turnout.attended, turnout.no_shows) == (2, 1, 1)
    assert turnout.no_show_rate == 0.5 and turnout.rating_avg == 4.0
    mine = await after_session.participant_turnout(session, absent.id)
    assert (mine.marked, mine.no_shows) == (1, 1)


async def test_erasing_my_data_gives_my_seat_to_the_next_person(session) -> None:
    programme_session = await a_session(
        session, capacity=1, status=SessionStatus.PUBLISHED, starts_in=timedelta(days=400)
    )
    seated, waiting = await booked(session, programme_session, 2)
    user = await session.get(User, seated.user_id)

    await privacy.erase(session, user, tz=PARIS)

    statuses = dict(
        (b.participant_id, b.status)
        for b in await session.scalars(
            select(Booking).where(Booking.session_id == programme_session.id)
        )
    )
    assert statuses == {seated.id: BookingStatus.CANCELLED, waiting.id: BookingStatus.CONFIRMED}
    assert await outbox(session, keys.seat_promoted(programme_session.id, waiting.id, 1))


async def test_a_series_is_announced_two_weeks_before_each_session(session) -> None:
    await add_person(session, 1)
    weeks = [await a_session(session, starts_in=timedelta(days=7 * n, hours=8)) for n in (1, 5)]
    for programme_session in weeks:
        await audience.publish(session, programme_session, NOW, PARIS)
    soon, later = [
        (await outbox(session, f"invite:{ps.id}:"))[0].not_before.replace(tzinfo=UTC)
        for ps in weeks
    ]
    assert soon == NOW
    assert later == NOW + timedelta(days=35 - 14, hours=8)  # 18:00 in Paris, not quiet
