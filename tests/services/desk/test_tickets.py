"""Tickets: when the first answer is due, and what happens when it is late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import OutboxMessage, Role, Staff, TicketStatus
from bot.handlers.desk.callbacks import EscalationAction
from bot.services.desk import tickets
from tests.helpers.people import add_person

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """A time in December 2026 (1 December is a Tuesday), Paris wall clock."""
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


# --- the due time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (paris(1, 10, 30), paris(2, 10, 30)),  # Tuesday morning → Wednesday, same time
        (paris(4, 16), paris(7, 16)),  # Friday 16:00 → Monday 16:00
        (paris(5, 11), paris(7, 17)),  # Saturday → the whole of Monday
        (paris(6, 23), paris(7, 17)),  # Sunday night → the whole of Monday
        (paris(1, 20), paris(2, 17)),  # Tuesday evening → the whole of Wednesday
        (paris(1, 7), paris(1, 17)),  # Tuesday before 9:00 → that day, 17:00
        (paris(1, 17), paris(2, 17)),  # at closing time → the next working day
        (paris(1, 9), paris(1, 17)),  # at opening time → the same day, 17:00
    ],
)
def test_first_answer_is_due_one_working_day_later(opened: datetime, due: datetime) -> None:
    assert tickets.first_answer_due(opened.astimezone(UTC), PARIS) == due


def test_working_time_follows_the_wall_clock_across_a_dst_change() -> None:
    # Summer time starts on Sunday 29 March 2026: Monday 16:00 is an hour less after UTC.
    friday = datetime(2026, 3, 27, 16, 0, tzinfo=PARIS)
    due = tickets.first_answer_due(friday, PARIS)
    assert due.astimezone(PARIS) == datetime(2026, 3, 30, 16, 0, tzinfo=PARIS)
    assert due == datetime(2026, 3, 30, 14, 0, tzinfo=UTC)


def test_the_backup_is_due_four_working_hours_after_the_due_time() -> None:
    assert tickets.backup_due(paris(7, 16), PARIS) == paris(8, 12)  # Monday 16 → Tuesday 12
    assert tickets.backup_due(paris(1, 12), PARIS) == paris(1, 16)


def test_due_text_names_the_day_and_time_in_both_languages() -> None:
    assert tickets.due_text(paris(7, 16), PARIS) == {"fr": "lundi 16:00", "nl": "maandag 16:00"}


def test_staff_buttons_are_escalation_actions() -> None:
    [[reply, close]] = tickets.staff_buttons(12)
    assert EscalationAction.unpack(reply.callback_data) == EscalationAction(
        action="reply", ticket_id=12
    )
    assert EscalationAction.unpack(close.callback_data).action == "sclose"


# --- a ticket's life ----------------------------------------------------------------------


async def add_cet(session, telegram_id: int, name: str, **extra) -> Staff:
    member = Staff(
        telegram_id=telegram_id,
        role=extra.pop("role", Role.CET),
        territory="LRT",
        name=name,
        referral_code=f"code{telegram_id}",
        **extra,
    )
    session.add(member)
    await session.flush()
    return member


async def karim_sophie_amelie(session):
    """Karim follows Amélie (Person1); Sophie is his backup."""
    sophie = await add_cet(session, 9200, "Sophie")
    karim = await add_cet(session, 9100, "Karim", backup_id=sophie.id)
    amelie = await add_person(session, 1, counsellor=karim, telegram_id=1001)
    return karim, sophie, amelie


OPENED = paris(1, 10, 30).astimezone(UTC)  # Tuesday 10:30 → due Wednesday 10:30
DUE = paris(2, 10, 30).astimezone(UTC)
BACKUP = paris(2, 14, 30).astimezone(UTC)


async def outbox(session) -> dict[str, OutboxMessage]:
    rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return {row.dedupe_key: row for row in rows}


async def test_a_new_request_goes_to_the_counsellor_and_a_second_reuses_it(session) -> None:
    karim, _, amelie = await karim_sophie_amelie(session)
    opened = await tickets.open_ticket(session, amelie, "mobility", OPENED, PARIS)
    assert opened.created
    assert opened.ticket.counsellor_id == karim.id
    assert opened.ticket.due_at == DUE
    again = await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)
    assert not again.created and again.ticket.id == opened.ticket.id
    assert again.ticket.topic == "mobility"


async def test_the_participant_is_told_once_per_burst(session) -> None:
    _, _, amelie = await karim_sophie_amelie(session)
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    at = OPENED + timedelta(minutes=1)
    assert tickets.participant_wrote(ticket, amelie, at)
    assert not tickets.participant_wrote(ticket, amelie, at + timedelta(minutes=2))
    assert not tickets.participant_wrote(ticket, amelie, at + timedelta(minutes=11))
    assert tickets.participant_wrote(ticket, amelie, at + timedelta(minutes=30))


async def test_a_staff_answer_makes_it_wait_and_a_new_message_reopens_it(session) -> None:
    karim, _, amelie = await karim_sophie_amelie(session)
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    later = OPENED + timedelta(hours=1)
    await tickets.staff_answered(session, amelie, karim, later)
    assert (ticket.status, ticket.first_answer_at, ticket.first_answer_by) == (
        TicketStatus.WAITING,
        later,
        karim.id,
    )
    tickets.participant_wrote(ticket, amelie, later + timedelta(hours=1))
    assert ticket.status == TicketStatus.OPEN
    await tickets.staff_answered(session, amelie, karim, later + timedelta(hours=2))
    assert ticket.first_answer_at == later  # the first answer stays the first


async def test_closing_twice_closes_once(session) -> None:
    _, _, amelie = await karim_sophie_amelie(session)
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    assert await tickets.close_ticket(session, ticket, OPENED)
    assert not await tickets.close_ticket(session, ticket, OPENED)
    assert await tickets.active_ticket(session, amelie.id) is None


# --- deadlines ----------------------------------------------------------------------------


async def test_a_late_ticket_nudges_the_counsellor_then_goes_to_the_backup(session) -> None:
    karim, sophie, amelie = await karim_sophie_amelie(session)
    ticket = (await tickets.open_ticket(session, amelie, "contract", OPENED, PARIS)).ticket

    assert await tickets.check_deadlines(session, DUE - timedelta(minutes=1), PARIS) == 0
    assert await outbox(session) == {}

    assert await tickets.check_deadlines(session, DUE, PARIS) == 1
    nudge = (await outbox(session))[f"ticket:{ticket.id}:nudge"]
    assert nudge.chat_id == karim.telegram_id and nudge.payload["key"] == "esc-nudge"
    assert nudge.payload["vars"]["label"] == "Person1 · P1 · LRT"
    assert nudge.payload["buttons"][0][0]["callback_data"] == f"esc:reply:{ticket.id}:"
    assert ticket.nudged_at == DUE and ticket.counsellor_id == karim.id

    assert await tickets.check_deadlines(session, BACKUP - timedelta(minutes=1), PARIS) == 0
    assert await tickets.check_deadlines(session, BACKUP, PARIS) == 1
    await session.refresh(ticket)
    assert (ticket.counsellor_id, ticket.escalated_at) == (sophie.id, BACKUP)
    sent = await outbox(session)
    request = sent[f"ticket:{ticket.id}:backup"]
    assert request.chat_id == sophie.telegram_id
    assert request.payload["vars"]["counsellor"] == "Karim"
    assert request.payload["vars"]["topic"] == {"key": "esc-topic-contract"}
    told = sent[f"ticket:{ticket.id}:handed"]
    assert told.chat_id == 1001 and told.payload["vars"] == {"name": "Sophie"}


async def test_deadlines_act_once_however_often_they_run(session) -> None:
    _, _, amelie = await karim_sophie_amelie(session)
    await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)
    late = BACKUP + timedelta(days=3)
    assert await tickets.check_deadlines(session, late, PARIS) == 2
    for _ in range(3):
        assert await tickets.check_deadlines(session, late, PARIS) == 0
    assert len(await outbox(session)) == 3  # nudge, backup request, participant told


async def test_an_away_counsellor_hands_over_at_once(session) -> None:
    karim, sophie, amelie = await karim_sophie_amelie(session)
    karim.away_until = date(2026, 12, 4)
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    assert await tickets.check_deadlines(session, OPENED + timedelta(minutes=1), PARIS) == 1
    await session.refresh(ticket)
    assert ticket.counsellor_id == sophie.id and ticket.nudged_at is None
    # At the due time the nudge goes to whoever answers now.
    assert await tickets.check_deadlines(session, DUE, PARIS) == 1
    assert (await outbox(session))[f"ticket:{ticket.id}:nudge"].chat_id == sophie.telegram_id


async def test_a_counsellor_back_from_leave_keeps_the_ticket(session) -> None:
    karim, _, amelie = await karim_sophie_amelie(session)
    karim.away_until = date(2026, 11, 30)  # back on Monday
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    assert await tickets.check_deadlines(session, OPENED + timedelta(minutes=1), PARIS) == 0
    assert ticket.counsellor_id == karim.id


async def test_without_a_backup_a_coordinator_takes_over(session) -> None:
    karim = await add_cet(session, 9100, "Karim", away_until=date(2026, 12, 31))
    coordinator = await add_cet(session, 9300, "Inès", role=Role.COORDINATOR)
    amelie = await add_person(session, 1, counsellor=karim, telegram_id=1001)
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    assert await tickets.check_deadlines(session, OPENED, PARIS) == 1
    await session.refresh(ticket)
    assert ticket.counsellor_id == coordinator.id


async def test_an_answered_ticket_is_never_nudged(session) -> None:
    karim, _, amelie = await karim_sophie_amelie(session)
    await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)
    await tickets.staff_answered(session, amelie, karim, OPENED + timedelta(hours=1))
    assert await tickets.check_deadlines(session, BACKUP + timedelta(days=5), PARIS) == 0
    assert await outbox(session) == {}


async def test_with_a_desk_the_handover_is_said_in_the_participants_topic(session) -> None:
    _, _, amelie = await karim_sophie_amelie(session)
    amelie.desk_thread_id = 77
    ticket = (await tickets.open_ticket(session, amelie, "question", OPENED, PARIS)).ticket
    await tickets.check_deadlines(session, BACKUP, PARIS, desk_chat_id=-1001)
    note = (await outbox(session))[f"ticket:{ticket.id}:desk-backup"]
    assert note.chat_id == -1001 and note.payload["vars"]["backup"] == "Sophie"
    assert note.payload["thread_id"] == 77
