"""A participant's message goes by the first channel that reaches them when it is sent: the
real sender, Brevo's HTTP API on a local stub, SMTP on aiosmtpd, Telegram on the sandbox."""

from __future__ import annotations

import collections
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import create_channels
from bot.config import Settings
from bot.db.models import OutboxMessage, OutboxStatus, Participant, User
from bot.delivery import outbox
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.demo import midday_zone
from bot.i18n import build_core
from tests.delivery.conftest import TOKEN, Now
from tests.helpers.outbox import bot_messages, kill_a_drain_midway
from tests.helpers.people import add_person
from tests.helpers.sms_stub import Fault

PHONE, EMAIL = "+33612345678", "lea@example.org"
AGREED = datetime(2026, 11, 30, tzinfo=UTC)
TITLE = {"fr": "Vlaamse Verpakking se présente", "nl": "Vlaamse Verpakking stelt zich voor"}
WHEN = {"fr": "jeudi 10 décembre à 14:00", "nl": "donderdag 10 december om 14:00"}
REMINDER = {"title": TITLE, "when": WHEN, "url": "https://meet.example/vv"}


@pytest.fixture
def channel_settings(sandbox, database_url, sms_stub, smtp_stub) -> Settings:
    return Settings(
        bot_token=TOKEN,
        telegram_api_url=sandbox.url,
        database_url=database_url,
        sms_provider="brevo",
        sms_api_url=sms_stub.url,
        sms_api_key="brevo-key",
        smtp_host=smtp_stub.host,
        smtp_port=smtp_stub.port,
        smtp_starttls=False,
        mail_from="bot@enavant.example",
        _env_file=None,
    )


class Midday(Now):
    """Real time moved to the next midday in Paris: outside the SMS quiet hours."""

    def __init__(self) -> None:
        super().__init__()
        real = super().__call__()
        midday = real.replace(hour=11, minute=0, second=0, microsecond=0)
        self.offset = (midday if midday > real else midday + timedelta(days=1)) - real


@pytest.fixture
def midday() -> Midday:
    return Midday()


@pytest.fixture
async def sender(sessionmaker, bot, midday, channel_settings):
    channels = create_channels(channel_settings)
    sender = OutboxSender(
        sessionmaker,
        bot,
        build_core(),
        SenderConfig(backoff_base_s=1.0, max_attempts=3, lease_s=60),
        clock=midday,
        channels=channels,
    )
    yield sender
    await sender.people.close()


async def person(sessionmaker, n: int = 1, *, on_telegram=False, phone=True, email=False, **more):
    async with sessionmaker() as session:
        participant = await add_person(session, n, on_telegram=on_telegram, **more)
        participant.locale = more.get("locale", "fr")  # recorded by the counsellor
        if phone:
            participant.phone, participant.phone_consent_at = PHONE, AGREED
        if email:
            participant.email, participant.email_consent_at = EMAIL, AGREED
        await session.commit()
        return participant.id


async def queue(sessionmaker, participant_id: int, key="reminder-1d", n=1, **extra) -> None:
    async with sessionmaker() as session:
        chat = await session.scalar(
            select(User.telegram_id)
            .join(Participant, Participant.user_id == User.id)
            .where(Participant.id == participant_id)
        )
        await outbox.enqueue(
            session,
            chat_id=chat,
            participant_id=participant_id,
            dedupe_key=f"test:{participant_id}:{n}",
            key=key,
            variables=extra.pop("variables", REMINDER),
            **extra,
        )
        await session.commit()


