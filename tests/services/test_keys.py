"""What makes two outbox messages "the same": each kind repeated, and what the person gets.

The outbox drops a message whose key was used before, so each repeat below says whether it
is a duplicate (nothing more is queued) or news (a message of its own)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import Booking, OutboxMessage, OutboxStatus, Role, SessionStatus, Staff
from bot.services import alerts, broadcasts, keys, outcomes, sessions, tickets
from tests.services.test_alerts import add_person, add_vacancy
from tests.services.test_sessions import a_session

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday, 11:00 in Paris


async def queued(session, *, prefix: str = "", status: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith(prefix))
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(await session.scalars(query.order_by(OutboxMessage.id)))


async def karim(session) -> Staff:
    member = Staff(
        telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
    )
    session.add(member)
    await session.flush()
    return member


async def published(session, **extra):
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED, **extra)
    programme_session.cutoff_hours = 2
    await session.flush()
    return programme_session


async def seat_of(session, programme_session, person) -> Booking:
    return await session.scalar(
        select(Booking).where(
            Booking.session_id == programme_session.id, Booking.participant_id == person.id
        )
    )


# --- seats ---------------------------------------------------------------------------------


async def test_a_seat_taken_again_after_a_cancel_has_its_own_file_and_reminders(session) -> None:
    programme_session = await published(session)
    amelie = await add_person(session, 1)
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    first = {row.dedupe_key for row in await queued(session, prefix="reminder:")}
    await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)
    assert await queued(session, prefix="reminder:", status=OutboxStatus.PENDING) == []

    later = NOW + timedelta(hours=1)
    await sessions.take_seat(session, programme_session, amelie.id, later, PARIS)

    pending = {
        row.dedupe_key
        for row in await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)
    }
    assert len(pending) == 3 and not pending & first
    assert len(await queued(session, prefix=f"ics:{programme_session.id}:{amelie.id}:")) == 2
    assert (await seat_of(session, programme_session, amelie)).seat == 2


async def test_cancelling_a_seat_cancels_exactly_its_own_reminders(session) -> None:
    programme_session = await published(session)
    amelie, bruno = await add_person(session, 1), await add_person(session, 2)
    for person in (amelie, bruno):
        await sessions.take_seat(session, programme_session, person.id, NOW, PARIS)
    await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)
    pending = await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)
    assert {row.chat_id for row in pending} == {5002} and len(pending) == 3


async def test_a_seat_given_again_from_the_waitlist_is_announced_again(session) -> None:
    programme_session = await published(session, capacity=1)
    amelie, bruno = await add_person(session, 1), await add_person(session, 2)
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await sessions.take_seat(session, programme_session, bruno.id, NOW, PARIS)
    await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)  # Bruno's
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)  # waits
    await sessions.give_back(session, programme_session, bruno.id, NOW, PARIS)  # Amélie's
    await sessions.take_seat(session, programme_session, bruno.id, NOW, PARIS)  # waits
    await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)  # Bruno's again

    told = await queued(session, prefix=f"promoted:{programme_session.id}:{bruno.id}:")
    assert [row.dedupe_key for row in told] == [
        keys.seat_promoted(programme_session.id, bruno.id, 1),
        keys.seat_promoted(programme_session.id, bruno.id, 2),
    ]
    files = await queued(session, prefix=f"ics:{programme_session.id}:{bruno.id}:")
    assert len(files) == 2
    pending = await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)
    assert {row.chat_id for row in pending} == {5002} and len(pending) == 3


async def test_a_seat_booked_by_staff_after_a_cancel_brings_the_file_and_reminders(
    session,
) -> None:
    programme_session = await published(session)
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)
    await sessions.take_seat(
        session, programme_session, amelie.id, NOW, PARIS, booked_by=counsellor.id
    )
    assert len(await queued(session, prefix="ics:")) == 2
    assert len(await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)) == 3


async def test_two_changes_in_the_same_second_are_two_notices(session) -> None:
    programme_session = await published(session)
    amelie = await add_person(session, 1)
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await sessions.change_session(
        session, programme_session, {"url": "https://meet.example/a"}, NOW, PARIS
    )
    await sessions.change_session(
        session, programme_session, {"url": "https://meet.example/b"}, NOW, PARIS
    )
    notices = await queued(session, prefix="changed:")
    assert [row.payload["vars"]["what"][0]["vars"]["url"] for row in notices] == [
        "https://meet.example/a",
        "https://meet.example/b",
    ]
    # The reminders follow the last version only.
    pending = await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)
    assert {row.payload["vars"]["url"] for row in pending} == {"https://meet.example/b"}


async def test_publishing_again_invites_nobody_twice(session) -> None:
    programme_session = await published(session)
    await add_person(session, 1)
    await sessions.publish(session, programme_session, NOW, PARIS)
    await sessions.publish(session, programme_session, NOW, PARIS)
    assert len(await queued(session, prefix="invite:")) == 1


async def test_a_late_seat_gets_the_link_at_once(session) -> None:
    programme_session = await published(session, starts_in=timedelta(minutes=40))
    programme_session.cutoff_hours = 0
    amelie = await add_person(session, 1)
    await sessions.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    [link] = await queued(session, prefix="reminder:")
    assert link.payload["key"] == "reminder-now" and link.payload["link_preview"] is False
    assert link.payload["vars"]["url"] == "https://meet.example/vv"
    assert link.not_before.replace(tzinfo=UTC) == NOW


# --- vacancies -----------------------------------------------------------------------------


async def test_interest_again_after_not_for_me_is_a_new_lead_but_a_double_tap_is_not(
    session,
) -> None:
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    vacancy = await add_vacancy(session, 1)
    await alerts.express_interest(session, amelie, vacancy, NOW)
    await alerts.express_interest(session, amelie, vacancy, NOW)  # a double tap
    await alerts.answer(session, amelie, vacancy, "not_for_me", NOW)
    again = await alerts.express_interest(session, amelie, vacancy, NOW)
    assert again.first_time
    leads = await queued(session, prefix=keys.about_person(amelie.id))
    assert [row.dedupe_key for row in leads] == [
        keys.lead(amelie.id, vacancy.id, counsellor.id, 1),
        keys.lead(amelie.id, vacancy.id, counsellor.id, 2),
    ]


async def test_the_digest_runs_once_a_day(session) -> None:
    await add_person(session, 1, mode="daily")
    await add_vacancy(session, 1)
    assert await alerts.send_digests(session, "daily", NOW, PARIS) == 1
    await add_vacancy(session, 2)
    assert await alerts.send_digests(session, "daily", NOW, PARIS) == 0


# --- desk, outcomes, broadcasts --------------------------------------------------------------


async def test_a_second_ticket_is_closed_and_told_again(session) -> None:
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    for hour in (0, 1):
        opened = await tickets.open_ticket(
            session, amelie, "question", NOW + timedelta(hours=hour), PARIS
        )
        await tickets.close_ticket(session, opened.ticket, NOW + timedelta(hours=hour))
        await tickets.tell_participant(
            session,
            amelie,
            dedupe_key=keys.ticket(opened.ticket.id, "closed"),
            key="esc-closed-by-staff",
            variables={"name": "Karim"},
        )
    assert len(await queued(session, prefix="ticket:")) == 2


async def test_each_job_report_reaches_the_counsellor(session) -> None:
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    await outcomes.report_job(session, amelie, None, None, NOW)
    await outcomes.report_job(session, amelie, "Agristo", None, NOW + timedelta(minutes=5))
    reports = await queued(session, prefix=keys.about_person(amelie.id))
    assert [row.payload["vars"]["employer"] for row in reports] == [
        {"key": "out-not-said"},
        "Agristo",
    ]


async def test_the_same_text_broadcast_twice_reaches_everyone_twice(session) -> None:
    coordinator = Staff(
        telegram_id=9300, role=Role.COORDINATOR, name="Coordination", referral_code="c1"
    )
    session.add(coordinator)
    await add_person(session, 1)
    await session.flush()
    for _ in range(2):
        broadcast = await broadcasts.create(session, coordinator, "everyone", None, "Bonjour")
        await broadcasts.send(session, broadcast, NOW)
    assert len(await queued(session, prefix="broadcast:")) == 2


# --- the rule itself -------------------------------------------------------------------------


def test_every_outbox_key_is_spelled_by_the_keys_module() -> None:
    """A key written by hand is how two sides drift apart (a seat taken again lost its
    reminders that way): producers call `bot.services.keys`."""
    by_hand = re.compile(r"dedupe_key\s*=\s*f?[\"']")
    root = Path(__file__).resolve().parents[2] / "bot"
    offenders = [
        str(path.relative_to(root.parent))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and "sandbox" not in path.parts
        and by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


async def test_a_seat_booked_by_staff_is_announced_to_the_person_once_per_seat(session) -> None:
    programme_session = await published(session)
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    for _ in range(2):
        await sessions.take_seat(
            session, programme_session, amelie.id, NOW, PARIS, booked_by=counsellor.id
        )
        await sessions.give_back(session, programme_session, amelie.id, NOW, PARIS)
    told = await queued(session, prefix="booked_for:")
    assert [row.dedupe_key for row in told] == [
        keys.seat_notice("booked_for", programme_session.id, amelie.id, 1),
        keys.seat_notice("booked_for", programme_session.id, amelie.id, 2),
    ]
    assert told[0].payload["key"] == "session-booked-for"
