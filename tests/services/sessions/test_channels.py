"""People not on Telegram (issue 16): an imported participant with a phone or an e-mail
they agreed to is invited, and what their counsellor books for them (the notice, the
calendar file, the reminders, a change, a cancellation) is queued for them as a participant,
so the sender can take SMS or e-mail. Checked on the rows the outbox holds."""

from __future__ import annotations

import base64
from datetime import UTC, timedelta

from sqlalchemy import select

from bot.db.models import Attendance, OutboxMessage, Role, SessionStatus, Staff, User
from bot.services.participants import invites
from bot.services.participants import keys as person_keys
from bot.services.sessions import after_session, audience, keys, seating, staff_changes
from tests.helpers.people import PARIS, TUESDAY_10H, add_person
from tests.helpers.sessions import NOW, a_session

CONSENTED = TUESDAY_10H - timedelta(days=30)


async def rows(session, prefix: str = "") -> list[OutboxMessage]:
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


async def imported(session, n: int, *, phone: bool = True, email: bool = False, **extra):
    """Someone a counsellor imported, never on Telegram, with the contacts they agreed to."""
    person = await add_person(session, n, on_telegram=False, consent=False, **extra)
    if phone:
        person.phone, person.phone_consent_at = f"+3361234567{n}", CONSENTED
    if email:
        person.email, person.email_consent_at = f"person{n}@example.org", CONSENTED
    await session.flush()
    return person


async def karim(session) -> Staff:
    member = Staff(
        telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
    )
    session.add(member)
    await session.flush()
    return member


async def test_an_imported_person_with_a_consented_phone_or_e_mail_is_invited(session) -> None:
    on_telegram = await add_person(session, 1)
    by_sms = await imported(session, 2)
    by_mail = await imported(session, 3, phone=False, email=True)
    await imported(session, 4, phone=False)  # no contact at all
    stopped = await imported(session, 5)
    stopped.sms_stopped_at = CONSENTED  # answered STOP
    unconsented = await imported(session, 6, phone=False)
    unconsented.phone = "+33612345670"  # a number, but no consent recorded
    blocked = await add_person(session, 7, reachable=False)  # blocked the bot, gave an e-mail
    blocked.email, blocked.email_consent_at = "person7@example.org", CONSENTED
    await add_person(session, 8, reachable=False)  # blocked, nothing else
    await session.flush()
    programme_session = await a_session(session, territories=["LRT"])

    assert await audience.publish(session, programme_session, NOW, PARIS) == 4
    invited = {row.participant_id: row for row in await rows(session, "invite:")}
    assert set(invited) == {on_telegram.id, by_sms.id, by_mail.id, blocked.id}
    assert invited[on_telegram.id].chat_id == 5001
    assert invited[by_sms.id].chat_id is None and invited[by_mail.id].chat_id is None
    assert invited[blocked.id].chat_id == 5007  # the sender finds Telegram blocked: e-mail
    link = {"link": {"kind": "book", "session_id": programme_session.id}}
    assert all(row.payload["links"] == link for row in invited.values())
    assert invited[by_sms.id].dedupe_key == keys.session_invite(programme_session.id, by_sms.id)

    # The targeting holds for them as for anyone.
    other = await a_session(session, territories=["WAPI"])
    assert await audience.publish(session, other, NOW, PARIS) == 0


async def test_a_seat_booked_by_the_counsellor_brings_notice_file_and_reminders(session) -> None:
    counsellor = await karim(session)
    person = await imported(session, 1, counsellor=counsellor)
    person.locale = "nl"
    programme_session = await a_session(
        session, status=SessionStatus.PUBLISHED, title_nl="Vlaamse Verpakking stelt zich voor"
    )
    await seating.take_seat(
        session, programme_session, person.id, NOW, PARIS, booked_by=counsellor.id
    )

    queued = await rows(session)
    assert [row.dedupe_key for row in queued] == [
        keys.seat_notice("booked_for", programme_session.id, person.id, 1),
        keys.calendar_file(programme_session.id, person.id, 1, 0),
        *(keys.reminder(programme_session.id, person.id, 1, 0, w) for w in ("3d", "1d", "1h")),
    ]
    assert {(row.participant_id, row.chat_id) for row in queued} == {(person.id, None)}
    notice, ics = queued[:2]
    assert notice.payload["key"] == "session-booked-for"
    assert notice.payload["vars"]["name"] == "Karim"
    assert ics.kind == "document" and ics.payload["key"] == "session-ics"
    calendar = base64.b64decode(ics.payload["file"]["content_b64"])
    assert b"Vlaamse Verpakking stelt zich voor" in calendar  # in their language
    starts = programme_session.starts_at.replace(tzinfo=UTC)
    assert [row.not_before.replace(tzinfo=UTC) for row in queued[2:]] == [
        starts - timedelta(days=3),
        starts - timedelta(days=1),
        starts - timedelta(hours=1),
    ]


