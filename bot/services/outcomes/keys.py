"""Outbox keys of the outcomes area: a job reported, a job confirmed.

See `bot.services.sessions.keys` for what a key is; `tests/services/common/test_keys.py`
holds these to their rules. Ids and instants only.
"""

from __future__ import annotations

from datetime import datetime

from bot.services.participants.keys import about_person


def job_reported(
    participant_id: int, outcome_id: int, counsellor_id: int, reported_at: datetime
) -> str:
    """ "I found a job!": each report reaches the counsellor, also a second one that corrects
    the first before it was confirmed (the same outcome, reported again later). It names the
    person, so it is keyed `about_person`."""
    stamp = f"{reported_at.timestamp():.6f}"
    return f"{about_person(participant_id)}outcome:{outcome_id}:{counsellor_id}:{stamp}"


def job_confirmed(outcome_id: int) -> str:
    """The participant hears once that their counsellor confirmed the job."""
    return f"outcome-confirmed:{outcome_id}"
