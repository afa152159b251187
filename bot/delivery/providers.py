"""The SMS and e-mail providers the settings name, and how they are described to an operator
(`enavant outbox status`, the start-up log): never a key, a password or an address of a person."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.config import Settings
from bot.delivery.channels import Channels
from bot.delivery.mail import SmtpMailer
from bot.delivery.sms import hook_url, sms_provider


def channels_from_settings(settings: Settings) -> Channels:
    """The providers that are set (SMS: SMS_PROVIDER; e-mail: SMTP_HOST). Links and quiet
    hours are the composition root's to fill."""
    return Channels(
        sms=sms_provider(settings),
        mail=SmtpMailer(settings) if settings.smtp_host else None,
    )


def describe(settings: Settings) -> list[str]:
    """One line per channel, for operators."""
    if settings.sms_provider == "none":
        sms = "SMS: none (nothing is sent by SMS)"
    else:
        sms = f"SMS: {settings.sms_provider}, sender {settings.sms_sender}"
        if settings.sms_api_url:  # its host only: a URL may carry credentials
            where = urlsplit(settings.sms_api_url)
            sms += f", at {where.hostname}" + (f":{where.port}" if where.port else "")
        if hook_url(settings, settings.sms_provider, "receipt") is None:
            sms += " (no receipts nor STOP replies: PUBLIC_URL or SMS_HOOK_TOKEN not set)"
    if not settings.smtp_host:
        mail = "E-mail: none (nothing is sent by e-mail)"
    else:
        security = "TLS" if settings.smtp_tls else "STARTTLS" if settings.smtp_starttls else "plain"
        mail = f"E-mail: {settings.smtp_host}:{settings.smtp_port} ({security})"
    return [sms, mail]
