"""Whom a message for a participant is queued for, whatever channel it goes by (issue 16).

A message for a participant is an outbox row with `participant_id` (and their Telegram chat
when they have an account): the sender picks Telegram, SMS or e-mail when it sends
(`bot/delivery/channels.py`). Producers ask here who can be reached at all.

Rules this module enforces:
- a person can be reached when their Telegram account has not blocked the bot, or when they
  have a phone number with its consent and no STOP, or an e-mail address with its consent and
  no opt-out (whether an SMS provider or an SMTP server is set is the sender's business);
- nobody reachable by no channel gets a row: the message would only fail.

What consent means for a programme message (an invitation): someone registered in the bot
gave the programme's consent there (`consent_at`); someone a counsellor imported never opened
the bot, and the consent the counsellor recorded for a contact (`phone_consent_at`,
`email_consent_at`) is their agreement to be written to by the programme on it. So a person
is invitable when followed and either consented in the bot and on Telegram, or with a
consented contact (`invitable`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.locales import DEFAULT_LOCALE
from bot.db.models import Participant, ParticipantStatus, User


def consented_phone() -> ColumnElement[bool]:
    """A phone number the person agreed to, with no STOP since."""
    return and_(
        Participant.phone.is_not(None),
        Participant.phone_consent_at.is_not(None),
        Participant.sms_stopped_at.is_(None),
    )


def consented_email() -> ColumnElement[bool]:
    """An e-mail address the person agreed to, with no opt-out since."""
    return and_(
        Participant.email.is_not(None),
        Participant.email_consent_at.is_not(None),
        Participant.email_stopped_at.is_(None),
    )


def consented_contact() -> ColumnElement[bool]:
    """A phone or an e-mail address the person agreed to and has not withdrawn."""
    return or_(consented_phone(), consented_email())


def on_telegram() -> ColumnElement[bool]:
    """An account with the bot that has not blocked it (with `User` outer-joined)."""
    return and_(User.id.is_not(None), User.reachable.is_(True))


def reachable() -> ColumnElement[bool]:
    """Reachable by at least one channel (with `User` outer-joined on `Participant.user_id`)."""
    return or_(on_telegram(), consented_contact())


def invitable(contact: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """Whom programme messages (session invitations, vacancy digests) may reach: followed,
    and either consented in the bot and on Telegram, or with a contact consented to (only
    `contact` when given: an e-mail for a message no SMS can carry)."""
    return and_(
        Participant.status == ParticipantStatus.FOLLOWED,
        or_(
            and_(Participant.consent_at.is_not(None), on_telegram()),
            consented_contact() if contact is None else contact,
        ),
    )


@dataclass(frozen=True)
class Address:
    """Where a participant's message is queued: their id, their Telegram chat when they have
    an account (None: not on Telegram), and their language (the account's, else the one the
    counsellor recorded, else French) for what is made before sending (an .ics file)."""

    participant_id: int
    chat_id: int | None
    locale: str


def address_columns():
    return (Participant.id, User.telegram_id, User.locale, Participant.locale)


def address_from(row) -> Address:
    participant_id, chat, user_locale, locale = row
    return Address(participant_id, chat, user_locale or locale or DEFAULT_LOCALE)


async def address_of(session: AsyncSession, participant_id: int) -> Address | None:
    """The participant's address, None when no channel can reach them (or they are gone)."""
    row = (
        await session.execute(
            select(*address_columns())
            .outerjoin(User, User.id == Participant.user_id)
            .where(Participant.id == participant_id, reachable())
        )
    ).first()
    return None if row is None else address_from(row)
