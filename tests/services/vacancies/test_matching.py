"""Matching rules at their boundaries, and the bulk index agreeing with them pair by pair."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.reference import distance_km
from bot.services.vacancies.fit import ParticipantProfile, VacancyProfile, match
from bot.services.vacancies.fit_many import ParticipantIndex

FORKLIFT, ORDER_PICKER, WELDER = "8344.1", "9333.8.1", "7212.3"
LILLE = (50.6330, 3.0586)
KORTRIJK = (50.8280, 3.2649)
LILLE_KORTRIJK_KM = distance_km(*LILLE, *KORTRIJK)  # 26.1 km

AMELIE = ParticipantProfile(
    id=1,
    occupations=frozenset({FORKLIFT}),
    lat=LILLE[0],
    lon=LILLE[1],
    max_commute_km=30,
    dutch_level="A2",
    driving_licence=True,
    availability=frozenset({"day", "shifts"}),
)
FORKLIFT_IN_KORTRIJK = VacancyProfile(
    id=10,
    occupation=FORKLIFT,
    lat=KORTRIJK[0],
    lon=KORTRIJK[1],
    municipality="Kortrijk",
    dutch_level="A2",
    driving_licence=False,
    schedule=frozenset({"shifts"}),
)


def test_forklift_driver_in_lille_fits_forklift_job_in_kortrijk_with_reasons() -> None:
    found = match(AMELIE, FORKLIFT_IN_KORTRIJK)
    assert found is not None
    assert found.exact_occupation
    assert found.distance_km == pytest.approx(26.1, abs=0.05)
    assert [r.code for r in found.reasons] == [
        "occupation",
        "distance",
        "dutch",
        "schedule-shifts",
    ]
    assert found.reasons[1].variables == {"town": "Kortrijk", "km": 26}


def test_related_occupation_fits_with_a_lower_score() -> None:
    exact = match(AMELIE, FORKLIFT_IN_KORTRIJK)
    related = match(AMELIE, replace(FORKLIFT_IN_KORTRIJK, occupation=ORDER_PICKER))
    assert related is not None and not related.exact_occupation
    assert related.reasons[0].code == "related"
    assert related.score < exact.score


def test_unrelated_occupation_does_not_fit() -> None:
    assert match(AMELIE, replace(FORKLIFT_IN_KORTRIJK, occupation=WELDER)) is None


def test_commute_limit_is_inclusive_at_the_boundary() -> None:
    just_enough = replace(AMELIE, max_commute_km=27)
    too_short = replace(AMELIE, max_commute_km=26)
    assert match(just_enough, FORKLIFT_IN_KORTRIJK) is not None
    assert match(too_short, FORKLIFT_IN_KORTRIJK) is None


def test_dutch_level_asked_may_equal_but_not_exceed_the_participants() -> None:
    assert match(AMELIE, replace(FORKLIFT_IN_KORTRIJK, dutch_level="A2")) is not None
    assert match(AMELIE, replace(FORKLIFT_IN_KORTRIJK, dutch_level="B1")) is None
    unknown_level = replace(AMELIE, dutch_level=None)
    assert match(unknown_level, replace(FORKLIFT_IN_KORTRIJK, dutch_level="A0")) is not None
    assert match(unknown_level, replace(FORKLIFT_IN_KORTRIJK, dutch_level="A1")) is None


def test_a_comfortable_dutch_level_scores_higher_than_just_enough() -> None:
    easy = match(AMELIE, replace(FORKLIFT_IN_KORTRIJK, dutch_level="A1"))
    exact_level = match(AMELIE, FORKLIFT_IN_KORTRIJK)
    assert easy.score > exact_level.score


def test_driving_licence_is_needed_only_when_the_job_asks_for_it() -> None:
    no_licence = replace(AMELIE, driving_licence=False)
    needs_licence = replace(FORKLIFT_IN_KORTRIJK, driving_licence=True)
    assert match(no_licence, FORKLIFT_IN_KORTRIJK) is not None
    assert match(no_licence, needs_licence) is None
    found = match(AMELIE, needs_licence)
    assert "licence" in [r.code for r in found.reasons]


def test_every_working_pattern_asked_must_be_accepted() -> None:
    nights_and_shifts = replace(FORKLIFT_IN_KORTRIJK, schedule=frozenset({"shifts", "nights"}))
    assert match(AMELIE, nights_and_shifts) is None
    no_pattern = replace(FORKLIFT_IN_KORTRIJK, schedule=frozenset())
    assert match(AMELIE, no_pattern) is not None
    availability_not_said = replace(AMELIE, availability=frozenset())
    assert match(availability_not_said, nights_and_shifts) is not None


def test_someone_without_a_known_home_is_not_matched() -> None:
    assert match(replace(AMELIE, lat=None, lon=None), FORKLIFT_IN_KORTRIJK) is None


def test_an_expired_vacancy_no_longer_fits() -> None:
    vacancy = replace(FORKLIFT_IN_KORTRIJK, expires=date(2026, 11, 30))
    assert match(AMELIE, vacancy, today=date(2026, 11, 30)) is not None
    assert match(AMELIE, vacancy, today=date(2026, 12, 1)) is None


def test_closer_jobs_score_higher() -> None:
    tourcoing = replace(AMELIE, lat=50.7239, lon=3.1612)  # 13.7 km from Kortrijk
    assert match(tourcoing, FORKLIFT_IN_KORTRIJK).score > match(AMELIE, FORKLIFT_IN_KORTRIJK).score


# --- the bulk index gives the same answers ------------------------------------------------

CODES = [FORKLIFT, ORDER_PICKER, WELDER, "9333.8", "8332.2", "7223.4", "5120.1"]
LEVELS = ["A0", "A1", "A2", "B1", "B2", "C1", None]
PATTERNS = ["day", "shifts", "nights", "weekends"]

participants = st.builds(
    ParticipantProfile,
    id=st.integers(1, 10**6),
    occupations=st.frozensets(st.sampled_from(CODES), min_size=1, max_size=3),
    lat=st.floats(50.4, 51.3),
    lon=st.floats(2.3, 3.9),
    max_commute_km=st.sampled_from([15, 30, 45, 60]),
    dutch_level=st.sampled_from(LEVELS),
    driving_licence=st.booleans(),
    availability=st.frozensets(st.sampled_from(PATTERNS)),
)
vacancies = st.builds(
    VacancyProfile,
    id=st.integers(1, 10**6),
    occupation=st.sampled_from(CODES),
    lat=st.floats(50.7, 51.3),
    lon=st.floats(2.5, 3.6),
    municipality=st.just("Kortrijk"),
    dutch_level=st.sampled_from(LEVELS[:-1]),
    driving_licence=st.booleans(),
    schedule=st.frozensets(st.sampled_from(PATTERNS), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(participants, min_size=1, max_size=40, unique_by=lambda p: p.id),
    vacancy=vacancies,
)
def test_index_finds_exactly_who_the_rules_find(people, vacancy) -> None:
    expected = {p.id: m for p in people if (m := match(p, vacancy)) is not None}
    index = ParticipantIndex(people)
    fits = index.fits(vacancy)
    found = dict(zip(index.ids[fits.rows].tolist(), fits.scores.tolist(), strict=True))
    assert set(found) == set(expected)
    for person, score in found.items():
        assert score == pytest.approx(expected[person].score, abs=1e-3)


@settings(max_examples=40, deadline=None)
@given(
    people=st.lists(participants, min_size=1, max_size=25, unique_by=lambda p: p.id),
    jobs=st.lists(vacancies, min_size=1, max_size=30, unique_by=lambda v: v.id),
    per_person=st.integers(1, 4),
)
def test_best_per_person_are_the_top_scores_without_pairs_already_sent(
    people, jobs, per_person
) -> None:
    already = {(people[0].id, jobs[0].id)}
    picks = ParticipantIndex(people).best(jobs, per_person, already).by_person()
    for person in people:
        ranked = sorted(
            (
                (m.score, v.id)
                for v in jobs
                if (person.id, v.id) not in already and (m := match(person, v)) is not None
            ),
            reverse=True,
        )
        got = [(p.score, p.vacancy_id) for p in picks.get(person.id, [])]
        assert len(got) == min(per_person, len(ranked))
        assert [s for s, _ in got] == pytest.approx([s for s, _ in ranked[:per_person]], abs=1e-3)
