"""The callback data of buttons about a participant's contacts, for services and handlers
alike (`bot.common.callbacks`)."""

from __future__ import annotations

from bot.common.callbacks import CallbackFormat


class ContactCallback(CallbackFormat, prefix="cstop"):
    """ "cstop:<channel>:<participant id>": under a lead, a counsellor records that the person
    said STOP (on the phone) to SMS ("sms") or e-mails ("email")."""

    channel: str
    participant_id: int


def stop_contact(participant_id: int, channel: str) -> str:
    return ContactCallback(channel=channel, participant_id=participant_id).pack()
