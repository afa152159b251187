"""aiogram-dialog widgets that read their text from the Fluent files."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.text import Text


class I18nText(Text):
    """A Fluent message; its variables come from the window's getter data."""

    def __init__(self, key: str, when: Any = None, **static: Any) -> None:
        super().__init__(when=when)
        self.key = key
        self.static = static

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        i18n = manager.middleware_data["i18n"]
        variables = {**data, **self.static}
        return i18n.get(self.key, **{k: v for k, v in variables.items() if _fluent_value(v)})


def _fluent_value(value: Any) -> bool:
    return isinstance(value, str | int | float)


async def _point_at_buttons(message: Message, _widget: MessageInput, manager: DialogManager):
    await message.answer(manager.middleware_data["i18n"].get("flow-use-buttons"))
    manager.show_mode = ShowMode.SEND


def buttons_only() -> MessageInput:
    """For a step answered with buttons: typed input gets a hint and the step again, below."""
    return MessageInput(_point_at_buttons)
