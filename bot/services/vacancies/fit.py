"""Matching: does this vacancy fit this person, how well, and why (DESIGN.md §4 "Matching").

A vacancy fits a participant when every rule holds:
- the occupation is one of theirs, or related to one of theirs in the reference data;
- the workplace is within their commute limit (haversine from their home);
- the Dutch level asked is at most theirs (CEFR A0..C2; an unknown level counts as A0);
- a driving licence, when asked, is one they have;
- each working pattern the vacancy asks (day, shifts, nights, weekends) is one they accept
  (no stated availability: not checked).
Someone without a known home is never matched: the distance could not be explained.

The rules are pure functions of two profiles, so the counsellor's view, `/jobs` and the alert
jobs all agree, and every match carries the reasons a counsellor can stand behind: matching
suggests, counsellors decide (GDPR art. 22). `bot/services/vacancies/fit_many.py` applies the same
rules to many people at once and is tested against this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.common.reference import distance_km, related_codes

CEFR = ("A0", "A1", "A2", "B1", "B2", "C1", "C2")

# Score weights: the occupation matters most, then how close, then language comfort.
EXACT_OCCUPATION = 0.5
RELATED_OCCUPATION = 0.3
DISTANCE_WEIGHT = 0.3
DUTCH_COMFORTABLE = 0.2  # the person's level is above the one asked
DUTCH_JUST_ENOUGH = 0.1


def cefr_rank(level: str | None) -> int:
    """A0 -> 0 ... C2 -> 6; unknown or empty counts as A0."""
    try:
        return CEFR.index((level or "A0").upper())
    except ValueError:
        return 0


@dataclass(frozen=True)
class ParticipantProfile:
    id: int
    occupations: frozenset[str]
    lat: float | None
    lon: float | None
    max_commute_km: int
    dutch_level: str | None
    driving_licence: bool
    availability: frozenset[str]


@dataclass(frozen=True)
class VacancyProfile:
    id: int
    occupation: str
    lat: float
    lon: float
    municipality: str
    dutch_level: str
    driving_licence: bool
    schedule: frozenset[str]
    expires: date | None = None


@dataclass(frozen=True)
class Reason:
    """Why a vacancy fits, as a Fluent key suffix (`match-reason-<code>`) and its variables."""

    code: str
    variables: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    participant_id: int
    vacancy_id: int
    score: float
    distance_km: float
    exact_occupation: bool
    reasons: tuple[Reason, ...]


def occupation_fit(participant: ParticipantProfile, code: str) -> str | None:
    """ "exact", "related" or None."""
    if code in participant.occupations:
        return "exact"
    if any(code in related_codes(own) for own in participant.occupations):
        return "related"
    return None


def score_of(exact: bool, distance: float, limit: int, participant_rank: int, asked_rank: int):
    """The score in 0..1 (rounded to 3 places) of a pair that fits."""
    occupation = EXACT_OCCUPATION if exact else RELATED_OCCUPATION
    closeness = DISTANCE_WEIGHT * (1.0 - distance / limit) if limit > 0 else 0.0
    dutch = DUTCH_COMFORTABLE if participant_rank > asked_rank else DUTCH_JUST_ENOUGH
    return round(occupation + closeness + dutch, 3)


def match(
    participant: ParticipantProfile, vacancy: VacancyProfile, today: date | None = None
) -> Match | None:
    """The match of one participant and one vacancy, or None when a rule fails."""
    if today is not None and vacancy.expires is not None and vacancy.expires < today:
        return None
    fit = occupation_fit(participant, vacancy.occupation)
    if fit is None or participant.lat is None or participant.lon is None:
        return None
    distance = distance_km(participant.lat, participant.lon, vacancy.lat, vacancy.lon)
    if distance > participant.max_commute_km:
        return None
    own_rank, asked_rank = cefr_rank(participant.dutch_level), cefr_rank(vacancy.dutch_level)
    if asked_rank > own_rank:
        return None
    if vacancy.driving_licence and not participant.driving_licence:
        return None
    if participant.availability and not vacancy.schedule <= participant.availability:
        return None
    exact = fit == "exact"
    return Match(
        participant_id=participant.id,
        vacancy_id=vacancy.id,
        score=score_of(exact, distance, participant.max_commute_km, own_rank, asked_rank),
        distance_km=round(distance, 1),
        exact_occupation=exact,
        reasons=reasons_for(vacancy, distance, exact),
    )


def reasons_for(vacancy: VacancyProfile, distance: float, exact: bool) -> tuple[Reason, ...]:
    """What a participant reads under a vacancy: "Kortrijk · 24 km · Dutch A2 · shifts"."""
    reasons = [
        Reason("occupation" if exact else "related", {"code": vacancy.occupation}),
        Reason("distance", {"town": vacancy.municipality, "km": round(distance)}),
        Reason("dutch", {"level": vacancy.dutch_level.upper()}),
    ]
    if vacancy.driving_licence:
        reasons.append(Reason("licence"))
    for pattern in sorted(vacancy.schedule):
        reasons.append(Reason(f"schedule-{pattern}"))
    return tuple(reasons)
