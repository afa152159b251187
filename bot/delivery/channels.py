"""How a participant is reached: Telegram, SMS or e-mail (DESIGN.md §4 "Outbox and delivery").

A message for a participant is an outbox row with `participant_id`; its channel is chosen
when the row is sent, not when it is queued, so a person who joins Telegram later gets
Telegram, and a person who blocked the bot (403) gets the next channel they agreed to.

The rules, in one place:
- a person's channels are theirs, in their order of preference (`Participant.channels`);
- Telegram counts when the person has an account with the bot that has not blocked it;
- SMS counts with a phone number, its consent, no STOP received, and an SMS provider set;
- e-mail counts with an address, its consent, no opt-out, and an SMTP server set;
- a message goes by SMS only when `content/` has an SMS text for it (`sms-<key>`): a long
  or interactive message (a vacancy card, a form) is not squeezed into an SMS. Every
  message can go by e-mail (`mail-<key>` when written for it, else its Telegram text).

Providers are behind two small protocols (`SmsProvider`, `Mailer`); what a failure means is
said by raising `ProviderError` with a `failures.Verdict`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class Channel(StrEnum):
    TELEGRAM = "telegram"
    SMS = "sms"
    EMAIL = "email"


DEFAULT_ORDER: tuple[Channel, ...] = (Channel.TELEGRAM, Channel.SMS, Channel.EMAIL)
NOBODY = "nobody"  # how a person with no usable channel is shown


def sms_key(key: str) -> str:
    """The Fluent message of the SMS version of a message (a copy relayed: `sms-copy`)."""
    return f"sms-{key}"


def mail_key(key: str) -> str:
    """The Fluent message of the e-mail version of a message, when written for it."""
    return f"mail-{key}"


def mail_subject_key(key: str) -> str:
    """The subject of that e-mail, when written for it (else `mail-subject`)."""
    return f"mail-{key}-subject"


@dataclass(frozen=True)
class Contact:
    """What the sender knows of a participant when one of their messages goes."""

    participant_id: int
    locale: str | None
    order: tuple[Channel, ...] = DEFAULT_ORDER
    telegram_chat: int | None = None  # None: never opened the bot
    telegram_blocked: bool = False
    phone: str | None = None  # only when consented and not stopped
    email: str | None = None  # only when consented and not opted out


def contact_of(participant: Any, user: Any | None) -> Contact:
    """A participant row and its Telegram account (or None) as a `Contact`: only the contacts
    the person agreed to and has not withdrawn are kept."""
    known = {c.value for c in Channel}
    order = tuple(Channel(c) for c in (participant.channels or ()) if c in known)
    phone = (
        participant.phone
        if participant.phone and participant.phone_consent_at and not participant.sms_stopped_at
        else None
    )
    email = (
        participant.email
        if participant.email and participant.email_consent_at and not participant.email_stopped_at
        else None
    )
    return Contact(
        participant_id=participant.id,
        locale=(user.locale if user is not None and user.locale else None) or participant.locale,
        order=order or DEFAULT_ORDER,
        telegram_chat=user.telegram_id if user is not None else None,
        telegram_blocked=bool(user is not None and not user.reachable),
        phone=phone,
        email=email,
    )


def usable(contact: Contact, *, sms: bool = True, email: bool = True) -> list[Channel]:
    """The person's channels that can carry a message now, in their order. `sms`/`email`:
    whether a provider is set (and, for SMS, whether this message has an SMS text)."""
    can = {
        Channel.TELEGRAM: bool(contact.telegram_chat and not contact.telegram_blocked),
        Channel.SMS: bool(sms and contact.phone),
        Channel.EMAIL: bool(email and contact.email),
    }
    return [channel for channel in contact.order if can[channel]]


def reached_by(contact: Contact, *, sms: bool = True, email: bool = True) -> str:
    """How the person is reached today: the first usable channel, or "nobody" (for the
    counsellor's cards and the report)."""
    channels = usable(contact, sms=sms, email=email)
    return channels[0].value if channels else NOBODY


# Providers ---------------------------------------------------------------------------------


class ProviderError(Exception):
    """A provider's refusal or outage, with what it means (`failures.Verdict` value:
    "wait" with `retry_after`, "refused", "transient"; "blocked" for a number or address
    that opted out at the provider)."""

    def __init__(self, verdict: str, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.verdict = verdict
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class SmsSent:
    ref: str  # the provider's id of the message (its receipts name it)
    segments: int


class SmsProvider(Protocol):
    name: str

    async def send(self, to: str, text: str) -> SmsSent:
        """Send `text` to `to` (E.164); raise `ProviderError` on failure."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: Sequence[Attachment] = field(default_factory=tuple)


class Mailer(Protocol):
    async def send(self, mail: Mail) -> str:
        """Send `mail`; returns its Message-ID; raise `ProviderError` on failure."""
        ...

    async def close(self) -> None: ...


# A link made when a message goes by SMS or e-mail (one-tap booking): (kind, its
# parameters, participant id, now) -> the URL, or None when links are not set up.
LinkMaker = Callable[[str, dict[str, Any], int, datetime], Awaitable[str | None]]


@dataclass
class Channels:
    """What the composition root hands the outbox sender: the providers that are set."""

    sms: SmsProvider | None = None
    mail: Mailer | None = None
    links: LinkMaker | None = None
    quiet: Callable[[datetime], datetime] | None = None  # SMS wait for the end of quiet hours
    sms_per_s: float = 5.0  # each provider's pace
    mail_per_s: float = 5.0

    async def close(self) -> None:
        for provider in (self.sms, self.mail):
            if provider is not None:
                await provider.close()
