"""What the SMS provider posts back to the bot: a delivery receipt lands on the outbox row of
the SMS it names; a STOP reply stops SMS for that person at once; a wrong token changes
nothing; nothing personal is logged. The provider is the local stub, posting as Brevo or
Twilio do, to the bot's real web server."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db.models import OutboxMessage, OutboxStatus, Participant
from bot.delivery import outbox
from bot.delivery.channels import Channel, contact_of, usable
from bot.delivery.sms import sms_provider
from bot.web.server import Server, operations_app
from bot.web.sms_hooks import is_stop, sms_routes
from tests.helpers.people import add_person
from tests.helpers.sms_stub import SmsStub

TOKEN = "hook-token-42"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
LEA = "+32470123456"
KEY = "xkeysib-secret"


def settings(stub: SmsStub, provider: str, web: Server) -> Settings:
    extra = {"sms_account": "AC0123"} if provider == "twilio" else {}
    return Settings(
        sms_provider=provider,
        sms_api_url=stub.url,
        sms_api_key=KEY,
        sms_hook_token=TOKEN,
        public_url=f"http://127.0.0.1:{web.port}",
        link_secret="links",
        _env_file=None,
        **extra,
    )


@pytest.fixture
async def web(sessionmaker):
    """The bot's operations server with the SMS hooks (the token is fixed; the provider's
    settings only tell the SMS where to send receipts)."""
    hook_settings = Settings(sms_hook_token=TOKEN, _env_file=None)
    server = Server(operations_app({}, sms_routes(sessionmaker, hook_settings, lambda: NOW)))
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


def hook(web: Server, provider: str, kind: str, token: str = TOKEN) -> str:
    return f"http://127.0.0.1:{web.port}/sms/{provider}/{token}/{kind}"


async def lea(sessionmaker, phone: str = LEA, n: int = 1) -> int:
    """Léa is not on Telegram: she agreed to SMS."""
    async with sessionmaker() as session:
        person = await add_person(session, n, on_telegram=False)
        person.phone, person.phone_consent_at = phone, NOW
        person.channels = ["sms", "email"]
        await session.commit()
        return person.id


async def sent_by_sms(sessionmaker, stub: SmsStub, provider: str, web: Server, who: int) -> int:
    """A message for Léa goes by SMS, as the sender does it: the provider's id on its row."""
    async with sessionmaker() as session:
        await outbox.enqueue(
            session,
            chat_id=None,
            participant_id=who,
            dedupe_key=f"test:{provider}:{who}",
            key="session-reminder",
        )
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.participant_id == who))
        sms = sms_provider(settings(stub, provider, web))
        try:
            sent = await sms.send(LEA, "Rappel : atelier CV demain a 10h.")
        finally:
            await sms.close()
        row.status, row.channel = OutboxStatus.SENT, Channel.SMS.value
        row.provider_ref, row.segments = sent.ref, sent.segments
        await session.commit()
        return row.id


async def row(sessionmaker, row_id: int) -> OutboxMessage:
    async with sessionmaker() as session:
        return await session.get(OutboxMessage, row_id)


async def person(sessionmaker, who: int) -> Participant:
    async with sessionmaker() as session:
        return await session.get(Participant, who)


@pytest.mark.parametrize("provider", ["brevo", "twilio"])
async def test_a_delivery_receipt_lands_on_the_message_it_names(
    sessionmaker,
    sms_stub,
    web,
    provider,
) -> None:
    who = await lea(sessionmaker)
    row_id = await sent_by_sms(sessionmaker, sms_stub, provider, web, who)
    [sms] = sms_stub.received
    assert sms.callback == hook(web, provider, "receipt")

    answer = await sms_stub.post_receipt(sms.ref, "sent")
    assert answer.status == 200
    assert (await row(sessionmaker, row_id)).receipt == "sent"

    await sms_stub.post_receipt(sms.ref, "delivered")
    assert (await row(sessionmaker, row_id)).receipt == "delivered"

    # A late "sent" does not undo it.
    await sms_stub.post_receipt(sms.ref, "sent")
    assert (await row(sessionmaker, row_id)).receipt == "delivered"


@pytest.mark.parametrize(
    ("provider", "word", "receipt"),
    [
        ("twilio", "undelivered", "undelivered"),
        ("twilio", "failed", "failed"),
        ("brevo", "hard_bounce", "failed"),
        ("brevo", "soft_bounce", "undelivered"),
    ],
)
async def test_a_failed_delivery_is_kept_in_our_words(
    sessionmaker,
    sms_stub,
    web,
    provider,
    word,
    receipt,
) -> None:
    who = await lea(sessionmaker)
    row_id = await sent_by_sms(sessionmaker, sms_stub, provider, web, who)
    await sms_stub.post_receipt(sms_stub.received[0].ref, word)
    assert (await row(sessionmaker, row_id)).receipt == receipt


