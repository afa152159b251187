"""SMS through Brevo and Twilio, against a local stub of their HTTP APIs: what the provider
receives, what a failure means for the outbox (wait, try again, refused, blocked), and that
neither the key nor the number ends up in a log or a reason."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.delivery.channels import ProviderError
from bot.delivery.sms import DEFAULT_RETRY_AFTER_S, BrevoSms, TwilioSms, sms_provider
from tests.helpers.sms_stub import Fault, SmsStub

PHONE = "+32470123456"
KEY = "xkeysib-very-secret-0123456789"
SID = "AC0123456789abcdef0123456789abcdef"
HOOK = "hook-token-42"


def settings(stub: SmsStub, provider: str, **extra: object) -> Settings:
    values: dict = {
        "sms_provider": provider,
        "sms_api_url": stub.url,
        "sms_api_key": KEY,
        "sms_sender": "EnAvant",
        "sms_timeout_s": 1.0,
        "_env_file": None,
    }
    if provider == "twilio":
        values["sms_account"] = SID
    return Settings(**(values | extra))


@pytest.fixture(params=["brevo", "twilio"])
async def provider(request, sms_stub):
    sms = sms_provider(settings(sms_stub, request.param))
    yield sms
    await sms.close()


async def test_brevo_gets_the_sms_with_its_key_and_answers_its_id(sms_stub) -> None:
    brevo = BrevoSms(
        settings(
            sms_stub,
            "brevo",
            public_url="https://bot.example.org",
            link_secret="s",
            sms_hook_token=HOOK,
        )
    )
    try:
        sent = await brevo.send(PHONE, "Rendez-vous demain a 10h. STOP au 36180")
    finally:
        await brevo.close()

    [sms] = sms_stub.received
    assert (sms.provider, sms.to, sms.sender) == ("brevo", "32470123456", "EnAvant")
    assert sms.text == "Rendez-vous demain a 10h. STOP au 36180"
    assert sms.api_key == KEY
    assert sms.unicode is False  # GSM-7 text: no Unicode
    assert sms.callback == f"https://bot.example.org/sms/brevo/{HOOK}/receipt"
    assert sent.ref == sms.ref and sent.segments == 1


async def test_brevo_is_told_when_the_text_needs_unicode(sms_stub) -> None:
    brevo = BrevoSms(settings(sms_stub, "brevo"))
    try:
        sent = await brevo.send(PHONE, "Votre séance est confirmée ✅ " + "x" * 60)
    finally:
        await brevo.close()
    [sms] = sms_stub.received
    assert sms.unicode is True
    assert sms.callback is None  # no PUBLIC_URL: no receipts asked
    assert sent.segments == 2  # UCS-2: 70 characters a segment


async def test_twilio_gets_a_form_with_basic_auth_and_a_status_callback(sms_stub) -> None:
    twilio = TwilioSms(
        settings(
            sms_stub,
            "twilio",
            public_url="https://bot.example.org/",
            link_secret="s",
            sms_hook_token=HOOK,
        )
    )
    try:
        sent = await twilio.send(PHONE, "a" * 200)
    finally:
        await twilio.close()

    [sms] = sms_stub.received
    assert (sms.provider, sms.to, sms.sender, sms.text) == ("twilio", PHONE, "EnAvant", "a" * 200)
    assert (sms.account, sms.api_key) == (SID, KEY)
    assert sms.callback == f"https://bot.example.org/sms/twilio/{HOOK}/receipt"
    assert sent.ref == sms.ref and sent.ref.startswith("SM")
    assert sent.segments == 2  # from Twilio's num_segments


async def test_one_session_carries_several_sms(provider, sms_stub) -> None:
    first = await provider.send(PHONE, "un")
    second = await provider.send("+33612345678", "deux")
    assert first.ref != second.ref
    assert sms_stub.texts_to(PHONE) == ["un"]
    assert sms_stub.texts_to("+33612345678") == ["deux"]


async def test_too_many_requests_is_waited_out_as_the_provider_says(provider, sms_stub) -> None:
    sms_stub.fail_next(1, Fault.rate_limited(retry_after=7))
    with pytest.raises(ProviderError) as told:
        await provider.send(PHONE, "bonjour")
    assert (told.value.verdict, told.value.retry_after) == ("wait", 7.0)

    sms_stub.fail_next(1, Fault.rate_limited(retry_after=None))
    with pytest.raises(ProviderError) as told:
        await provider.send(PHONE, "bonjour")
    assert (told.value.verdict, told.value.retry_after) == ("wait", DEFAULT_RETRY_AFTER_S)

    await provider.send(PHONE, "bonjour")  # and then it goes
    assert sms_stub.texts_to(PHONE) == ["bonjour"]


@pytest.mark.parametrize("fault", [Fault.server_error(), Fault.not_json(), Fault.hang(5)])
async def test_an_outage_or_a_time_out_is_tried_again(provider, sms_stub, fault) -> None:
    sms_stub.fail_next(1, fault)
    with pytest.raises(ProviderError) as told:
        await provider.send(PHONE, "bonjour")
    assert told.value.verdict == "transient"
    assert sms_stub.received == []


async def test_a_provider_that_cannot_be_reached_is_tried_again(sms_stub) -> None:
    unreachable = settings(sms_stub, "brevo", sms_api_url="http://127.0.0.1:9")
    brevo = BrevoSms(unreachable)
    try:
        with pytest.raises(ProviderError) as told:
            await brevo.send(PHONE, "bonjour")
    finally:
        await brevo.close()
    assert told.value.verdict == "transient"


async def test_a_refusal_fails_the_message_without_the_number(provider, sms_stub) -> None:
    sms_stub.fail_next(1, Fault.refused(f"The 'To' number {PHONE} is not a valid phone number."))
    with pytest.raises(ProviderError) as told:
        await provider.send(PHONE, "bonjour")
    assert told.value.verdict == "refused"
    assert "not a valid phone number" in told.value.reason
    assert "470123456" not in told.value.reason


async def test_a_number_that_opted_out_at_the_provider_is_blocked(provider, sms_stub) -> None:
    sms_stub.fail_next(1, Fault.blocked())
    with pytest.raises(ProviderError) as told:
        await provider.send(PHONE, "bonjour")
    assert told.value.verdict == "blocked"


async def test_neither_the_key_nor_the_number_is_logged(provider, sms_stub, caplog) -> None:
    sms_stub.fail_next(1, Fault.server_error())
    sms_stub.fail_next(1, Fault.refused(f"bad number {PHONE}"))
    with caplog.at_level(logging.DEBUG):
        for _ in range(2):
            with pytest.raises(ProviderError) as told:
                await provider.send(PHONE, "bonjour")
            assert KEY not in told.value.reason
        await provider.send(PHONE, "bonjour")
    assert KEY not in caplog.text
    assert "470123456" not in caplog.text


def test_no_provider_when_sms_provider_is_none() -> None:
    assert sms_provider(Settings(_env_file=None)) is None
