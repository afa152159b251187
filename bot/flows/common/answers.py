"""Checks of typed answers shared by the staff flows (`session_answers`, `vacancy_answers`),
apart from the dialog: each gives the value to keep or raises `Refused` with a message in the
reader's language (`i18n`), the Fluent key being the caller's.
"""

from __future__ import annotations

from bot.common.checks import web_address, whole_number


class Refused(ValueError):
    """A typed answer that cannot be used; `text` says why, in the reader's language."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def one_line(text: str, bounds: tuple[int, int], key: str, i18n) -> str:
    """A one-line answer (spaces tidied) of `bounds` characters; refused with `<key>-short`
    or `<key>-long` (given the length)."""
    low, high = bounds
    value = " ".join(text.split())
    if len(value) < low:
        raise Refused(i18n.get(f"{key}-short"))
    if len(value) > high:
        raise Refused(i18n.get(f"{key}-long", length=len(value)))
    return value


def long_text(text: str, longest: int, key: str, i18n) -> str:
    """A text of several lines, trimmed, of at most `longest` characters; refused with `key`
    (given the length)."""
    value = text.strip()
    if len(value) > longest:
        raise Refused(i18n.get(key, length=len(value)))
    return value


def whole(text: str, bounds: tuple[int, int], key: str, i18n) -> int:
    """A whole number within `bounds`; refused with `key`."""
    value = whole_number(text, *bounds)
    if value is None:
        raise Refused(i18n.get(key))
    return value


def https_url(text: str, longest: int, key: str, i18n) -> str:
    """An https address with a host, of at most `longest` characters; refused with `key`."""
    url = web_address(text, longest)
    if url is None:
        raise Refused(i18n.get(key))
    return url
