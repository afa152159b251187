"""The answers of the vacancy flow (`bot.flows.vacancies.post`), apart from the dialog: each
typed answer checked, with a message per kind of mistake; an answer recalled when its step is
shown again; the answers held to `check_vacancy`; and the preview card.

Messages come in the reader's language (`i18n`); answers are kept as JSON values (the
conversation state is stored), dates as ISO text.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.dates import day_text
from bot.common.reference import Place, find_occupation
from bot.db.models import TranslationState, Vacancy
from bot.delivery.outbox import message_payload
from bot.delivery.sender import render
from bot.flows.common.answers import Refused, https_url, long_text, one_line, whole
from bot.services.translation.translator import Translator, translate_vacancy
from bot.services.vacancies import cards as vacancy_cards
from bot.services.vacancies.fit_many import Pick
from bot.services.vacancies.offers import (
    DESCRIPTION_MAX,
    EMPLOYER_MAX,
    HOURS_RANGE,
    TITLE_MAX,
    URL_MAX,
    VacancyDraft,
    check_vacancy,
)

TITLE_MIN = 3
EMPLOYER_MIN = 2
RECALLED_MAX = 120  # a long description is recalled by its beginning only
# Belgian staff write 31.12.2026, French staff 31/12/2026, exports 2026-12-31.
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _text(name: str, low: int, high: int):
    """A one-line answer (spaces tidied) of `low`..`high` characters."""

    def check(text: str, i18n, today: date) -> str:
        return one_line(text, (low, high), f"vpost-{name}", i18n)

    return check


def _hours(text: str, i18n, today: date) -> int:
    return whole(text, HOURS_RANGE, "vpost-hours-invalid", i18n)


def _expires(text: str, i18n, today: date) -> str:
    value = text.strip()
    dmy, iso = DAY_MONTH_YEAR.fullmatch(value), ISO_DAY.fullmatch(value)
    try:
        if dmy:
            day = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
        elif iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        else:
            raise ValueError(value)
    except ValueError:  # not a date format, or no such day (31/02/2027)
        raise Refused(i18n.get("vpost-expires-invalid")) from None
    if day < today:  # it would never be offered to anyone
        raise Refused(i18n.get("vpost-expires-past"))
    return day.isoformat()


def _description(text: str, i18n, today: date) -> str:
    return long_text(text, DESCRIPTION_MAX, "vpost-description-long", i18n)


def _url(text: str, i18n, today: date) -> str:
    return https_url(text, URL_MAX, "vpost-url-invalid", i18n)


# Answer name -> check(text, i18n, today) giving the value to keep, or raising Refused.
CHECKS = {
    "title": _text("title", TITLE_MIN, TITLE_MAX),
    "employer": _text("employer", EMPLOYER_MIN, EMPLOYER_MAX),
    "hours": _hours,
    "expires": _expires,
    "description": _description,
    "url": _url,
}


def recalled(name: str, value: Any, i18n) -> str | None:
    """An answer already given (the step is shown again after going back), as it reads."""
    if value is None:
        return None
    if name == "occupation":
        occupation = find_occupation(value)  # None once dropped from the reference list
        return occupation.label(i18n.locale) if occupation else value
    if name == "place":
        return i18n.get("vpost-place-option", name=value[i18n.locale], postcode=value["postcode"])
    if name == "expires":
        return day_text(date.fromisoformat(value), i18n.locale)
    return vacancy_cards.shorten(str(value), RECALLED_MAX)


def place_answer(place: Place) -> dict[str, str]:
    """A commune as the answers keep it: its postcode and its names."""
    return {"postcode": place.postcode, "fr": place.name_fr, "nl": place.name_nl}


def to_draft(
    answers: dict[str, Any], schedule: list[str], external_id: str, today: date
) -> tuple[VacancyDraft | None, list[str]]:
    """The answers as `check_vacancy` fields (published today), and its verdict."""
    lang = answers["lang"]
    fields = {
        "external_id": external_id,
        f"title_{lang}": answers["title"],
        f"description_{lang}": answers.get("description") or "",
        "employer": answers["employer"],
        "occupation": answers["occupation"],
        "postcode": answers["place"]["postcode"],
        # Named in the ad's language; `check_vacancy` knows a commune by either name.
        "municipality": answers["place"][lang],
        "dutch_level": answers["dutch_level"],
        "driving_licence": answers["driving_licence"],
        "contract": answers["contract"],
        "schedule": schedule,
        "hours_per_week": answers.get("hours"),
        "published": today.isoformat(),
        "expires": answers.get("expires") or "",
        "url": answers.get("url") or "",
    }
    return check_vacancy(fields, today, lang=lang)


async def preview_cards(
    draft: VacancyDraft, i18n, session: AsyncSession, translator: Translator
) -> str:
    """The alert card as participants will get it, rendered as the outbox renders it: for
    readers of the language it was written in, then for readers of the other one, translated
    now the way the pipeline will translate it after publishing (the translation cache, the
    glossary, the provider; without one, the glossary title and the original text with its
    notice). Distance and reasons are those of someone next door with this occupation: they
    differ for each person."""
    fields = asdict(draft)
    title, description = fields.pop("title"), fields.pop("description")
    source = draft.lang
    other = "fr" if source == "nl" else "nl"
    # Never saved: the vacancy is written and translated again when it is published.
    vacancy = Vacancy(
        **fields | {"schedule": list(draft.schedule)},
        **{f"title_{source}": title, f"description_{source}": description},
        translation=TranslationState.PENDING,
    )
    await translate_vacancy(session, translator, vacancy)
    next_door = Pick(0, 0, 1.0, 0.0, True)
    card = vacancy_cards.alert_card(vacancy, next_door)
    payload = message_payload(card["key"], card["variables"])
    return "\n\n".join(
        f"{i18n.get('vpost-preview-for', lang=locale)}\n{render(i18n.core, payload, locale)[0]}"
        for locale in (source, other)
    )
