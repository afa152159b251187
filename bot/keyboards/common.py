"""Main menu keyboard. Buttons carry an action name only."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext


class MenuAction(CallbackData, prefix="menu"):
    action: str


MENU_ITEMS = (("about", "menu-about"), ("help", "menu-help"), ("lang", "menu-lang"))


def main_menu(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, key in MENU_ITEMS:
        builder.button(text=i18n.get(key), callback_data=MenuAction(action=action))
    builder.adjust(1)
    return builder.as_markup()
