"""What makes two outbox messages "the same", kind by kind (DESIGN.md §4 "Outbox").

The outbox sends one message per dedupe key: a message enqueued again under a key already
used is dropped, whatever became of the first (sent, cancelled, failed). So each key says
deliberately which repeat is a duplicate and which is new news. Every producer spells its
key through a function here, never by hand, and `tests/services/test_keys.py` holds each
kind to its rule. Keys carry ids, versions and counters only: never a name, a Telegram id
or anything a person typed.
"""

from __future__ import annotations

from datetime import date, datetime

# --- sessions ------------------------------------------------------------------------------


def session_invite(session_id: int, participant_id: int) -> str:
    """One invitation per person and session: publishing again (or an import re-run) invites
    nobody twice."""
    return f"invite:{session_id}:{participant_id}"


def session_invites(session_id: int) -> str:
    """The prefix of every invitation of a session."""
    return f"invite:{session_id}:"


def seat_reminders(session_id: int, participant_id: int | None = None, seat: int | None = None):
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


# --- vacancies -----------------------------------------------------------------------------


def vacancy_alert(participant_id: int, vacancy_id: int) -> str:
    """Nobody hears of a vacancy twice (the `vacancy_alerts` row is unique per pair too)."""
    return f"alert:{participant_id}:{vacancy_id}"


def digests(mode: str, day: date) -> str:
    """The prefix of one day's digests in a mode ("daily", "weekly")."""
    return f"digest:{mode}:{day.isoformat()}:"


def digest(mode: str, day: date, participant_id: int) -> str:
    """One digest per person, mode and day: running the digest twice a day sends nothing more."""
    return f"{digests(mode, day)}{participant_id}"


def about_person(participant_id: int) -> str:
    """The prefix of the counsellor notices about one person (leads, a job reported), which
    carry their name and profile: erasing the person drops those still unsent."""
    return f"lead:{participant_id}:"


def lead(participant_id: int, vacancy_id: int, counsellor_id: int, interest: int) -> str:
    """A lead per time the person turns to "I'm interested" (`interest` counts them): pressing
    it again tells nobody twice, but coming back to it after "not for me" is news again."""
    return f"{about_person(participant_id)}{vacancy_id}:{counsellor_id}:{interest}"


# --- who follows a participant ---------------------------------------------------------------


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


# --- outcomes ------------------------------------------------------------------------------


def job_reported(
    participant_id: int, outcome_id: int, counsellor_id: int, reported_at: datetime
) -> str:
    """ "I found a job!": each report reaches the counsellor, also a second one that corrects
    the first before it was confirmed (the same outcome, reported again later)."""
    stamp = f"{reported_at.timestamp():.6f}"
    return f"{about_person(participant_id)}outcome:{outcome_id}:{counsellor_id}:{stamp}"


def job_confirmed(outcome_id: int) -> str:
    """The participant hears once that their counsellor confirmed the job."""
    return f"outcome-confirmed:{outcome_id}"


# --- the counsellor's desk -----------------------------------------------------------------

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


def undelivered(dedupe_key: str) -> str:
    """The sender of a relayed message told once that it could not be delivered."""
    return f"{dedupe_key}:undelivered"


def participant_erased(participant_id: int, counsellor_id: int) -> str:
    """A person is erased once: each counsellor concerned is told once."""
    return f"erased:{participant_id}:{counsellor_id}"


# --- broadcasts ----------------------------------------------------------------------------


def broadcast_campaign(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


def broadcast_message(broadcast_id: int, participant_id: int) -> str:
    """One copy per broadcast and person: a crash and resume sends nobody a second copy, but
    the same text sent again is another broadcast, so it reaches everyone again."""
    return f"{broadcast_campaign(broadcast_id)}:{participant_id}"


def broadcast_report(broadcast_id: int) -> str:
    """The author's final report, once per broadcast."""
    return f"broadcast-report:{broadcast_id}"