async def rows(sessionmaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_someone_not_on_telegram_gets_the_sms_text_with_the_opt_out(
    sessionmaker, sender, sms_stub
) -> None:
    pid = await person(sessionmaker)
    await queue(sessionmaker, pid)
    await sender.send_due()
    [sms] = sms_stub.to(PHONE)
    assert "Vlaamse Verpakking se présente" in sms.text
    assert "STOP" in sms.text.splitlines()[-1]
    assert "<" not in sms.text and "\u2068" not in sms.text  # plain text, no isolation marks
    [row] = await rows(sessionmaker)
    assert (row.status, row.channel, row.provider_ref) == (OutboxStatus.SENT, "sms", sms.ref)
    assert row.segments == sms.segments >= 1


async def test_who_blocked_the_bot_gets_the_same_message_by_sms_and_the_next_one_too(
    sessionmaker, sender, meet, sms_stub
) -> None:
    await (await meet(5001)).block()
    pid = await person(sessionmaker, on_telegram=True, telegram_id=5001)
    await queue(sessionmaker, pid, n=1)
    await sender.send_due()
    await queue(sessionmaker, pid, n=2)
    await sender.send_due()
    assert len(sms_stub.to(PHONE)) == 2
    assert [r.channel for r in await rows(sessionmaker)] == ["sms", "sms"]
    async with sessionmaker() as session:
        assert await session.scalar(select(User.reachable).where(User.telegram_id == 5001)) is False


async def test_a_telegram_user_gets_telegram_and_no_sms(
    sessionmaker, sender, sandbox, meet, sms_stub
) -> None:
    await meet(5001)
    pid = await person(sessionmaker, on_telegram=True, telegram_id=5001)
    await queue(sessionmaker, pid)
    await sender.send_due()
    assert sms_stub.received == []
    [message] = bot_messages(sandbox, 5001)
    assert "Vlaamse Verpakking" in message.text
    assert (await rows(sessionmaker))[0].channel == "telegram"


async def test_a_message_without_an_sms_text_goes_by_e_mail_or_not_at_all(
    sessionmaker, sender, sms_stub, smtp_stub
) -> None:
    by_sms = await person(sessionmaker, 1)
    both = await person(sessionmaker, 2, email=True)
    for pid in (by_sms, both):
        await queue(sessionmaker, pid, key="fallback-command", variables={"command": "/x"})
    await sender.send_due()
    assert sms_stub.received == []
    assert len(smtp_stub.to(EMAIL)) == 1
    first, second = await rows(sessionmaker)
    assert (first.status, first.error) == (OutboxStatus.CANCELLED, "no channel for this message")
    assert (second.status, second.channel) == (OutboxStatus.SENT, "email")


async def test_the_calendar_file_comes_attached_to_an_e_mail(sessionmaker, sender, smtp_stub):
    pid = await person(sessionmaker, phone=False, email=True, locale="nl")
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
    await queue(
        sessionmaker,
        pid,
        key="reminder-1d",
        file=outbox.OutFile("vooruit.ics", ics, "text/calendar"),
    )
    await sender.send_due()
    [mail] = smtp_stub.to(EMAIL)
    [attached] = mail.attachments
    assert attached.filename == "vooruit.ics"
    assert attached.content == ics
    assert "Vlaamse Verpakking stelt zich voor" in mail.text  # in the person's language
    assert "Vlaamse Verpakking stelt zich voor" in mail.html


async def test_no_sms_at_night_the_row_waits_for_the_morning(
    sessionmaker, sender, midday, sms_stub
) -> None:
    midday.offset += timedelta(hours=11)  # 22:00 in Paris
    pid = await person(sessionmaker)
    await queue(sessionmaker, pid)
    await sender.send_due()
    assert sms_stub.received == []
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING
    assert row.not_before.astimezone(UTC).hour in (7, 8)  # 08:00 in Paris (winter or summer)
    assert row.attempts == 0
    midday.offset += timedelta(hours=10)
    await sender.send_due()
    assert len(sms_stub.to(PHONE)) == 1


async def test_the_providers_429_waits_an_outage_is_retried_a_refusal_fails(
    sessionmaker, sender, midday, sms_stub
) -> None:
    pid = await person(sessionmaker)
    sms_stub.fail_next(1, Fault.rate_limited(30))
    await queue(sessionmaker, pid, n=1)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 0
    midday.advance(31)
    sms_stub.fail_next(1, Fault.server_error())
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    midday.advance(5)
    await sender.send_due()
    assert [r.status for r in await rows(sessionmaker)] == [OutboxStatus.SENT]
    sms_stub.fail_next(1, Fault.refused())
    await queue(sessionmaker, pid, n=2)
    await sender.send_due()
    assert (await rows(sessionmaker))[1].status == OutboxStatus.FAILED
    assert PHONE not in ((await rows(sessionmaker))[1].error or "")


async def test_after_stop_nothing_more_goes_and_a_number_stopped_at_the_provider_is_stopped(
    sessionmaker, sender, sms_stub
) -> None:
    pid = await person(sessionmaker)
    sms_stub.fail_next(1, Fault.blocked())
    await queue(sessionmaker, pid, n=1)
    await sender.send_due()
    await queue(sessionmaker, pid, n=2)
    await sender.send_due()
    assert sms_stub.received == []
    assert [(r.status, r.error) for r in await rows(sessionmaker)] == [
        (OutboxStatus.CANCELLED, "no channel for this message"),
        (OutboxStatus.FAILED, "unreachable"),
    ]
    async with sessionmaker() as session:
        assert (await session.get(Participant, pid)).sms_stopped_at is not None


async def test_without_providers_a_person_only_reachable_by_sms_is_unreachable(
    sessionmaker, bot, midday, sms_stub
) -> None:
    sender = OutboxSender(sessionmaker, bot, build_core(), clock=midday)
    pid = await person(sessionmaker)
    await queue(sessionmaker, pid)
    await sender.send_due()
    assert sms_stub.received == []
    [row] = await rows(sessionmaker)
    assert (row.status, row.error) == (OutboxStatus.FAILED, "unreachable")


async def test_a_sender_killed_in_the_middle_of_an_sms_batch_loses_nothing(
    sessionmaker, database_url, bot, sms_stub, channel_settings
) -> None:
    people = range(1, 61)
    for n in people:
        pid = await person(sessionmaker, n)
        async with sessionmaker() as session:
            (await session.get(Participant, pid)).phone = f"+3361234{n:04d}"
            await session.commit()
        await queue(sessionmaker, pid, variables={**REMINDER, "title": f"Atelier {n}"})
    total = len(people)
    settings = {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": channel_settings.telegram_api_url,
        "DATABASE_URL": database_url,
        "SMS_PROVIDER": "brevo",
        "SMS_API_URL": sms_stub.url,
        "SMS_API_KEY": "brevo-key",
        "SMS_PER_S": "10",  # slow enough to be killed in the middle
        "TZ": midday_zone(),
    }
    await kill_a_drain_midway(settings, lambda: len(sms_stub.received), total // 3)
    sent_before_crash = len(sms_stub.received)
    in_flight = sum(r.status == OutboxStatus.SENDING for r in await rows(sessionmaker))
    assert 0 < sent_before_crash < total
    assert in_flight > 0

    # The restarted sender sends what was waiting, then the dead one's rows once their lease
    # is over: every SMS arrives, at most one twice per row that was in flight.
    later = Now()
    later.offset = timedelta(seconds=SenderConfig().lease_s + 1)
    channels = create_channels(channel_settings)
    channels.quiet, channels.sms_per_s = None, 1000.0
    restarted = OutboxSender(sessionmaker, bot, build_core(), clock=later, channels=channels)
    try:
        await restarted.send_due()
    finally:
        await restarted.people.close()
    assert {r.status for r in await rows(sessionmaker)} == {OutboxStatus.SENT}
    arrived = collections.Counter((sms.to, sms.text) for sms in sms_stub.received)
    assert len(arrived) == total
    assert sum(arrived.values()) - total <= in_flight
    assert max(arrived.values()) <= 2
