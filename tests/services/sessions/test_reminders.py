"""Reminders of a booked session: when they go, what they say, and how they follow changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import Booking, OutboxMessage, OutboxStatus, ProgrammeSession, SessionStatus
from bot.delivery.outbox import message_payload
from bot.delivery.sender import render
from bot.i18n import build_core
from bot.services.sessions import reminders

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 3, 13, 30, tzinfo=UTC)  # Thursday 14:30 in Paris


async def add_session(session, starts_at: datetime = STARTS) -> ProgrammeSession:
    programme_session = ProgrammeSession(
        kind="company_presentation",
        title_fr="Vlaamse Verpakking se présente",
        title_nl="Vlaamse Verpakking stelt zich voor",
        starts_at=starts_at,
        duration_min=60,
        url="https://meet.example/vv",
        capacity=10,
        status=SessionStatus.PUBLISHED,
    )
    session.add(programme_session)
    await session.flush()
    return programme_session


def seat(programme_session: ProgrammeSession, participant_id: int, number: int = 1) -> Booking:
    return Booking(session_id=programme_session.id, participant_id=participant_id, seat=number)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def pending(session) -> dict[str, datetime]:
    rows = await session.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.not_before).where(
            OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    return {key.rsplit(":", 1)[1]: aware(at) for key, at in rows}


async def test_three_reminders_three_days_one_day_and_one_hour_before(session) -> None:
    programme_session = await add_session(session)
    assert (
        await reminders.schedule_reminders(
            session, programme_session, seat(programme_session, 5), 1001, NOW, PARIS
        )
        == 3
    )
    assert await pending(session) == {
        "3d": STARTS - timedelta(days=3),
        "1d": STARTS - timedelta(days=1),
        "1h": STARTS - timedelta(hours=1),
    }


async def test_only_reminders_still_in_the_future_when_booking(session) -> None:
    programme_session = await add_session(session)
    two_days_before = STARTS - timedelta(days=2)
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 5), 1001, two_days_before, PARIS
    )
    assert set(await pending(session)) == {"1d", "1h"}


async def test_giving_back_the_seat_cancels_its_reminders(session) -> None:
    programme_session = await add_session(session)
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 5), 1001, NOW, PARIS
    )
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 6), 1002, NOW, PARIS
    )
    assert await reminders.cancel_reminders(session, seat(programme_session, 5)) == 3
    rows = (await session.scalars(select(OutboxMessage))).all()
    assert {r.chat_id for r in rows if r.status == OutboxStatus.PENDING} == {1002}


async def test_a_new_version_replaces_the_reminders_of_the_old_one(session) -> None:
    programme_session = await add_session(session)
    two_days_before = STARTS - timedelta(days=2)
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 5), 1001, two_days_before, PARIS
    )
    # Moved a week later: the 3-day reminder, past at booking, is now in the future.
    programme_session.starts_at = STARTS + timedelta(days=7)
    programme_session.sequence = 1
    assert await reminders.cancel_session_reminders(session, programme_session.id) == 2
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 5), 1001, two_days_before, PARIS
    )
    assert await pending(session) == {
        "3d": STARTS + timedelta(days=4),
        "1d": STARTS + timedelta(days=6),
        "1h": STARTS + timedelta(days=7, hours=-1),
    }


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "jeudi 3 décembre à 14:30"),
        ("nl", "donderdag 3 december om 14:30"),
    ],
)
async def test_the_last_reminder_is_personal_with_the_link(session, locale, expected) -> None:
    programme_session = await add_session(session)
    await reminders.schedule_reminders(
        session, programme_session, seat(programme_session, 5), 1001, NOW, PARIS
    )
    row = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.endswith(":1h"))
    )
    payload = row.payload
    text, markup = render(
        build_core(),
        message_payload(payload["key"], payload["vars"], payload["buttons"]),
        locale,
    )
    assert expected in text and "https://meet.example/vv" in text
    assert [b.callback_data for b in markup.inline_keyboard[0]] == [
        f"ses:here:{programme_session.id}:",
        f"ses:cancel:{programme_session.id}:",
    ]
