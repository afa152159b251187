"""Fluent strings from `content/<locale>/*.ftl`, usable inside and outside aiogram.

Variables are HTML-escaped before formatting because every message is sent with
parse_mode=HTML: a participant's name such as "<Tom>" must never break a message.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from aiogram_i18n.cores import FluentRuntimeCore

from bot.common.content import CONTENT_DIR
from bot.common.locales import DEFAULT_LOCALE, LOCALES

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def locale_from_telegram(language_code: str | None) -> str:
    """Telegram's language code -> our locale: Dutch for `nl*`, French otherwise."""
    if language_code and language_code.lower().startswith("nl"):
        return "nl"
    return DEFAULT_LOCALE


class Safe(str):
    """Text that is already HTML (a rendered message): not escaped again."""


class HtmlFluentCore(FluentRuntimeCore):
    @staticmethod
    def _extract_locales(path: Path) -> list[str]:
        # content/ also holds reference data: only our locale folders are Fluent bundles.
        return list(LOCALES)

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        escaped = {
            k: html.escape(v, quote=False) if isinstance(v, str) and not isinstance(v, Safe) else v
            for k, v in kwargs.items()
        }
        return super().get(message_id, locale, **escaped)

    def has(self, message_id: str, locale: str) -> bool:
        """Whether `locale`'s bundle holds the message (an SMS text is written, or not)."""
        return self.get_translator(locale=locale).has_message(message_id)

    def plain(self, message_id: str, locale: str, variables: dict[str, Any]) -> str:
        """A message as plain text (an SMS, an e-mail's text part): rendered as for
        Telegram, then its HTML tags dropped and its entities read back."""
        return html.unescape(_TAGS.sub("", self.render(message_id, locale, variables)))

    def render(self, message_id: str, locale: str, variables: dict[str, Any]) -> str:
        """A message whose variables may be structured, as stored in the outbox:
        `{"fr": .., "nl": ..}` picks the locale's text; `{"key": .., "vars": {..}}` is a
        message rendered in the same locale; a list of those is joined with " · "."""
        return self.get(
            message_id, locale, **{k: self._value(v, locale) for k, v in variables.items()}
        )

    def _value(self, value: Any, locale: str) -> Any:
        if isinstance(value, list):
            return Safe(" · ".join(_html(self._value(item, locale)) for item in value))
        if isinstance(value, dict) and "key" in value:
            return Safe(self.render(value["key"], locale, value.get("vars", {})))
        if isinstance(value, dict) and set(value) <= set(LOCALES):
            chosen = value.get(locale) or next((v for v in value.values() if v), "")
            return Safe(html.escape(chosen, quote=False)) if isinstance(chosen, str) else chosen
        return value


def _html(value: Any) -> str:
    if isinstance(value, Safe):
        return value
    return html.escape(str(value), quote=False)


def build_core() -> HtmlFluentCore:
    """A core with every locale loaded now (so it also works in CLI and delivery code)."""
    core = HtmlFluentCore(path=CONTENT_DIR / "{locale}", default_locale=DEFAULT_LOCALE)
    core.locales.update(core.find_locales())
    return core
