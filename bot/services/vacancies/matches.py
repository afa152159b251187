"""Matches as the database sees them: participants' and vacancies' matching profiles, who
may receive alerts, the counsellor's view of a vacancy, a participant's `/jobs`.

The rules themselves are in `bot/services/vacancies/fit.py`, applied to many people at once by
`bot/services/vacancies/fit_many.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.reference import (
    related_codes,
)
from bot.db.models import (
    Participant,
    ParticipantStatus,
    TranslationState,
    User,
    Vacancy,
)
from bot.services.participants import reach
from bot.services.vacancies.fit import (
    Match,
    ParticipantProfile,
    VacancyProfile,
    match,
)
from bot.services.vacancies.fit_many import ParticipantIndex
from bot.services.vacancies.offers import open_vacancies

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
    """Who may receive alerts (in `mode`, when given), with `User` outer-joined: followed,
    and either consented in the bot and on Telegram, or imported with a contact they agreed
    to (`reach.invitable`): for a digest a phone or an e-mail (its SMS says only how many
    offers), for an instant vacancy card an e-mail (no SMS carries a card)."""
    contact = reach.consented_email() if mode == "instant" else None
    return and_(
        reach.invitable(contact),
        Participant.alert_mode == mode if mode else Participant.alert_mode != "off",
    )


async def load_profiles(session: AsyncSession, condition) -> list[ParticipantProfile]:
    """Profiles of the participants who meet `condition` (their Telegram account, if any,
    outer-joined)."""
    query = (
        select(*_PROFILE_COLUMNS).outerjoin(User, User.id == Participant.user_id).where(condition)
    )
    return [_profile(row) for row in await session.execute(query)]


def open_and_ready(today: date):
    return open_vacancies(today) & (Vacancy.translation != TranslationState.PENDING)


@dataclass(frozen=True)
class CandidateMatch:
    """A followed participant a vacancy fits; its reasons follow from the vacancy, the
    distance and whether the occupation is the same (`matching.reasons_for`)."""

    participant_id: int
    external_id: str | None
    on_telegram: bool
    score: float
    distance_km: float
    exact_occupation: bool


@dataclass(frozen=True)
class Followed:
    """Every followed participant's matching profile, as an index, with what the counsellor's
    view shows about each: their external id, whether they are on Telegram."""

    index: ParticipantIndex
    external_ids: dict[int, str | None]
    on_telegram: set[int]


class FollowedIndex:
    """The followed participants' index, kept between calls in one process and rebuilt when
    the participants table changed: its row count or its latest `updated_at` (indexed). A
    replica whose clock lags could write an older `updated_at`; `max_age_s` bounds how long
    such a change goes unseen."""

    def __init__(self, max_age_s: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.max_age_s = max_age_s
        self.clock = clock
        self._built: tuple[Any, Followed, float] | None = None

    async def current(self, session: AsyncSession) -> Followed:
        version = tuple(
            (
                await session.execute(
                    select(func.count(Participant.id), func.max(Participant.updated_at))
                )
            ).one()
        )
        if self._built is not None:
            built_version, followed, built_at = self._built
            if built_version == version and self.clock() - built_at < self.max_age_s:
                return followed
        rows = (
            await session.execute(
                select(*_PROFILE_COLUMNS, Participant.external_id, Participant.user_id).where(
                    Participant.status == ParticipantStatus.FOLLOWED
                )
            )
        ).all()
        followed = Followed(
            index=ParticipantIndex([_profile(row) for row in rows]),
            external_ids={row[0]: row[8] for row in rows},
            on_telegram={row[0] for row in rows if row[9] is not None},
        )
        self._built = (version, followed, self.clock())
        return followed


async def followed_matches(
    session: AsyncSession,
    vacancy: Vacancy,
    today: date,
    followed: FollowedIndex | None = None,
) -> list[CandidateMatch]:
    """Every followed participant the vacancy fits, best first, imported people not yet on
    Telegram and people without consent to alerts included (the counsellor decides).
    A long-lived process passes its `followed` index; a one-off call builds one."""
    if vacancy.expires is not None and vacancy.expires < today:
        return []
    caseload = await (followed or FollowedIndex()).current(session)
    fits = caseload.index.fits(vacancy_profile(vacancy))
    found = [
        CandidateMatch(pid, caseload.external_ids[pid], pid in caseload.on_telegram, *fit)
        for pid, *fit in zip(
            caseload.index.ids[fits.rows].tolist(),
            fits.scores.tolist(),
            np.round(fits.distances, 1).tolist(),
            fits.exact.tolist(),
            strict=True,
        )
    ]
    found.sort(key=lambda c: (-c.score, c.distance_km, c.participant_id))
    return found


async def within(
    session: AsyncSession, found: list[CandidateMatch], territories: tuple[str, ...]
) -> list[CandidateMatch]:
    """The matches of participants of `territories` (a CET's view of who a vacancy fits)."""
    theirs = set(
        await session.scalars(
            select(Participant.id).where(
                Participant.status == ParticipantStatus.FOLLOWED,
                Participant.territory.in_(territories),
            )
        )
    )
    return [candidate for candidate in found if candidate.participant_id in theirs]


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
