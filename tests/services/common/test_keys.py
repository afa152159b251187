"""What makes two outbox messages "the same": each kind repeated, and what the person gets.

The outbox drops a message whose key was used before, so each repeat below says whether it
is a duplicate (nothing more is queued) or news (a message of its own)."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import Booking, OutboxMessage, OutboxStatus, Role, SessionStatus, Staff
from bot.delivery.outbox import undelivered
from bot.services.broadcasts import keys as broadcast_keys
from bot.services.broadcasts import sending as broadcasts
from bot.services.desk import keys as desk_keys
from bot.services.desk import tickets
from bot.services.outcomes import keys as outcome_keys
from bot.services.outcomes import records as outcomes
from bot.services.participants import keys as person_keys
from bot.services.sessions import audience, seating, staff_changes
from bot.services.sessions import keys as session_keys
from bot.services.vacancies import alerts
from bot.services.vacancies import keys as vacancy_keys
from tests.helpers.people import add_person
from tests.helpers.sessions import a_session
from tests.helpers.vacancies import add_vacancy

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
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    first = {row.dedupe_key for row in await queued(session, prefix="reminder:")}
    await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)
    assert await queued(session, prefix="reminder:", status=OutboxStatus.PENDING) == []

    later = NOW + timedelta(hours=1)
    await seating.take_seat(session, programme_session, amelie.id, later, PARIS)

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
        await seating.take_seat(session, programme_session, person.id, NOW, PARIS)
    await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)
    pending = await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)
    assert {row.chat_id for row in pending} == {5002} and len(pending) == 3


async def test_a_seat_given_again_from_the_waitlist_is_announced_again(session) -> None:
    programme_session = await published(session, capacity=1)
    amelie, bruno = await add_person(session, 1), await add_person(session, 2)
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await seating.take_seat(session, programme_session, bruno.id, NOW, PARIS)
    await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)  # Bruno's
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)  # waits
    await seating.give_back(session, programme_session, bruno.id, NOW, PARIS)  # Amélie's
    await seating.take_seat(session, programme_session, bruno.id, NOW, PARIS)  # waits
    await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)  # Bruno's again

    told = await queued(session, prefix=f"promoted:{programme_session.id}:{bruno.id}:")
    assert [row.dedupe_key for row in told] == [
        session_keys.seat_promoted(programme_session.id, bruno.id, 1),
        session_keys.seat_promoted(programme_session.id, bruno.id, 2),
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
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)
    await seating.take_seat(
        session, programme_session, amelie.id, NOW, PARIS, booked_by=counsellor.id
    )
    assert len(await queued(session, prefix="ics:")) == 2
    assert len(await queued(session, prefix="reminder:", status=OutboxStatus.PENDING)) == 3


async def test_two_changes_in_the_same_second_are_two_notices(session) -> None:
    programme_session = await published(session)
    amelie = await add_person(session, 1)
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)
    await staff_changes.change_session(
        session, programme_session, {"url": "https://meet.example/a"}, NOW, PARIS
    )
    await staff_changes.change_session(
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
    await audience.publish(session, programme_session, NOW, PARIS)
    await audience.publish(session, programme_session, NOW, PARIS)
    assert len(await queued(session, prefix="invite:")) == 1


async def test_a_late_seat_gets_the_link_at_once(session) -> None:
    programme_session = await published(session, starts_in=timedelta(minutes=40))
    programme_session.cutoff_hours = 0
    amelie = await add_person(session, 1)
    await seating.take_seat(session, programme_session, amelie.id, NOW, PARIS)
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
    leads = await queued(session, prefix=person_keys.about_person(amelie.id))
    assert [row.dedupe_key for row in leads] == [
        vacancy_keys.lead(amelie.id, vacancy.id, counsellor.id, 1),
        vacancy_keys.lead(amelie.id, vacancy.id, counsellor.id, 2),
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
            dedupe_key=desk_keys.ticket(opened.ticket.id, "closed"),
            key="esc-closed-by-staff",
            variables={"name": "Karim"},
        )
    assert len(await queued(session, prefix="ticket:")) == 2


async def test_each_job_report_reaches_the_counsellor(session) -> None:
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    await outcomes.report_job(session, amelie, None, None, NOW)
    await outcomes.report_job(session, amelie, "Agristo", None, NOW + timedelta(minutes=5))
    reports = await queued(session, prefix=person_keys.about_person(amelie.id))
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


# The keywords whose value is an outbox key or a campaign.
KEY_KEYWORDS = {"dedupe_key", "campaign_id"}


def _by_hand(value: ast.expr, assigned: dict[str, list[ast.expr]]) -> bool:
    """A string literal, an f-string, a concatenation or `.format` with one: a key spelled
    on the spot. A local name counts by what it was assigned in the same function."""
    if isinstance(value, ast.Name):
        return any(_by_hand(v, {}) for v in assigned.get(value.id, []))
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if isinstance(value, ast.BinOp):
        return _by_hand(value.left, assigned) or _by_hand(value.right, assigned)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return value.func.attr == "format" and _by_hand(value.func.value, assigned)
    return False


def _keys_by_hand(tree: ast.AST) -> list[int]:
    """Lines where an outbox key, a prefix cancelled or looked up, or a campaign is spelled
    by hand: `dedupe_key=`/`campaign_id=`, `cancel(…)`/`cancel_prefix(…)`, and
    `….dedupe_key.startswith/like(…)`."""
    lines = []
    scopes = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for scope in [tree, *scopes]:
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg in KEY_KEYWORDS]
            func = node.func
            if isinstance(func, ast.Name) and func.id == "cancel_prefix" and node.args:
                values.append(node.args[-1])
            elif isinstance(func, ast.Attribute) and node.args:
                owner = ast.unparse(func.value)
                if func.attr in {"cancel", "cancel_prefix"} and owner == "outbox":
                    values.append(node.args[-1])
                elif func.attr in {"startswith", "like"} and owner.endswith("dedupe_key"):
                    values.append(node.args[0])
            lines += [node.lineno for value in values if _by_hand(value, assigned)]
    return sorted(set(lines))


def _offenders(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root.parent)}:{line}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts and "sandbox" not in path.parts
        for line in _keys_by_hand(ast.parse(path.read_text(encoding="utf-8")))
    ]


def test_every_outbox_key_is_spelled_by_its_areas_keys_module() -> None:
    """A key written by hand is how two sides drift apart (a seat taken again lost its
    reminders that way): producers, cancels by prefix and campaigns call the functions of
    `bot/services/<area>/keys.py`."""
    assert _offenders(Path(__file__).resolve().parents[3] / "bot") == []


def test_the_rule_sees_a_key_spelled_by_hand() -> None:
    planted = """
