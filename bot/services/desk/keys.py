"""Outbox keys of the counsellor's desk: a ticket's messages, the copies between a
participant and the staff side.

See `bot.services.sessions.keys` for what a key is; `tests/services/common/test_keys.py` holds
these to their rules. Ids only.
"""

from __future__ import annotations

from bot.services.participants.keys import about_person

TICKET_EVENTS = ("nudge", "backup", "handed", "desk-backup", "closed")


def ticket(ticket_id: int, event: str) -> str:
    """One message per ticket and event: a ticket is nudged, handed over and closed once; a
    second ticket of the same person is another id, so it is told everything again."""
    if event not in TICKET_EVENTS:
        raise ValueError(event)
    return f"{ticket_messages(ticket_id)}{event}"


def ticket_messages(ticket_id: int) -> str:
    """The prefix of a ticket's messages (erasing its participant drops them)."""
    return f"ticket:{ticket_id}:"


RELAY_ENDS = ("desk", "participant", "staff")


def relayed(participant_id: int, source: str, message_id: int, target: str) -> str:
    """A message copied between a participant and the staff side, once per source message
    and destination: the same update handled twice (Telegram sends it again after a crash)
    copies nothing twice, while one answer may go to the participant and into the desk.
    `source` and `target` are "desk", "participant" or "staff<id>" (who wrote it, in whose
    private chat `message_id` is); ids only. Keyed `about_person`: erasing the person drops
    the copies still unsent."""
    for end in (source, target):
        if end.rstrip("0123456789") not in RELAY_ENDS:
            raise ValueError(end)
    return f"{about_person(participant_id)}copy:{source}:{message_id}:{target}"
