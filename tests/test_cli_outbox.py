"""`enavant outbox status` as an operator reads it: the outbox by status, the SMS and e-mail
providers set up (never a secret), and what went by each channel with the SMS receipts."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.db.models import OutboxMessage, OutboxStatus
from bot.delivery.mail import SmtpMailer
from bot.delivery.providers import channels_from_settings, describe
from bot.delivery.sms import BrevoSms, TwilioSms
from bot.delivery.status import channel_counts
from tests.helpers.cli import in_database, run

SMS_KEY = "xkeysib-very-secret"
SMTP_PASSWORD = "mail-very-secret"
CHANNEL_NAMES = (
    "SMS_PROVIDER",
    "SMS_API_URL",
    "SMS_API_KEY",
    "SMS_ACCOUNT",
    "SMS_SENDER",
    "SMS_HOOK_TOKEN",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_TLS",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "PUBLIC_URL",
    "LINK_SECRET",
)


@pytest.fixture
def no_channels(cli_database, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in CHANNEL_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_providers_the_bot_says_it_sends_nothing_by_sms_or_mail() -> None:
    settings = Settings(_env_file=None)
    assert describe(settings) == [
        "SMS: none (nothing is sent by SMS)",
        "E-mail: none (nothing is sent by e-mail)",
    ]
    channels = channels_from_settings(settings)
    assert (channels.sms, channels.mail, channels.links, channels.quiet) == (None,) * 4


async def test_the_providers_set_are_named_without_their_secrets() -> None:
    brevo = Settings(
        sms_provider="brevo",
        sms_api_key=SMS_KEY,
        smtp_host="smtp.example.org",
        smtp_password=SMTP_PASSWORD,
        smtp_username="bot",
        mail_from="bot@example.org",
        _env_file=None,
    )
    lines = describe(brevo)
    assert lines[0].startswith("SMS: brevo, sender EnAvant")
    assert "PUBLIC_URL or SMS_HOOK_TOKEN not set" in lines[0]  # no receipts nor STOP
    assert lines[1] == "E-mail: smtp.example.org:587 (STARTTLS)"
    assert SMS_KEY not in "".join(lines) and SMTP_PASSWORD not in "".join(lines)
    channels = channels_from_settings(brevo)
    assert isinstance(channels.sms, BrevoSms) and isinstance(channels.mail, SmtpMailer)
    await channels.close()

    twilio = Settings(
        sms_provider="twilio",
        sms_api_key=SMS_KEY,
        sms_account="AC123",
        sms_api_url="https://user:pass@proxy.example.org:8443/twilio",
        sms_hook_token="hook",
        public_url="https://bot.example.org",
        link_secret="links",
        smtp_host="mail.example.org",
        smtp_port=465,
        smtp_tls=True,
        mail_from="bot@example.org",
        _env_file=None,
    )
    lines = describe(twilio)
    assert lines == [
        "SMS: twilio, sender EnAvant, at proxy.example.org:8443",
        "E-mail: mail.example.org:465 (TLS)",
    ]
    assert isinstance(channels_from_settings(twilio).sms, TwilioSms)


def sent(
    channel: str | None, n: int, status: str = OutboxStatus.SENT, **extra: object
) -> OutboxMessage:
    return OutboxMessage(
        chat_id=None if channel in ("sms", "email") else 4000 + n,
        participant_id=n,
        kind="text",
        payload={"key": "session-reminder"},
        status=status,
        dedupe_key=f"status-test:{n}",
        channel=channel,
        **extra,
    )


async def test_the_counts_by_channel_on_the_test_database(session) -> None:
    """The same counts as the command, on PostgreSQL too when TEST_DATABASE_URL is set."""
    session.add_all(
        [
            sent("telegram", 1),
            sent("sms", 2, segments=2, provider_ref="SM2", receipt="delivered"),
            sent("sms", 3, segments=1, provider_ref="SM3", receipt="failed"),
            sent("email", 4),
        ]
    )
    await session.commit()
    assert await channel_counts(session) == {
        "sent by telegram": 1,
        "sent by sms": 2,
        "sent by email": 1,
        "sms segments": 3,
        "sms delivered": 1,
        "sms failed": 1,
    }


@pytest.mark.own_sqlite
def test_outbox_status_counts_what_went_by_each_channel(no_channels) -> None:
    no_channels.setenv("SMS_PROVIDER", "twilio")
    no_channels.setenv("SMS_API_KEY", SMS_KEY)
    no_channels.setenv("SMS_ACCOUNT", "AC123")

    async def seed(session) -> None:
        session.add_all(
            [
                sent(None, 1),  # before channels existed: Telegram
                sent("telegram", 2),
                sent("sms", 3, segments=1, provider_ref="SM3", receipt="delivered"),
                sent("sms", 4, segments=2, provider_ref="SM4", receipt="undelivered"),
                sent("sms", 5, segments=3, provider_ref="SM5", receipt="failed"),
                sent("sms", 6, segments=1, provider_ref="SM6"),
                sent("email", 7, provider_ref="<7@example.org>"),
                sent(None, 8, status=OutboxStatus.PENDING),  # not sent yet: not counted
            ]
        )

    in_database(seed)
    result = run(["outbox", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The lines operators already read are still there, first.
    assert lines[:6] == [
        "pending: 1",
        "sending: 0",
        "sent: 7",
        "failed: 0",
        "cancelled: 0",
        "unreachable users: 0",
    ]
    assert lines[6].startswith("SMS: twilio, sender EnAvant (no receipts nor STOP replies")
    assert lines[7] == "E-mail: none (nothing is sent by e-mail)"
    assert lines[8:] == [
        "sent by telegram: 2",
        "sent by sms: 4",
        "sent by email: 1",
        "sms segments: 7",
        "sms delivered: 1",
        "sms failed: 2",
    ]
    assert SMS_KEY not in result.output


@pytest.mark.own_sqlite
def test_outbox_status_on_an_empty_database_says_nothing_is_sent_by_sms_or_mail(
    no_channels,
) -> None:
    async def nothing(session) -> None:
        return None

    in_database(nothing)  # a migrated database, nothing sent yet
    result = run(["outbox", "status"])
    assert result.exit_code == 0, result.output
    assert "SMS: none (nothing is sent by SMS)" in result.output
    assert "E-mail: none (nothing is sent by e-mail)" in result.output
    assert "sent by sms: 0" in result.output and "sms segments: 0" in result.output
