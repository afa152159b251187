"""Matches as the database sees them: participants' and vacancies' matching profiles, who
may receive alerts, the counsellor's view of a vacancy, a participant's `/jobs`.

The rules themselves are in `bot/services/matching.py`, applied to many people at once by
`bot/services/match_index.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Participant,
    ParticipantStatus,
    TranslationState,
    User,
    Vacancy,
)
from bot.services.match_index import ParticipantIndex
from bot.services.matching import Match, ParticipantProfile, VacancyProfile, match
from bot.services.reference import (
    related_codes,
)

JOBS_SHOWN = 10


_PROFILE_COLUMNS = (
    Participant.id,
    Participant.occupations,
    Participant.home_lat,
    Participant.home_lon,
    Participant.max_commute_km,
    Participant.dutch_level,
    Participant.driving_licence,
    Participant.availability,
)


def _profile(row: Sequence[Any]) -> ParticipantProfile:
    pid, occupations, lat, lon, commute, level, licence, availability = row[:8]
    return ParticipantProfile(
        id=pid,
        occupations=frozenset(occupations or ()),
        lat=lat,
        lon=lon,
        max_commute_km=commute,
        dutch_level=level,
        driving_licence=bool(licence),
        availability=frozenset(availability or ()),
    )


def participant_profile(participant: Participant) -> ParticipantProfile:
    return _profile([getattr(participant, c.key) for c in _PROFILE_COLUMNS])


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    return VacancyProfile(
        id=vacancy.id,
        occupation=vacancy.occupation,
        lat=vacancy.lat,
        lon=vacancy.lon,
        municipality=vacancy.municipality,
        dutch_level=vacancy.dutch_level,
        driving_licence=vacancy.driving_licence,
        schedule=frozenset(vacancy.schedule or ()),
        expires=vacancy.expires,
    )


def alertable(mode: str | None = None):
    """Who may receive alerts (in `mode`, when given)."""
    conditions = [
        Participant.status == ParticipantStatus.FOLLOWED,
        Participant.consent_at.is_not(None),
        User.reachable.is_(True),
    ]
    conditions.append(Participant.alert_mode == mode if mode else Participant.alert_mode != "off")
    return and_(*conditions)


def _holding(codes: set[str]):
    """Participants who hold one of these occupation codes: a text match on the stored JSON
    list, so the database does the narrowing (codes are digits and dots, stored quoted)."""
    stored = cast(Participant.occupations, String)
    return or_(*(stored.like(f'%"{code}"%') for code in sorted(codes)))


async def load_profiles(
    session: AsyncSession, condition, codes: set[str] | None = None
) -> list[ParticipantProfile]:
    """Profiles of the participants who may receive alerts and meet `condition`; with
    `codes`, only those holding one of them."""
    query = select(*_PROFILE_COLUMNS).join(User, User.id == Participant.user_id).where(condition)
    if codes is not None:
        query = query.where(_holding(codes))
    return [_profile(row) for row in await session.execute(query)]


def codes_fitting(code: str) -> set[str]:
    """The participant occupation codes a vacancy of `code` may fit."""
    return {code, *related_codes(code)}


def open_and_ready(today: date):
    return (Vacancy.expires.is_(None) | (Vacancy.expires >= today)) & (
        Vacancy.translation != TranslationState.PENDING
    )


@dataclass(frozen=True)
class CandidateMatch:
    participant_id: int
    external_id: str | None
    on_telegram: bool
    match: Match


async def followed_matches(
    session: AsyncSession, vacancy: Vacancy, today: date
) -> list[CandidateMatch]:
    """Every followed participant the vacancy fits, best first, imported people not yet on
    Telegram and people without consent to alerts included (the counsellor decides)."""
    if vacancy.expires is not None and vacancy.expires < today:
        return []
    profile = vacancy_profile(vacancy)
    rows = (
        await session.execute(
            select(*_PROFILE_COLUMNS, Participant.external_id, Participant.user_id).where(
                Participant.status == ParticipantStatus.FOLLOWED,
                _holding(codes_fitting(vacancy.occupation)),
            )
        )
    ).all()
    people = [_profile(row) for row in rows]
    known = {row[0]: (row[8], row[9]) for row in rows}
    index = ParticipantIndex(people)
    fits = index.fits(profile)
    by_id = {p.id: p for p in people}
    found = []
    for pid in index.ids[fits.rows].tolist():
        fit = match(by_id[pid], profile, today)
        if fit is not None:
            external_id, user_id = known[pid]
            found.append(CandidateMatch(pid, external_id, user_id is not None, fit))
    found.sort(key=lambda c: (-c.match.score, c.match.distance_km, c.participant_id))
    return found


async def jobs_for(
    session: AsyncSession, participant: Participant, today: date, limit: int = JOBS_SHOWN
) -> list[tuple[Vacancy, Match]]:
    """A participant's current matches, best first (`/jobs`)."""
    mine = set(participant.occupations or ())
    codes = mine | {r for code in mine for r in related_codes(code)}
    if not codes:
        return []
    vacancies = (
        await session.scalars(
            select(Vacancy).where(open_and_ready(today), Vacancy.occupation.in_(codes))
        )
    ).all()
    profile = participant_profile(participant)
    found = [(v, m) for v in vacancies if (m := match(profile, vacancy_profile(v), today))]
    found.sort(key=lambda pair: (-pair[1].score, -pair[0].id))
    return found[:limit]
