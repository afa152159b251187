"""Checks shared by what staff type into the bot and what they import from files, without
aiogram: each says only whether a value can be used; the caller words the refusal (a Fluent
key for a person, a short English reason for an import report).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.db.models import ProgrammeSession

# When someone can work: typed in the bot or imported with a caseload.
AVAILABILITY = ("day", "shifts", "nights", "weekends")
SEATS_RANGE = (1, 500)  # a session's seats, whether created, imported or changed
SESSION_URL_MAX = ProgrammeSession.__table__.c.url.type.length


def is_web_address(url: str, schemes: tuple[str, ...] = ("https",)) -> bool:
    """An address with one of `schemes` and a host, without spaces. Links participants open
    are https only: they open them on a phone, often on public Wi-Fi."""
    try:
        parts = urlsplit(url)
        return parts.scheme in schemes and bool(parts.hostname) and " " not in url
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def web_address(text: str, longest: int, schemes: tuple[str, ...] = ("https",)) -> str | None:
    """`text` (spaces around it ignored) when it is such an address of at most `longest`
    characters; else None."""
    url = text.strip()
    return url if is_web_address(url, schemes) and len(url) <= longest else None


def whole_number(text: str, low: int, high: int) -> int | None:
    """`text` (spaces around it ignored) as a whole number from `low` to `high`, written
    with ASCII digits only; else None."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def in_utc(local: datetime) -> datetime | None:
    """An aware wall-clock time in UTC, or None when its zone's clocks skip it (02:30 on the
    night they go forward)."""
    moment = local.astimezone(UTC)
    if moment.astimezone(local.tzinfo).time() != local.time():
        return None
    return moment
