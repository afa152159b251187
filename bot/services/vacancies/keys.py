"""Outbox keys of the vacancies area: alerts, digests, leads.

See `bot.services.sessions.keys` for what a key is; `tests/services/common/test_keys.py`
holds these to their rules. Ids, days and counters only.
"""

from __future__ import annotations

from datetime import date

from bot.services.participants.keys import about_person


def vacancy_alert(participant_id: int, vacancy_id: int) -> str:
    """Nobody hears of a vacancy twice (the `vacancy_alerts` row is unique per pair too)."""
    return f"alert:{participant_id}:{vacancy_id}"


def vacancy_campaign(vacancy_id: int) -> str:
    """The campaign of a vacancy's alerts."""
    return f"vacancy:{vacancy_id}"


def digest_campaign(mode: str, day: date) -> str:
    """The campaign of one day's digests in a mode."""
    return f"digest:{mode}:{day.isoformat()}"


def digests(mode: str, day: date) -> str:
    """The prefix of one day's digests in a mode ("daily", "weekly")."""
    return f"digest:{mode}:{day.isoformat()}:"


def digest(mode: str, day: date, participant_id: int) -> str:
    """One digest per person, mode and day: running the digest twice a day sends nothing more."""
    return f"{digests(mode, day)}{participant_id}"


def lead(participant_id: int, vacancy_id: int, counsellor_id: int, interest: int) -> str:
    """A lead per time the person turns to "I'm interested" (`interest` counts them): pressing
    it again tells nobody twice, but coming back to it after "not for me" is news again. It
    names the person, so it is keyed `about_person`."""
    return f"{about_person(participant_id)}{vacancy_id}:{counsellor_id}:{interest}"
