"""The matching rules of `bot/services/matching.py`, applied to many participants at once.

A new vacancy is checked against everyone, and the daily digest checks every open vacancy
against everyone: at 100,000 people and 5,000 vacancies that is hundreds of millions of pairs,
so the rules run as numpy array operations over the people whose occupation fits. The results
(who fits, score, distance) are the same as `matching.match` gives pair by pair; the tests
hold the two to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from bot.services.matching import (
    DISTANCE_WEIGHT,
    DUTCH_COMFORTABLE,
    DUTCH_JUST_ENOUGH,
    EXACT_OCCUPATION,
    RELATED_OCCUPATION,
    ParticipantProfile,
    VacancyProfile,
    cefr_rank,
)
from bot.services.reference import EARTH_RADIUS_KM, related_codes

PATTERNS = ("day", "shifts", "nights", "weekends")
# Vacancies are matched this many at a time in the digest, to bound memory.
DIGEST_CHUNK = 256


def pattern_mask(patterns: Iterable[str]) -> int:
    return sum(1 << PATTERNS.index(p) for p in set(patterns) if p in PATTERNS)


@cache
def _related(code: str) -> tuple[str, ...]:
    return tuple(sorted(related_codes(code)))


@dataclass(frozen=True)
class Fits:
    """Who fits one vacancy: row positions in the index, their scores and distances."""

    rows: np.ndarray
    scores: np.ndarray
    distances: np.ndarray
    exact: np.ndarray


@dataclass(frozen=True)
class Pick:
    participant_id: int
    vacancy_id: int
    score: float
    distance_km: float
    exact_occupation: bool


class ParticipantIndex:
    """Participants as columns of arrays, with row lists per occupation code."""

    def __init__(self, participants: Sequence[ParticipantProfile]) -> None:
        people = [p for p in participants if p.lat is not None and p.lon is not None]
        self.ids = np.fromiter((p.id for p in people), dtype=np.int64, count=len(people))
        lat = np.fromiter((p.lat for p in people), dtype=np.float64, count=len(people))
        lon = np.fromiter((p.lon for p in people), dtype=np.float64, count=len(people))
        self._phi = np.radians(lat)
        self._cos_phi = np.cos(self._phi)
        self._lambda = lon
        self._limit = np.fromiter(
            (p.max_commute_km for p in people), dtype=np.float64, count=len(people)
        )
        self._rank = np.fromiter(
            (cefr_rank(p.dutch_level) for p in people), dtype=np.int8, count=len(people)
        )
        self._licence = np.fromiter(
            (p.driving_licence for p in people), dtype=bool, count=len(people)
        )
        # No stated availability means "not checked": every bit set.
        self._accepts = np.fromiter(
            (pattern_mask(p.availability) if p.availability else 0b1111 for p in people),
            dtype=np.int8,
            count=len(people),
        )
        by_code: dict[str, list[int]] = {}
        for row, person in enumerate(people):
            for code in person.occupations:
                by_code.setdefault(code, []).append(row)
        self._by_code = {code: np.array(rows, dtype=np.int64) for code, rows in by_code.items()}
        self._empty = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    def _candidates(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        exact = self._by_code.get(code, self._empty)
        related = [self._by_code[r] for r in _related(code) if r in self._by_code]
        if related:
            others = np.setdiff1d(np.unique(np.concatenate(related)), exact, assume_unique=True)
        else:
            others = self._empty
        rows = np.concatenate([exact, others])
        is_exact = np.zeros(len(rows), dtype=bool)
        is_exact[: len(exact)] = True
        return rows, is_exact

    def fits(self, vacancy: VacancyProfile) -> Fits:
        """Everyone the vacancy fits (the rules of `matching.match`)."""
        rows, exact = self._candidates(vacancy.occupation)
        asked = cefr_rank(vacancy.dutch_level)
        keep = self._rank[rows] >= asked
        if vacancy.driving_licence:
            keep &= self._licence[rows]
        needed = pattern_mask(vacancy.schedule)
        if needed:
            keep &= (self._accepts[rows] & needed) == needed
        rows, exact = rows[keep], exact[keep]
        distances = self._distances(rows, vacancy.lat, vacancy.lon)
        limits = self._limit[rows]
        near = distances <= limits
        rows, exact, distances, limits = rows[near], exact[near], distances[near], limits[near]
        ranks = self._rank[rows]
        scores = (
            np.where(exact, EXACT_OCCUPATION, RELATED_OCCUPATION)
            + DISTANCE_WEIGHT * (1.0 - distances / limits)
            + np.where(ranks > asked, DUTCH_COMFORTABLE, DUTCH_JUST_ENOUGH)
        )
        return Fits(rows=rows, scores=np.round(scores, 3), distances=distances, exact=exact)

    def _distances(self, rows: np.ndarray, lat: float, lon: float) -> np.ndarray:
        # The haversine of reference.distance_km, on arrays.
        phi2 = np.radians(lat)
        d_phi = phi2 - self._phi[rows]
        d_lambda = np.radians(lon - self._lambda[rows])
        h = np.sin(d_phi / 2) ** 2 + self._cos_phi[rows] * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))

    def best(
        self,
        vacancies: Sequence[VacancyProfile],
        per_person: int,
        already: set[tuple[int, int]] | None = None,
    ) -> dict[int, list[Pick]]:
        """For each participant, their `per_person` best-scoring vacancies among `vacancies`
        (ties: the newer vacancy, i.e. the higher id, first), leaving out the (participant id,
        vacancy id) pairs in `already`."""
        vacancy_ids = np.array([v.id for v in vacancies], dtype=np.int64)
        excluded = np.fromiter(
            ((p << 32) | v for p, v in already or ()), dtype=np.int64, count=len(already or ())
        )
        kept = _Top(per_person)
        for start in range(0, len(vacancies), DIGEST_CHUNK):
            parts = []
            for offset, vacancy in enumerate(vacancies[start : start + DIGEST_CHUNK]):
                fit = self.fits(vacancy)
                if len(fit.rows):
                    column = np.full(len(fit.rows), start + offset, dtype=np.int32)
                    parts.append((fit.rows.astype(np.int32), column, fit))
            if not parts:
                continue
            rows = np.concatenate([p[0] for p in parts])
            columns = np.concatenate([p[1] for p in parts])
            fresh = slice(None)
            if len(excluded):
                fresh = ~np.isin((self.ids[rows] << 32) | vacancy_ids[columns], excluded)
            kept.add(
                rows[fresh],
                columns[fresh],
                np.concatenate([p[2].scores for p in parts])[fresh],
                np.concatenate([p[2].distances for p in parts])[fresh],
                np.concatenate([p[2].exact for p in parts])[fresh],
            )
        result: dict[int, list[Pick]] = {}
        for row, column, score, distance, exact in kept.rows():
            person = int(self.ids[row])
            result.setdefault(person, []).append(
                Pick(person, int(vacancy_ids[column]), score, round(distance, 1), exact)
            )
        for picks in result.values():
            picks.sort(key=lambda pick: (-pick.score, -pick.vacancy_id))
        return result


class _Top:
    """The best `k` (score, newest vacancy) per participant row, merged chunk by chunk."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.arrays: tuple[np.ndarray, ...] | None = None

    def add(self, *arrays: np.ndarray) -> None:
        """`arrays`: rows, columns, scores, distances, exact, all the same length."""
        if self.arrays is not None:
            arrays = tuple(
                np.concatenate([old, new]) for old, new in zip(self.arrays, arrays, strict=True)
            )
        rows, columns, scores = arrays[0], arrays[1], arrays[2]
        order = np.lexsort((-columns, -scores, rows))
        rows = rows[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
        chosen = order[rank < self.k]
        self.arrays = tuple(a[chosen] for a in arrays)

    def rows(self):
        if self.arrays is None:
            return iter(())
        return zip(*(a.tolist() for a in self.arrays), strict=True)
