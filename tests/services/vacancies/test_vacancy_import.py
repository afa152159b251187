"""VDAB and employers' vacancies come in as CSV or JSON files: the rules every offer must
meet, the rows refused with their line, and re-imports that only change what changed."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import TranslationState, Vacancy
from bot.services.staff.members import add_staff
from bot.services.vacancies.offers import (
    VacancyImportError,
    check_vacancy,
    find_vacancy,
    guess_format,
    import_vacancies,
    new_external_id,
    open_vacancies,
    read_vacancies,
    save_vacancy,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CSV_SAMPLE = (EXAMPLES / "vacancies.csv").read_text(encoding="utf-8")
JSON_SAMPLE = (EXAMPLES / "vacancies.json").read_text(encoding="utf-8")
HEADER = CSV_SAMPLE.splitlines()[0]
TODAY = date(2026, 11, 23)
GOOD = (
    "K-1,Heftruckchauffeur (m/v/x),Vlaamse Verpakking NV,heftruckchauffeur,8500,Kortrijk,"
    "Je laadt en lost vrachtwagens.,A2,no,interim,shifts,38,2026-11-02,2027-01-31,"
    "https://jobs.example/k-1"
)
MINIMAL = "M-1,Schoonmaker (m/v/x),Net & Proper BV,Schoonmaker,8000,,,A0,,temporary,,,2026-11-12,,"


def vacancies_csv(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def edited(row: str, column: str, value: str) -> str:
    """`row` (no quoted cells) with `column` set to `value`."""
    cells = row.split(",")
    cells[HEADER.split(",").index(column)] = value
    return ",".join(cells)


async def vacancy(session, external_id: str) -> Vacancy:
    return await session.scalar(select(Vacancy).where(Vacancy.external_id == external_id))


async def count(session) -> int:
    return await session.scalar(select(func.count()).select_from(Vacancy))


# a good file


async def test_the_example_file_creates_every_vacancy(session) -> None:
    report = await import_vacancies(session, CSV_SAMPLE, "csv", TODAY)
    await session.commit()

    assert report.summary == "created 15, updated 0, unchanged 0, rejected 0"
    assert await count(session) == 15
    assert len(report.changed_ids) == 15


async def test_an_imported_vacancy_is_stored_as_the_file_says(session) -> None:
    await import_vacancies(session, vacancies_csv(GOOD), "csv", TODAY)

    stored = await vacancy(session, "K-1")
    assert (stored.lang, stored.title_nl, stored.title_fr) == (
        "nl",
        "Heftruckchauffeur (m/v/x)",
        None,
    )
    assert stored.description_nl == "Je laadt en lost vrachtwagens."
    assert (stored.employer, stored.occupation) == ("Vlaamse Verpakking NV", "8344.1")
    assert (stored.postcode, stored.municipality) == ("8500", "Kortrijk")
    assert (stored.lat, stored.lon) == (50.828, 3.2649)  # from places.csv
    assert (stored.dutch_level, stored.driving_licence, stored.contract) == ("A2", False, "interim")
    assert (stored.schedule, stored.hours_per_week) == (["shifts"], 38)
    assert (stored.published, stored.expires) == (date(2026, 11, 2), date(2027, 1, 31))
    assert stored.url == "https://jobs.example/k-1"
    assert stored.translation == TranslationState.PENDING and stored.alerted_at is None


async def test_empty_optional_fields_set_no_constraint(session) -> None:
    await import_vacancies(session, vacancies_csv(MINIMAL), "csv", TODAY)

    stored = await vacancy(session, "M-1")
    assert stored.municipality == "Brugge"  # the postcode's commune, in Dutch
    assert stored.description_nl is None and stored.url is None
    assert (stored.driving_licence, stored.schedule) == (False, [])
    assert (stored.hours_per_week, stored.expires) == (None, None)


async def test_a_json_file_holds_the_same_vacancies_as_the_csv(session) -> None:
    from_csv, _ = read_vacancies(CSV_SAMPLE, "csv", TODAY)
    from_json, rejections = read_vacancies(JSON_SAMPLE, "json", TODAY)

    assert rejections == []
    assert [draft for _, draft in from_json] == [draft for _, draft in from_csv]
    report = await import_vacancies(session, JSON_SAMPLE, "json", TODAY)
    assert report.summary == "created 15, updated 0, unchanged 0, rejected 0"


async def test_labels_synonyms_and_codes_resolve_to_the_same_occupation(session) -> None:
    rows = [
        edited(edited(GOOD, "external_id", f"K-{n}"), "occupation", name)
        for n, name in enumerate(
            ["heftruckchauffeur", "Heftruckbestuurder", "CARISTE", "heftruck-chauffeur", "8344.1"]
        )
    ]
    await import_vacancies(session, vacancies_csv(*rows), "csv", TODAY)

    assert list(await session.scalars(select(Vacancy.occupation))) == ["8344.1"] * 5


# bad rows


async def test_bad_rows_are_reported_with_their_line_and_the_others_imported(session) -> None:
    text = vacancies_csv(
        GOOD,
        edited(edited(GOOD, "external_id", "B-1"), "postcode", "9999"),
        edited(edited(GOOD, "external_id", "B-2"), "published", "02/11/2026"),
        edited(edited(GOOD, "external_id", "B-3"), "occupation", "astronaut"),
        edited(MINIMAL, "external_id", "M-2"),
        edited(edited(GOOD, "external_id", "B-4"), "dutch_level", "C3"),
        edited(edited(GOOD, "external_id", "B-5"), "schedule", "day;mornings"),
    )
    report = await import_vacancies(session, text, "csv", TODAY)

    assert report.summary == "created 2, updated 0, unchanged 0, rejected 5"
    assert [str(rejection) for rejection in report.rejections] == [
        "line 3: unknown postcode '9999'",
        "line 4: published '02/11/2026' is not a date YYYY-MM-DD",
        "line 5: unknown occupation 'astronaut'",
        "line 7: dutch_level must be one of A0, A1, A2, B1, B2, C1, C2",
        "line 8: schedule 'mornings' is not one of day, shifts, nights, weekends",
    ]
    assert list(await session.scalars(select(Vacancy.external_id).order_by(Vacancy.id))) == [
        "K-1",
        "M-2",
    ]


async def test_every_problem_of_a_row_is_named_not_only_the_first(session) -> None:
    row = GOOD.replace("Heftruckchauffeur (m/v/x)", "x" * 201)
    for column, value in [
        ("contract", "freelance"),
        ("hours_per_week", "0"),
        ("expires", "2026-10-01"),
        ("url", "ftp://jobs.example/k-1"),
        ("driving_licence", "maybe"),
    ]:
        row = edited(row, column, value)
    report = await import_vacancies(session, vacancies_csv(row), "csv", TODAY)

    assert report.rejections[0].reason == (
        "title_nl is longer than 200 characters; "
        "driving_licence must be yes or no; "
        "contract must be one of permanent, temporary, interim; "
        "hours_per_week must be a whole number from 1 to 50; "
        "expires is before published; "
        "url must be an http(s) address"
    )


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("external_id", "", "external_id is empty"),
        ("title_nl", "", "title_nl is empty"),
        ("employer", "", "employer is empty"),
        ("dutch_level", "", "dutch_level is empty"),
        ("published", "", "published is empty"),
        ("published", "2026-02-30", "published '2026-02-30' is not a date YYYY-MM-DD"),
        ("published", "2026-12-01", "published 2026-12-01 is in the future"),
        ("expires", "next week", "expires 'next week' is not a date YYYY-MM-DD"),
        ("hours_per_week", "80", "hours_per_week must be a whole number from 1 to 50"),
        ("hours_per_week", "-5", "hours_per_week must be a whole number from 1 to 50"),
        ("hours_per_week", "19.5", "hours_per_week must be a whole number from 1 to 50"),
        ("url", "www.jobs.example", "url must be an http(s) address"),
        ("occupation", "heftruckchaufeur", "unknown occupation 'heftruckchaufeur' (did you"),
        ("municipality", "Roeselare", "municipality 'Roeselare' is not served by postcode 8500"),
    ],
)
async def test_each_bad_value_is_named(session, column: str, value: str, reason: str) -> None:
    report = await import_vacancies(
        session, vacancies_csv(edited(GOOD, column, value)), "csv", TODAY
    )
    assert report.accepted == 0
    assert str(report.rejections[0]).startswith(f"line 2: {reason}")


async def test_a_typo_in_the_occupation_is_refused_with_a_suggestion(session) -> None:
    row = edited(GOOD, "occupation", "heftruckchaufeur")
    report = await import_vacancies(session, vacancies_csv(row), "csv", TODAY)
    assert report.rejections[0].reason == (
        "unknown occupation 'heftruckchaufeur' (did you mean Heftruckchauffeur?)"
    )


async def test_a_locality_or_an_unknown_place_name_is_kept_with_the_postcode_s_location(
    session,
) -> None:
    heule = edited(edited(GOOD, "postcode", "8501"), "municipality", "Heule")
    zone = edited(edited(GOOD, "external_id", "K-2"), "municipality", "Kortrijk-Noord")
    await import_vacancies(session, vacancies_csv(heule, zone), "csv", TODAY)

    first, second = await vacancy(session, "K-1"), await vacancy(session, "K-2")
    assert (first.postcode, first.municipality, first.lat) == ("8501", "Heule", 50.8306)
    assert (second.postcode, second.municipality, second.lat) == ("8500", "Kortrijk-Noord", 50.828)


async def test_the_same_vacancy_twice_in_a_file_is_refused_the_second_time(session) -> None:
    report = await import_vacancies(session, vacancies_csv(GOOD, GOOD), "csv", TODAY)
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 1"
    assert str(report.rejections[0]) == "line 3: external_id 'K-1' already on line 2"


async def test_a_description_over_several_lines_keeps_the_line_numbers_right(session) -> None:
    row = GOOD.replace("Je laadt en lost vrachtwagens.", '"Je laadt en lost.\n\n\n\nJe rijdt."')
    bad = edited(edited(GOOD, "external_id", "K-2"), "postcode", "1000")
    report = await import_vacancies(session, vacancies_csv(row, bad), "csv", TODAY)

    assert [str(r) for r in report.rejections] == ["line 7: unknown postcode '1000'"]
    assert (await vacancy(session, "K-1")).description_nl == "Je laadt en lost.\n\nJe rijdt."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        (HEADER.replace(",url", "") + "\n", "missing columns: url"),
        (HEADER + ",salary\n", "unknown columns: salary"),
        (HEADER.replace(",", "|") + "\n", "the header has a single column: separate"),
    ],
)
async def test_a_csv_file_with_wrong_columns_is_refused_as_a_whole(session, text, reason) -> None:
    with pytest.raises(VacancyImportError, match=reason):
        await import_vacancies(session, text, "csv", TODAY)
    assert await count(session) == 0


# JSON


async def test_bad_json_items_are_reported_by_item_number(session) -> None:
    items = json.loads(JSON_SAMPLE)[:3]
    items[1]["hours_per_week"] = 38.5
    items[2]["expire"] = "2027-01-01"
    del items[0]["url"], items[0]["description_nl"]  # optional fields may be left out
    text = json.dumps([*items, "WVL-2026-0199", {"external_id": "X"}])
    report = await import_vacancies(session, text, "json", TODAY)

    assert report.summary == "created 1, updated 0, unchanged 0, rejected 4"
    assert [str(rejection) for rejection in report.rejections[:3]] == [
        "item 2: hours_per_week must be a whole number from 1 to 50",
        "item 3: unknown fields: expire",
        "item 4: not an object",
    ]
    assert str(report.rejections[3]).startswith("item 5: title_nl is missing; employer is missing")


async def test_json_values_may_be_lists_booleans_and_numbers(session) -> None:
    item = json.loads(JSON_SAMPLE)[4]
    assert isinstance(item["schedule"], list) and item["driving_licence"] is True
    item["postcode"] = 8900
    await import_vacancies(session, json.dumps([item]), "json", TODAY)

    stored = await vacancy(session, item["external_id"])
    assert (stored.postcode, stored.driving_licence, stored.schedule) == ("8900", True, ["day"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[{"external_id": "A",]', r"not valid JSON \(line 1, column 22"),
        ('{"external_id": "A"}', "the JSON must be a list of vacancy objects"),
    ],
)
async def test_a_json_file_that_is_not_a_list_of_objects_is_refused(
    session, text: str, reason: str
) -> None:
    with pytest.raises(VacancyImportError, match=reason):
        await import_vacancies(session, text, "json", TODAY)


def test_the_format_follows_the_extension_else_the_content() -> None:
    assert guess_format("export.JSON", "external_id,...") == "json"
    assert guess_format("export.csv", "[]") == "csv"
    assert guess_format("export.txt", '\ufeff\n  [{"external_id": "A"}]') == "json"
    assert guess_format("export", HEADER) == "csv"


# re-import


async def test_importing_the_same_file_again_changes_nothing(session) -> None:
    await import_vacancies(session, CSV_SAMPLE, "csv", TODAY)
    await session.commit()
    before = list(await session.scalars(select(Vacancy.updated_at).order_by(Vacancy.id)))

    again = await import_vacancies(session, JSON_SAMPLE, "json", TODAY)
    await session.commit()

    assert again.summary == "created 0, updated 0, unchanged 15, rejected 0"
    assert again.changed_ids == []
    after = list(await session.scalars(select(Vacancy.updated_at).order_by(Vacancy.id)))
    assert after == before


async def test_an_edited_text_is_updated_and_translated_again(session) -> None:
    await import_vacancies(session, vacancies_csv(GOOD), "csv", TODAY)
    stored = await vacancy(session, "K-1")
    alerted = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    stored.title_fr, stored.description_fr = "Cariste (h/f/x)", "Vous chargez des camions."
    stored.translation, stored.alerted_at = TranslationState.DONE, alerted
    await session.commit()

    changed = GOOD.replace("Je laadt en lost vrachtwagens.", "Je laadt en lost containers.")
    report = await import_vacancies(session, vacancies_csv(changed), "csv", TODAY)
    await session.commit()

    assert report.summary == "created 0, updated 1, unchanged 0, rejected 0"
    assert report.changed_ids == [stored.id]
    await session.refresh(stored)
    assert stored.description_nl == "Je laadt en lost containers."
    assert stored.translation == TranslationState.PENDING
    assert (stored.title_fr, stored.description_fr) == (None, None)
    assert stored.alerted_at is not None  # who it suits did not change


async def test_a_change_in_who_it_suits_makes_it_alertable_again(session) -> None:
    await import_vacancies(session, vacancies_csv(GOOD), "csv", TODAY)
    stored = await vacancy(session, "K-1")
    stored.title_fr, stored.translation = "Cariste (h/f/x)", TranslationState.DONE
    stored.alerted_at = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    await session.commit()

    report = await import_vacancies(
        session, vacancies_csv(edited(GOOD, "dutch_level", "A1")), "csv", TODAY
    )
    await session.commit()

    assert report.summary == "created 0, updated 1, unchanged 0, rejected 0"
    await session.refresh(stored)
    assert (stored.dutch_level, stored.alerted_at) == ("A1", None)
    assert (stored.translation, stored.title_fr) == (TranslationState.DONE, "Cariste (h/f/x)")


async def test_a_change_that_matches_nobody_new_keeps_the_alert_state(session) -> None:
    await import_vacancies(session, vacancies_csv(GOOD), "csv", TODAY)
    stored = await vacancy(session, "K-1")
    stored.alerted_at = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    await session.commit()

    report = await import_vacancies(
        session, vacancies_csv(edited(GOOD, "hours_per_week", "32")), "csv", TODAY
    )
    await session.commit()

    assert report.summary == "created 0, updated 1, unchanged 0, rejected 0"
    await session.refresh(stored)
    assert stored.hours_per_week == 32 and stored.alerted_at is not None


# expiry and look-up


async def test_an_expired_vacancy_is_imported_but_no_longer_open(session) -> None:
    expired = edited(edited(GOOD, "external_id", "OLD"), "expires", "2026-11-22")
    last_day = edited(edited(GOOD, "external_id", "TODAY"), "expires", "2026-11-23")
    report = await import_vacancies(
        session, vacancies_csv(expired, last_day, MINIMAL), "csv", TODAY
    )
    assert report.summary == "created 3, updated 0, unchanged 0, rejected 0"

    still_open = await session.scalars(
        select(Vacancy.external_id).where(open_vacancies(TODAY)).order_by(Vacancy.id)
    )
    assert list(still_open) == ["TODAY", "M-1"]


async def test_a_vacancy_is_found_by_external_id_or_by_id(session) -> None:
    numbered = edited(GOOD, "external_id", "2")  # an external id that looks like an id
    await import_vacancies(session, vacancies_csv(MINIMAL, numbered), "csv", TODAY)

    minimal = await vacancy(session, "M-1")
    assert (await find_vacancy(session, " M-1 ")).id == minimal.id
    assert (await find_vacancy(session, str(minimal.id))).external_id == "M-1"
    assert (await find_vacancy(session, "2")).external_id == "2"  # external_id first
    assert await find_vacancy(session, "999") is None
    assert await find_vacancy(session, "nope") is None
    assert await find_vacancy(session, "9" * 40) is None


# a vacancy posted in the bot


async def test_staff_post_in_french_is_stored_as_french_text(session) -> None:
    staff = await add_staff(session, 2001, "vdab", "Els")
    fields = {
        "external_id": new_external_id(),
        "title_fr": "Soudeur  (h/f/x)",
        "description_fr": "Soudure TIG en atelier.",
        "employer": "Staalbouw Mandel NV",
        "occupation": "soudeur",
        "postcode": "8800",
        "dutch_level": "a0",
        "contract": "permanent",
        "schedule": ["day"],
        "published": "2026-11-20",
    }
    draft, problems = check_vacancy(fields, TODAY, lang="fr")
    assert problems == []

    assert await save_vacancy(session, draft, posted_by=staff.id) == "created"
    assert await save_vacancy(session, draft) == "unchanged"
    stored = await vacancy(session, draft.external_id)
    assert (stored.lang, stored.title_fr, stored.title_nl) == ("fr", "Soudeur (h/f/x)", None)
    assert (stored.occupation, stored.municipality, stored.dutch_level) == (
        "7212.3",
        "Roeselare",
        "A0",
    )
    assert stored.posted_by == staff.id  # not cleared by a save without it


def test_the_rules_name_missing_fields_and_need_a_known_language() -> None:
    draft, problems = check_vacancy({}, TODAY)
    assert draft is None
    assert problems[:3] == ["external_id is missing", "title_nl is missing", "employer is missing"]
    with pytest.raises(ValueError, match="lang"):
        check_vacancy({}, TODAY, lang="en")


def test_external_ids_for_bot_posts_are_distinct() -> None:
    ids = {new_external_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"bot-[0-9a-f]{10}", external_id) for external_id in ids)
