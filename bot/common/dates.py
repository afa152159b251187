"""Dates and times as people read them, in their language (Babel's CLDR formats).

Only for text shown to someone: files written for machines (CSV, ICS, JSON) keep ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_time

BABEL_LOCALES = {"fr": "fr_FR", "nl": "nl_BE"}
"""The Babel locale of each language the bot speaks (French as in France, Dutch as in
Belgium: the two sides of the border the programme spans)."""


def _babel(locale: str) -> str:
    return BABEL_LOCALES.get(locale, BABEL_LOCALES["fr"])


def day_text(day: date, locale: str) -> str:
    """A day in short form: "01/11/2026" (French), "1/11/2026" (Dutch); French for a
    language the bot does not speak."""
    return format_date(day, "short", locale=_babel(locale))


def day_texts(day: date) -> dict[str, str]:
    """`day_text` in every language, as the outbox stores a text for each reader."""
    return {locale: day_text(day, locale) for locale in BABEL_LOCALES}


def clock_text(moment: datetime | time, locale: str) -> str:
    """The time of day in short form ("14:30"), of `moment` as given (convert it to
    programme time first)."""
    return format_time(moment, "short", locale=_babel(locale))
