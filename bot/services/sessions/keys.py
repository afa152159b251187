"""Outbox keys of the sessions area: invitations, seats, reminders, calendar files, notices.

What makes two outbox messages "the same" (DESIGN.md §4 "Outbox"): a message enqueued again
under a key already used is dropped, whatever became of the first. Each function says which
repeat is a duplicate and which is news; `tests/services/common/test_keys.py` holds them to
it. Keys carry ids, versions and counters only. The strings are stored in the outbox: changing
one makes rows already there neither dedupe nor cancel.
"""

from __future__ import annotations


def session_invite(session_id: int, participant_id: int) -> str:
    """One invitation per person and session: publishing again (or an import re-run) invites
    nobody twice."""
    return f"{session_invites(session_id)}{participant_id}"


def session_invites(session_id: int) -> str:
    """The prefix of every invitation of a session (a cancelled import withdraws them)."""
    return f"invite:{session_id}:"


def seat_reminders(
    session_id: int, participant_id: int | None = None, seat: int | None = None
) -> str:
    """The prefix of a session's reminders; of one person's in it; of one of their seats."""
    if participant_id is None:
        return f"reminder:{session_id}:"
    if seat is None:
        return f"reminder:{session_id}:{participant_id}:"
    return f"reminder:{session_id}:{participant_id}:{seat}:"


def reminder(session_id: int, participant_id: int, seat: int, version: int, when: str) -> str:
    """One reminder per seat, calendar version and moment ("3d", "1d", "1h", "now"): a seat
    taken again after a cancel (or by a promotion) is a new seat with reminders of its own,
    and a change of time, title or link is a new version."""
    return f"{seat_reminders(session_id, participant_id, seat)}{version}:{when}"


def calendar_file(session_id: int, participant_id: int, seat: int, version: int) -> str:
    """One .ics per seat and calendar version: each new seat gets the file again, each change
    an updated one, the cancellation of the session one that removes the event."""
    return f"ics:{session_id}:{participant_id}:{seat}:{version}"


SEAT_NOTICES = ("promoted", "booked_for")


def seat_notice(notice: str, session_id: int, participant_id: int, seat: int) -> str:
    """A seat the person did not book themselves, said once per seat: "promoted" (a seat came
    free, it is yours) or "booked_for" (their counsellor booked it for them)."""
    if notice not in SEAT_NOTICES:
        raise ValueError(notice)
    return f"{notice}:{session_id}:{participant_id}:{seat}"


def seat_promoted(session_id: int, participant_id: int, seat: int) -> str:
    return seat_notice("promoted", session_id, participant_id, seat)


def session_changed(session_id: int, participant_id: int, version: int) -> str:
    """What changed, once per calendar version and person booked (two changes in the same
    second are two versions, so two notices)."""
    return f"changed:{session_id}:{participant_id}:{version}"


def session_cancelled(session_id: int, participant_id: int) -> str:
    """A session is cancelled once: one notice per person booked."""
    return f"cancelled:{session_id}:{participant_id}"


def session_feedback(session_id: int, participant_id: int) -> str:
    """ "How was it?" once per person and session, whoever settles the attendance."""
    return f"feedback:{session_id}:{participant_id}"


def session_campaign(session_id: int) -> str:
    """The campaign of every message about a session (invitations, reminders, notices)."""
    return f"session:{session_id}"
