"""Fluent strings from `content/<locale>/*.ftl`, usable inside and outside aiogram.

Variables are HTML-escaped before formatting because every message is sent with
parse_mode=HTML: a participant's name such as "<Tom>" must never break a message.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from aiogram_i18n.cores import FluentRuntimeCore

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
LOCALES = ("fr", "nl")
DEFAULT_LOCALE = "fr"


def locale_from_telegram(language_code: str | None) -> str:
    """Telegram's language code -> our locale: Dutch for `nl*`, French otherwise."""
    if language_code and language_code.lower().startswith("nl"):
        return "nl"
    return DEFAULT_LOCALE


class HtmlFluentCore(FluentRuntimeCore):
    @staticmethod
    def _extract_locales(path: Path) -> list[str]:
        # content/ also holds reference data: only our locale folders are Fluent bundles.
        return list(LOCALES)

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        escaped = {
            k: html.escape(v, quote=False) if isinstance(v, str) else v for k, v in kwargs.items()
        }
        return super().get(message_id, locale, **escaped)


def build_core() -> HtmlFluentCore:
    """A core with every locale loaded now (so it also works in CLI and delivery code)."""
    core = HtmlFluentCore(path=CONTENT_DIR / "{locale}", default_locale=DEFAULT_LOCALE)
    core.locales.update(core.find_locales())
    return core
