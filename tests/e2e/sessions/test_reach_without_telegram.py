"""People who never open Telegram are reached by SMS or e-mail: invited, booked by their
counsellor, reminded 3 days, 1 day and 1 hour before, told when the session moves; after STOP,
nothing more. The whole bot runs (polling the sandbox, the outbox on its clock); the SMS
provider is Brevo's HTTP API on a local stub, the mail server aiosmtpd."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.db.models import OutboxMessage, Participant, ProgrammeSession, Role, Staff
from bot.demo import midday_zone
from bot.services.sessions import audience, keys
from bot.web.server import Server, operations_app
from tests.helpers import say
from tests.helpers.people import add_person
from tests.helpers.sessions import add_session

TITLE = "Vlaamse Verpakking se présente"
PHONE, EMAIL = "+33612345678", "lea@example.org"
AGREED = datetime(2026, 11, 30, tzinfo=UTC)
HOOK_TOKEN = "hook-token-e2e"
LEA = "Person1 · P1"  # her label on the counsellor's screens: name · reference


@pytest.fixture
def settings(settings, sms_stub, smtp_stub):
    # The outbox ticks fast, at midday (SMS keep the quiet hours).
    return settings.model_copy(
        update={
            "outbox_tick_s": 0.2,
            "sla_tick_s": 0.5,
            "tz": midday_zone(),
            "sms_provider": "brevo",
            "sms_api_url": sms_stub.url,
            "sms_api_key": SecretStr("brevo-key"),
            "sms_hook_token": SecretStr(HOOK_TOKEN),
            "smtp_host": smtp_stub.host,
            "smtp_port": smtp_stub.port,
            "smtp_starttls": False,
            "mail_from": "bot@enavant.example",
        }
    )


@pytest.fixture
def tz(settings) -> ZoneInfo:
    return ZoneInfo(settings.tz)


@pytest.fixture
def karim(sandbox):
    return sandbox.user(9100, "Karim")


@pytest.fixture
async def hooks(bot_app):
    """The bot's public routes (the SMS provider's hooks) on a port of their own, as
    HEALTH_PORT serves them in polling mode."""
    server = Server(operations_app({}, bot_app.public_routes))
    await server.start("127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.port}"
    await server.stop()


async def seed(sessionmaker, *, phone=True, email=False) -> int:
    """Karim, Lille's counsellor; Léa, imported from his caseload with the contacts she
    agreed to be reached at, who never opened the bot."""
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k")
        )
        lea = await add_person(session, 1, on_telegram=False, consent=False)
        lea.locale = "fr"
        if phone:
            lea.phone, lea.phone_consent_at = PHONE, AGREED
        if email:
            lea.email, lea.email_consent_at = EMAIL, AGREED
        await session.commit()
        return lea.id


async def publish(sessionmaker, tz, starts_in=timedelta(days=7)) -> int:
    async with sessionmaker() as session:
        sid = await add_session(session, starts_in=starts_in, territories=["LRT"], status="draft")
        programme_session = await session.get(ProgrammeSession, sid)
        await audience.publish(session, programme_session, datetime.now(UTC), tz)
        await session.commit()
        return sid


async def arrived(stub_texts, count: int, timeout: float = 20.0) -> list:  # noqa: ASYNC109
    """The texts a stub holds once there are `count` of them (or what came by `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(stub_texts()) < count and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return stub_texts()


async def press(user, text, message):
    await user.press(text, message_id=message.message_id)
    return (await user.replies())[-1]


async def open_session(karim, title=TITLE):
    """/mysessions, then the session's button: the session's screen."""
    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    [button] = [b for b in listing.button_texts() if title in b]
    await karim.press(button, message_id=listing.message_id)
    return (await karim.replies())[-1]


async def book_for_lea(karim):
    """Karim books a seat for Léa from the session's screen, as after a phone call."""
    await press(karim, say("desk-button-book"), await open_session(karim))
    await karim.send_text("person1")
    choices = (await karim.replies())[-1]
    return await press(karim, LEA, choices)


async def test_someone_only_on_sms_is_invited_booked_reminded_told_of_a_move_and_can_stop(
    bot_app, karim, sms_stub, clock, hooks, sessionmaker, tz
) -> None:
    lea = await seed(sessionmaker)
    sid = await publish(sessionmaker, tz)
    sms = lambda: sms_stub.texts_to(PHONE)  # noqa: E731

    [invitation] = await arrived(sms, 1)
    assert TITLE in invitation and "En Avant" in invitation
    assert invitation.splitlines()[-1] == say("sms-stop")

    done = await book_for_lea(karim)
    assert say("desk-book-confirmed", label=LEA) in done.text
    confirmation = (await arrived(sms, 2))[1]
    assert TITLE in confirmation and "Karim" in confirmation

    # Karim moves it one hour later: she gets the new time.
    await press(karim, say("desk-button-time"), await open_session(karim))
    async with sessionmaker() as session:
        old = (await session.get(ProgrammeSession, sid)).starts_at
    new_start = old.astimezone(tz) + timedelta(hours=1)
    await karim.send_text(new_start.strftime("%d/%m/%Y %H:%M"))
    confirm = (await karim.replies())[-1]
    await press(karim, say("desk-button-confirm"), confirm)
    moved = (await arrived(sms, 3))[2]
    assert new_start.strftime("%H:%M") in moved

    # The reminders come at their times: 3 days, 1 day, then 1 hour before, with the link.
    starts = new_start.astimezone(UTC)
    for count, before in ((4, timedelta(days=3)), (5, timedelta(days=1)), (6, timedelta(hours=1))):
        clock.advance(starts - before - clock() + timedelta(minutes=1))
        assert len(await arrived(sms, count)) == count
    hour_before = sms()[5]
    assert "https://meet.example" in hour_before
    async with sessionmaker() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.participant_id == lea))
        ).all()
    assert {r.channel for r in rows if r.status == "sent"} == {"sms"}
    assert all(r.segments and r.segments <= 2 for r in rows if r.channel == "sms")

    # She answers STOP: the session's cancellation does not reach her any more.
    url = f"{hooks}/sms/brevo/{HOOK_TOKEN}/inbound"
    assert (await sms_stub.post_reply(url, PHONE, "STOP", provider="brevo")).status == 200
    async with sessionmaker() as session:
        assert (await session.get(Participant, lea)).sms_stopped_at is not None
    confirm = await press(karim, say("desk-button-cancel"), await open_session(karim))
    done = await press(karim, say("desk-button-cancel-yes"), confirm)
    assert say("desk-cancelled") in done.text
    await asyncio.sleep(2)  # a few outbox ticks
    assert len(sms()) == 6
    async with sessionmaker() as session:
        cancelled = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.dedupe_key == keys.session_cancelled(sid, lea)
            )
        )
    assert cancelled is None or cancelled.status != "sent"  # not even queued: she said STOP


async def test_someone_reached_by_e_mail_gets_the_invitation_and_the_calendar_file(
    bot_app, karim, smtp_stub, clock, sessionmaker, tz
) -> None:
    await seed(sessionmaker, phone=False, email=True)
    await publish(sessionmaker, tz)
    mails = lambda: smtp_stub.to(EMAIL)  # noqa: E731
    [invitation] = await arrived(mails, 1)
    assert TITLE in invitation.subject and TITLE in invitation.text

    await book_for_lea(karim)
    got = await arrived(mails, 3)
    calendar = [m for m in got if m.attachments]
    assert calendar, [m.subject for m in got]
    [ics] = calendar[0].attachments
    assert ics.filename.endswith(".ics") and b"BEGIN:VCALENDAR" in ics.content
    assert all(m.to == EMAIL for m in got)
    assert any("Karim" in m.text for m in got)  # who booked it for her
