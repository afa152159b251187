"""What the bot says, rendered from content/ the way the bot renders it: tests compare with
this rather than a copy of the wording, so a change of wording breaks no test, while a
wrong key, a wrong variable or another message still does."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bot.i18n import HtmlFluentCore, build_core
from bot.sandbox.html import parse_html, strip_formatted


@cache
def _core() -> HtmlFluentCore:
    return build_core()


def say(key: str, locale: str = "fr", /, **variables: Any) -> str:
    """Message `key` as the reader sees it in Telegram: variables HTML-escaped as the bot
    does, then the HTML parsed to plain text (and trimmed) the way the sandbox, like
    Telegram, parses it. Variables may be structured as in the outbox (see
    `HtmlFluentCore.render`)."""
    html = _core().render(key, locale, variables)
    text, _ = strip_formatted(*parse_html(html))
    return text


_UNKNOWN = "\ue000"


def holds(text: str, key: str, locale: str = "fr", /, **variables: Any) -> bool:
    """Whether `text` holds message `key` whole, where variables given as `...` (a time the
    bot computes, say) stand for any text: `holds(reply, "esc-opened", name="Karim", due=...)`.
    A structured variable may hold `...` too: `what={"key": .., "vars": {"start": ...}}`."""
    pieces = say(key, locale, **_marked(variables)).split(_UNKNOWN)
    # Telegram trims a message: when it ends (or starts) with parts that turn out empty, the
    # line breaks around them are gone too.
    while len(pieces) > 1 and not pieces[-1].strip():
        pieces.pop()
    while len(pieces) > 1 and not pieces[0].strip():
        pieces.pop(0)
    pieces[0], pieces[-1] = pieces[0].lstrip(), pieces[-1].rstrip()
    pattern = ".*?".join(re.escape(piece) for piece in pieces)
    return re.search(pattern, text, re.DOTALL) is not None


def _marked(value: Any) -> Any:
    """`value` with each `...` replaced by a mark that no message holds."""
    if value is ...:
        return _UNKNOWN
    if isinstance(value, dict):
        return {name: _marked(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_marked(item) for item in value]
    return value
