"""The demo's example vacancies are fresh on whatever day it runs."""

from __future__ import annotations

from datetime import date

from bot.demo import EXAMPLE_VACANCIES, moved_to
from bot.services.vacancies.offers import read_vacancies


def test_the_example_vacancies_are_still_open_on_a_day_long_after_they_were_written() -> None:
    later = date(2029, 6, 1)
    text = EXAMPLE_VACANCIES.read_text(encoding="utf-8")
    as_written = read_vacancies(text, "csv", later)
    assert (
        any(draft.expires and draft.expires < later for _, draft in as_written[0])
        or (as_written[1])
    )

    drafts, rejected = read_vacancies(moved_to(text, later), "csv", later)

    assert rejected == [] and len(drafts) == text.count("\nWVL-")
    assert all(draft.expires is None or draft.expires > later for _, draft in drafts)
