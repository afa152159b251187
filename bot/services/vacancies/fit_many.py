"""The matching rules of `bot/services/vacancies/fit.py`, applied to many participants at once.

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

from bot.common.reference import EARTH_RADIUS_KM, related_codes
from bot.services.vacancies.fit import (
    DISTANCE_WEIGHT,
    DUTCH_COMFORTABLE,
    DUTCH_JUST_ENOUGH,
    EXACT_OCCUPATION,
    RELATED_OCCUPATION,
    ParticipantProfile,
    VacancyProfile,
    cefr_rank,
)

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
        self._candidate_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def _candidates(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        if code in self._candidate_cache:
            return self._candidate_cache[code]
        exact = self._by_code.get(code, self._empty)
        related = [self._by_code[r] for r in _related(code) if r in self._by_code]
        if related:
            others = np.setdiff1d(np.unique(np.concatenate(related)), exact, assume_unique=True)
        else:
            others = self._empty
        rows = np.concatenate([exact, others])
        is_exact = np.zeros(len(rows), dtype=bool)
        is_exact[: len(exact)] = True
        self._candidate_cache[code] = (rows, is_exact)
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
    ) -> Best:
        """For each participant, their `per_person` best-scoring vacancies among `vacancies`
        (ties: the newer vacancy, i.e. the higher id, first), leaving out the (participant id,
        vacancy id) pairs in `already`."""
        vacancy_ids = np.array([v.id for v in vacancies], dtype=np.int64)
        excluded = np.fromiter(
            ((p << 32) | v for p, v in already or ()), dtype=np.int64, count=len(already or ())
        )
        kept = _Top(per_person, len(self.ids))
        for start in range(0, len(vacancies), DIGEST_CHUNK):
            parts = []
            for offset, vacancy in enumerate(vacancies[start : start + DIGEST_CHUNK]):
                fit = self.fits(vacancy)
                if len(fit.rows):
                    parts.append((fit, np.full(len(fit.rows), vacancy_ids[start + offset])))
            if not parts:
                continue
            rows = np.concatenate([fit.rows for fit, _ in parts])
            vids = np.concatenate([column for _, column in parts])
            fresh = slice(None)
            if len(excluded):
                fresh = ~np.isin((self.ids[rows] << 32) | vids, excluded)
            kept.add(
                rows[fresh],
                vids[fresh],
                np.concatenate([fit.scores for fit, _ in parts])[fresh],
                np.concatenate([fit.distances for fit, _ in parts])[fresh],
                np.concatenate([fit.exact for fit, _ in parts])[fresh],
            )
        rows, vids, scores, distances, exact = kept.arrays
        return Best(self.ids[rows], vids, scores, np.round(distances, 1), exact)


@dataclass(frozen=True)
class Best:
    """Chosen (participant, vacancy) pairs as arrays, grouped by participant, best first."""

    participant_ids: np.ndarray
    vacancy_ids: np.ndarray
    scores: np.ndarray
    distances: np.ndarray
    exact: np.ndarray

    def __len__(self) -> int:
        return len(self.participant_ids)

    def people(self) -> list[tuple[int, slice]]:
        """Each participant id with the slice of their pairs."""
        ids = self.participant_ids
        if not len(ids):
            return []
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]).tolist()
        ends = [*starts[1:], len(ids)]
        return [(int(ids[a]), slice(int(a), int(b))) for a, b in zip(starts, ends, strict=True)]

    def picks(self, part: slice = slice(None)) -> list[Pick]:
        return [
            Pick(*values)
            for values in zip(
                self.participant_ids[part].tolist(),
                self.vacancy_ids[part].tolist(),
                self.scores[part].tolist(),
                self.distances[part].tolist(),
                self.exact[part].tolist(),
                strict=True,
            )
        ]

    def by_person(self) -> dict[int, list[Pick]]:
        return {person: self.picks(part) for person, part in self.people()}


def _ranking(rows: np.ndarray, scores: np.ndarray, vids: np.ndarray) -> np.ndarray:
    """The order by row, then best score, then newest vacancy. Scores have 3 decimals, so
    the three keys pack into one int64 and one argsort does it (several times faster than
    a three-key lexsort) while rows and ids stay in range."""
    if len(rows) and (rows.max() < 1 << 21 and vids.max() < 1 << 31 and vids.min() >= 0):
        weakness = 1000 - np.rint(scores * 1000).astype(np.int64)
        keys = (rows.astype(np.int64) << 42) | (weakness << 31) | ((1 << 31) - 1 - vids)
        return np.argsort(keys, kind="stable")
    return np.lexsort((-vids, -scores, rows))


class _Top:
    """The best `k` (score, newest vacancy) per participant row, merged chunk by chunk. A
    row's k-th best score so far is kept, so weaker newcomers are dropped before sorting."""

    def __init__(self, k: int, rows: int) -> None:
        self.k = k
        self.kth = np.full(rows, -np.inf)
        empty = np.empty(0)
        self.arrays: tuple[np.ndarray, ...] = (
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int64),
            empty,
            empty,
            np.empty(0, dtype=bool),
        )

    def add(self, *arrays: np.ndarray) -> None:
        """`arrays`: rows, vacancy ids, scores, distances, exact, all the same length."""
        contender = arrays[2] >= self.kth[arrays[0]]
        arrays = tuple(
            np.concatenate([old, new[contender]])
            for old, new in zip(self.arrays, arrays, strict=True)
        )
        rows, vids, scores = arrays[0], arrays[1], arrays[2]
        order = _ranking(rows, scores, vids)
        rows = rows[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
        chosen = order[rank < self.k]
        self.arrays = tuple(a[chosen] for a in arrays)
        last = rank == self.k - 1
        self.kth[rows[last]] = scores[order][last]
