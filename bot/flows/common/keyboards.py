"""The participant's main menu (its buttons carry an action name only) and `keyboard(*rows)`.

Here, in flows/common, because flows (registration ends on the menu) and handlers both draw
them, and flows sit below handlers (`tests/test_layers.py`)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext


class MenuAction(CallbackData, prefix="menu"):
    action: str


MENU_ITEMS = (
    ("jobs", "menu-jobs"),
    ("sessions", "menu-sessions"),
    ("faq", "menu-faq"),
    ("talk", "menu-talk"),
    ("found_job", "menu-found-job"),
    ("profile", "menu-profile"),
    ("about", "menu-about"),
    ("help", "menu-help"),
    ("lang", "menu-lang"),
)


def main_menu(i18n: I18nContext, first: str | None = None) -> InlineKeyboardMarkup:
    """One button per row: large targets for unsure fingers. `first`: the action the text
    above points to, moved to the top."""
    items = sorted(MENU_ITEMS, key=lambda item: item[0] != first)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n.get(key), callback_data=MenuAction(action=action).pack()
                )
            ]
            for action, key in items
        ]
    )


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Inline buttons, row by row; an empty row (a button left out) is dropped."""
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])
