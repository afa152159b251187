"""aiogram-dialog widgets that read their text from the Fluent files."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.text import Text


class I18nText(Text):
    """A Fluent message; its variables come from the window's getter data."""

    def __init__(self, key: str, **static: Any) -> None:
        super().__init__()
        self.key = key
        self.static = static

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        i18n = manager.middleware_data["i18n"]
        variables = {**data, **self.static}
        return i18n.get(self.key, **{k: v for k, v in variables.items() if _fluent_value(v)})


def _fluent_value(value: Any) -> bool:
    return isinstance(value, str | int | float)