async def f(session, pid, sid):
    await enqueue(session, 1, dedupe_key=f"invite:{sid}:{pid}", key="k")
    prefix = "reminder:" + str(sid)
    await cancel_prefix(session, prefix)
    query.where(OutboxMessage.dedupe_key.startswith(f"lead:{pid}:"))
    await enqueue(session, 1, dedupe_key=keys.session_invite(sid, pid), campaign_id="s:1")
    await cancel_prefix(session, keys.seat_reminders(sid))
"""
    assert _keys_by_hand(ast.parse(planted)) == [3, 5, 6, 7]


def test_the_keys_stay_byte_for_byte() -> None:
    """Keys are stored in the outbox: rows already there must still dedupe and cancel, so a
    key's spelling never changes."""
    at = datetime(2026, 11, 27, 10, 0, 1, 234500, tzinfo=UTC)
    day = date(2026, 11, 27)
    assert [
        session_keys.session_invite(3, 7),
        session_keys.session_invites(3),
        session_keys.seat_reminders(3),
        session_keys.seat_reminders(3, 7),
        session_keys.seat_reminders(3, 7, 2),
        session_keys.reminder(3, 7, 2, 5, "1h"),
        session_keys.calendar_file(3, 7, 2, 5),
        session_keys.seat_promoted(3, 7, 2),
        session_keys.seat_notice("booked_for", 3, 7, 2),
        session_keys.session_changed(3, 7, 5),
        session_keys.session_cancelled(3, 7),
        session_keys.session_feedback(3, 7),
        session_keys.session_campaign(3),
        vacancy_keys.vacancy_alert(7, 11),
        vacancy_keys.vacancy_campaign(11),
        vacancy_keys.digests("daily", day),
        vacancy_keys.digest("daily", day, 7),
        vacancy_keys.digest_campaign("weekly", day),
        vacancy_keys.lead(7, 11, 4, 2),
        person_keys.about_person(7),
        person_keys.counsellor_change(7, None, 4, at),
        person_keys.follow_staff_notice(7, "7:0-4-x", 4),
        person_keys.follow_participant_notice("7:0-4-x"),
        person_keys.participant_erased(7, 4),
        person_keys.join_invite(7, 3),
        outcome_keys.job_reported(7, 13, 4, at),
        outcome_keys.job_confirmed(13),
        desk_keys.ticket(17, "desk-backup"),
        desk_keys.ticket_messages(17),
        desk_keys.relayed(7, "staff4", 845, "participant"),
        undelivered("lead:7:copy:staff4:845:participant"),
        broadcast_keys.broadcast_campaign(19),
        broadcast_keys.broadcast_message(19, 7),
        broadcast_keys.broadcast_report(19),
    ] == [
        "invite:3:7",
        "invite:3:",
        "reminder:3:",
        "reminder:3:7:",
        "reminder:3:7:2:",
        "reminder:3:7:2:5:1h",
        "ics:3:7:2:5",
        "promoted:3:7:2",
        "booked_for:3:7:2",
        "changed:3:7:5",
        "cancelled:3:7",
        "feedback:3:7",
        "session:3",
        "alert:7:11",
        "vacancy:11",
        "digest:daily:2026-11-27:",
        "digest:daily:2026-11-27:7",
        "digest:weekly:2026-11-27",
        "lead:7:11:4:2",
        "lead:7:",
        "7:0-4-20261127100001234500",
        "lead:7:follow:7:0-4-x:4",
        "follow:7:0-4-x",
        "erased:7:4",
        "lead:7:join:3",
        f"lead:7:outcome:13:4:{at.timestamp():.6f}",
        "outcome-confirmed:13",
        "ticket:17:desk-backup",
        "ticket:17:",
        "lead:7:copy:staff4:845:participant",
        "lead:7:copy:staff4:845:participant:undelivered",
        "broadcast:19",
        "broadcast:19:7",
        "broadcast-report:19",
    ]


async def test_a_seat_booked_by_staff_is_announced_to_the_person_once_per_seat(session) -> None:
    programme_session = await published(session)
    counsellor = await karim(session)
    amelie = await add_person(session, 1, counsellor=counsellor)
    for _ in range(2):
        await seating.take_seat(
            session, programme_session, amelie.id, NOW, PARIS, booked_by=counsellor.id
        )
        await seating.give_back(session, programme_session, amelie.id, NOW, PARIS)
    told = await queued(session, prefix="booked_for:")
    assert [row.dedupe_key for row in told] == [
        session_keys.seat_notice("booked_for", programme_session.id, amelie.id, 1),
        session_keys.seat_notice("booked_for", programme_session.id, amelie.id, 2),
    ]
    assert told[0].payload["key"] == "session-booked-for"
