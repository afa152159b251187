"""A participant's phone and e-mail, each with its consent, the stops, and the order in
which they like to be reached (`bot.delivery.channels`): what the person does in `/profile`
and what a counsellor records for them ("the person said STOP" on the phone). Nothing here
logs a phone number or an address."""

from __future__ import annotations

from datetime import datetime

from bot.db.models import Participant
from bot.delivery.channels import DEFAULT_ORDER, Channel

SMS, EMAIL, TELEGRAM = Channel.SMS.value, Channel.EMAIL.value, Channel.TELEGRAM.value
# A channel -> (its contact's column, its stop's column).
COLUMNS = {SMS: ("phone", "sms_stopped_at"), EMAIL: ("email", "email_stopped_at")}


def agree(participant: Participant, channel: str, contact: str, now: datetime) -> None:
    """The person gave this phone (or address) and agreed to be written to there: a new
    consent, which also lifts an earlier stop."""
    column, stopped = COLUMNS[channel]
    setattr(participant, column, contact)
    setattr(participant, f"{column}_consent_at", now)
    setattr(participant, stopped, None)


def remove(participant: Participant, channel: str) -> bool:
    """The contact, its consent and its stop go. False when there was none."""
    column, stopped = COLUMNS[channel]
    had = getattr(participant, column) is not None
    setattr(participant, column, None)
    setattr(participant, f"{column}_consent_at", None)
    setattr(participant, stopped, None)
    return had


def usable(participant: Participant, channel: str) -> bool:
    """A contact the person agreed to and has not stopped."""
    column, stopped = COLUMNS[channel]
    return bool(
        getattr(participant, column)
        and getattr(participant, f"{column}_consent_at")
        and getattr(participant, stopped) is None
    )


def stop(participant: Participant, channel: str, now: datetime) -> bool:
    """The person said stop: nothing more goes by `channel` from now on, until their new
    consent. False when it was stopped already (the first date stays)."""
    _column, stopped = COLUMNS[channel]
    if getattr(participant, stopped) is not None:
        return False
    setattr(participant, stopped, now)
    return True


def prefer(participant: Participant, first: str) -> None:
    """`first` before the others, which keep the usual order."""
    order = [c.value for c in DEFAULT_ORDER]
    participant.channels = [first, *(c for c in order if c != first)]


def first_choice(participant: Participant) -> str:
    known = [c for c in participant.channels or () if c in {c.value for c in Channel}]
    return known[0] if known else TELEGRAM
