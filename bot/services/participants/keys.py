"""Outbox keys about a participant: what is keyed to the person (erasing them drops it
unsent), who follows them, their erasure.

See `bot.services.sessions.keys` for what a key is; `tests/services/common/test_keys.py`
holds these to their rules. Ids and instants only, never a name or anything a person typed.
"""

from __future__ import annotations

from datetime import datetime


def about_person(participant_id: int) -> str:
    """The prefix of the staff notices about one person (leads, a job reported, copies of
    their messages, a change of counsellor), which carry their name or words: erasing the
    person drops those still unsent."""
    return f"lead:{participant_id}:"


def counsellor_change(
    participant_id: int, before_id: int | None, after_id: int | None, at: datetime
) -> str:
    """One change of counsellor: the same person, from the same one to the same one, decided
    at the same moment (a second reassignment later is another change)."""
    return f"{participant_id}:{before_id or 0}-{after_id or 0}-{at:%Y%m%d%H%M%S%f}"


def follow_staff_notice(participant_id: int, change: str, staff_id: int) -> str:
    """A staff member told of a change of counsellor, once per change; it names the person,
    so it is keyed `about_person` (erasing them drops it while unsent)."""
    return f"{about_person(participant_id)}follow:{change}:{staff_id}"


def follow_participant_notice(change: str) -> str:
    """The participant told who follows them now, once per change."""
    return f"follow:{change}"


def participant_erased(participant_id: int, counsellor_id: int) -> str:
    """A person is erased once: each counsellor concerned is told once."""
    return f"erased:{participant_id}:{counsellor_id}"


def join_invite(participant_id: int, invite_id: int) -> str:
    """The invite link sent by SMS or e-mail to someone not on Telegram yet, once per invite
    (a fresh invite, when the last ran out, is sent again). Keyed `about_person`: erasing
    the person drops it while unsent."""
    return f"{about_person(participant_id)}join:{invite_id}"