async def test_nobody_reachable_gets_no_rows(session) -> None:
    counsellor = await karim(session)
    person = await imported(session, 1, phone=False, counsellor=counsellor)
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    outcome = await seating.take_seat(
        session, programme_session, person.id, NOW, PARIS, booked_by=counsellor.id
    )
    assert outcome.position is None  # the seat is theirs: the counsellor tells them
    assert await rows(session) == []


async def test_a_session_moved_or_cancelled_tells_them(session) -> None:
    counsellor = await karim(session)
    person = await imported(session, 1, email=True, counsellor=counsellor)
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    await seating.take_seat(
        session, programme_session, person.id, NOW, PARIS, booked_by=counsellor.id
    )
    later = programme_session.starts_at.replace(tzinfo=UTC) + timedelta(days=1)

    await staff_changes.change_session(session, programme_session, {"starts_at": later}, NOW, PARIS)
    [changed] = await rows(session, "changed:")
    assert (changed.participant_id, changed.chat_id) == (person.id, None)
    assert changed.payload["key"] == "session-changed"
    [updated] = await rows(session, keys.calendar_file(programme_session.id, person.id, 1, 1))
    assert updated.payload["key"] == "session-ics-updated"
    moved = [r for r in await rows(session, "reminder:") if r.status == "pending"]
    assert {r.dedupe_key.split(":")[-2] for r in moved} == {"1"}  # the new version
    assert {r.participant_id for r in moved} == {person.id}

    assert await staff_changes.cancel_session(session, programme_session, NOW, PARIS) == 1
    [cancelled] = await rows(session, "cancelled:")
    assert (cancelled.participant_id, cancelled.chat_id) == (person.id, None)
    [removed] = await rows(session, keys.calendar_file(programme_session.id, person.id, 1, 2))
    assert removed.payload["key"] == "session-ics-cancelled"


async def test_a_seat_from_the_waitlist_is_told_by_sms(session) -> None:
    first = await add_person(session, 1)
    waiting = await imported(session, 2)
    programme_session = await a_session(session, capacity=1, status=SessionStatus.PUBLISHED)
    programme_session.cutoff_hours = 2
    await seating.take_seat(session, programme_session, first.id, NOW, PARIS)
    await seating.take_seat(session, programme_session, waiting.id, NOW, PARIS)
    await seating.give_back(session, programme_session, first.id, NOW, PARIS)
    [promoted] = await rows(session, "promoted:")
    assert (promoted.participant_id, promoted.chat_id) == (waiting.id, None)


async def test_feedback_is_asked_of_those_present_whatever_their_channel(session) -> None:
    person = await imported(session, 1, phone=False, email=True)
    programme_session = await a_session(session, status=SessionStatus.PUBLISHED)
    await seating.take_seat(session, programme_session, person.id, NOW, PARIS)
    [seat] = await after_session.attendance_sheet(session, programme_session.id)
    after = programme_session.starts_at.replace(tzinfo=UTC) + timedelta(hours=3)
    await after_session.mark_attendance(
        session, programme_session, seat[0], Attendance.ATTENDED, after
    )
    assert await after_session.confirm_attendance(session, programme_session, after, PARIS) == 1
    [asked] = await rows(session, "feedback:")
    assert (asked.participant_id, asked.chat_id) == (person.id, None)


async def test_the_invite_link_goes_to_those_not_on_telegram_once_per_link(session) -> None:
    by_sms = await imported(session, 1)
    await imported(session, 2, phone=False)  # no contact agreed: the counsellor hands it over
    joined = await add_person(session, 3)  # on Telegram already
    elsewhere = await imported(session, 4)
    elsewhere.territory = "WAPI"
    await session.flush()

    def link(payload: str) -> str:
        return f"https://t.me/EnAvantBot?start={payload}"

    assert await invites.send_invite_links(session, link, NOW, territory="LRT") == 1
    [row] = await rows(session)
    invite = await invites.current_invite(session, by_sms, NOW)
    assert row.dedupe_key == person_keys.join_invite(by_sms.id, invite.id)
    assert (row.participant_id, row.chat_id, row.payload["key"]) == (by_sms.id, None, "join-invite")
    assert row.payload["vars"]["url"] == f"https://t.me/EnAvantBot?start=inv_{invite.token}"
    assert row.payload["vars"]["until"]["fr"] == "27/12/2026"
    # Run again: the same link is not sent twice.
    assert await invites.send_invite_links(session, link, NOW, territory="LRT") == 0
    assert joined.user_id is not None
    user = await session.get(User, joined.user_id)
    assert user.telegram_id == 5003
