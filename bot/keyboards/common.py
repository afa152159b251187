"""Main menu keyboard. Buttons carry an action name only."""

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


def main_menu(i18n: I18nContext) -> InlineKeyboardMarkup:
    """One button per row: large targets for unsure fingers."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n.get(key), callback_data=MenuAction(action=action).pack()
                )
            ]
            for action, key in MENU_ITEMS
        ]
    )