@pytest.mark.parametrize("provider", ["brevo", "twilio"])
@pytest.mark.parametrize("text", ["STOP", " stop ", "Arrêt", "ARRET", "Stoppen", "Stop."])
async def test_stop_ends_sms_for_that_person_at_once(
    sessionmaker,
    sms_stub,
    web,
    provider,
    text,
) -> None:
    who = await lea(sessionmaker)
    other = await lea(sessionmaker, phone="+32470999999", n=2)
    before = contact_of(await person(sessionmaker, who), None)
    assert usable(before) == [Channel.SMS]

    answer = await sms_stub.post_reply(hook(web, provider, "inbound"), LEA, text, provider=provider)

    assert answer.status == 200
    stopped = await person(sessionmaker, who)
    assert stopped.sms_stopped_at is not None
    assert stopped.sms_stopped_at.replace(tzinfo=UTC) == NOW
    # The sender reads the person again before each SMS: no more SMS for her.
    assert usable(contact_of(stopped, None)) == []
    assert (await person(sessionmaker, other)).sms_stopped_at is None


async def test_brevo_posts_replies_and_opt_outs_to_the_receipt_url_too(
    sessionmaker,
    sms_stub,
    web,
) -> None:
    who = await lea(sessionmaker)
    await sms_stub.post_reply(hook(web, "brevo", "receipt"), LEA, "STOP", provider="brevo")
    assert (await person(sessionmaker, who)).sms_stopped_at is not None


async def test_an_opt_out_the_provider_took_itself_stops_sms_too(
    sessionmaker,
    sms_stub,
    web,
) -> None:
    """Brevo answers STOP itself and tells us with an "unsubscribe" event on the SMS."""
    who = await lea(sessionmaker)
    await sent_by_sms(sessionmaker, sms_stub, "brevo", web, who)
    await sms_stub.post_receipt(sms_stub.received[0].ref, "unsubscribe")
    assert (await person(sessionmaker, who)).sms_stopped_at is not None


async def test_twilio_advanced_opt_out_is_honoured_whatever_the_word(
    sessionmaker,
    web,
) -> None:
    who = await lea(sessionmaker)
    form = {"MessageSid": "SM1", "From": LEA, "Body": "Stopp svp", "OptOutType": "STOP"}
    async with (
        aiohttp.ClientSession() as client,
        client.post(hook(web, "twilio", "inbound"), data=form) as answer,
    ):
        assert answer.status == 200
        assert "<Response>" in await answer.text()  # TwiML: Twilio sends nothing back
    assert (await person(sessionmaker, who)).sms_stopped_at is not None


async def test_a_reply_that_is_not_stop_changes_nothing_and_is_not_kept(
    sessionmaker,
    sms_stub,
    web,
    caplog,
) -> None:
    who = await lea(sessionmaker)
    with caplog.at_level(logging.DEBUG, "bot"):
        answer = await sms_stub.post_reply(
            hook(web, "twilio", "inbound"), LEA, "Je ne peux pas venir, stop ou encore ?"
        )
    assert answer.status == 200
    assert (await person(sessionmaker, who)).sms_stopped_at is None
    assert "470123456" not in caplog.text and "venir" not in caplog.text


@pytest.mark.parametrize("kind", ["receipt", "inbound"])
async def test_a_wrong_token_is_refused_and_changes_nothing(
    sessionmaker,
    sms_stub,
    web,
    kind,
) -> None:
    who = await lea(sessionmaker)
    row_id = await sent_by_sms(sessionmaker, sms_stub, "twilio", web, who)
    wrong = hook(web, "twilio", kind, token="guessed")
    if kind == "receipt":
        answer = await sms_stub.post_receipt(sms_stub.received[0].ref, "delivered", url=wrong)
    else:
        answer = await sms_stub.post_reply(wrong, LEA, "STOP")
    assert answer.status == 401
    assert (await row(sessionmaker, row_id)).receipt is None
    assert (await person(sessionmaker, who)).sms_stopped_at is None


async def test_an_unknown_provider_is_not_found(web) -> None:
    async with (
        aiohttp.ClientSession() as client,
        client.post(hook(web, "other", "inbound"), data={"Body": "STOP"}) as answer,
    ):
        assert answer.status == 404


async def test_nothing_personal_is_logged(sessionmaker, sms_stub, web, caplog) -> None:
    who = await lea(sessionmaker)
    with caplog.at_level(logging.DEBUG, "bot"):
        await sent_by_sms(sessionmaker, sms_stub, "twilio", web, who)
        await sms_stub.post_receipt(sms_stub.received[0].ref, "delivered")
        await sms_stub.post_reply(hook(web, "twilio", "inbound"), LEA, "STOP")
        await sms_stub.post_reply(hook(web, "brevo", "inbound"), LEA, "STOP", provider="brevo")
    assert caplog.records  # it did say something
    for secret in ("470123456", KEY, "Rappel", "Person1"):
        assert secret not in caplog.text
    assert TOKEN not in caplog.text


def test_what_counts_as_stop() -> None:
    assert all(is_stop(t) for t in ("STOP", "stop\n", "Arrêt !", "UNSUBSCRIBE", "stoppen"))
    assert not any(is_stop(t) for t in ("", "Stop moi ça", "ok", "arrêter de fumer"))
