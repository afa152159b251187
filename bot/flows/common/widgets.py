"""aiogram-dialog widgets that read their text from the Fluent files, and what every dialog
shares."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.state import State
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.api.entities import Data
from aiogram_dialog.setup import collect_dialogs
from aiogram_dialog.utils import remove_intent_id
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.text import Text
from aiogram_i18n import I18nContext

from bot.db.models import Staff
from bot.services.staff import rights


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


async def start_below(manager: DialogManager, state: State, data: Data = None) -> None:
    """Starts a dialog in a new message. Pressed from a button of another message (the menu,
    a report to confirm), that message keeps its buttons: aiogram-dialog takes them off the
    message pressed when it sends a new one, so they are put back."""
    event = manager.event
    pressed = event.message if isinstance(event, CallbackQuery) else None
    await manager.start(state, data=data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
    if isinstance(pressed, Message) and pressed.reply_markup:
        with contextlib.suppress(TelegramBadRequest):  # deleted, or too old to edit
            await manager.middleware_data["bot"].edit_message_reply_markup(
                chat_id=pressed.chat.id,
                message_id=pressed.message_id,
                reply_markup=pressed.reply_markup,
            )


def dialog_button(callback: CallbackQuery) -> bool:
    """A dialog's buttons carry its intent id in their data; no other button does."""
    intent_id, _ = remove_intent_id(callback.data or "")
    return intent_id is not None


def own_buttons_only(router: Router) -> None:
    """Every dialog under `router` takes its own buttons only. Left alone, aiogram-dialog
    takes every button pressed while a dialog is open and draws the dialog again, so a
    button of any other screen (a counsellor's "Reply", a session's "Book", the menu) never
    reaches its handler when a flow was left open."""
    for dialog in collect_dialogs(router):
        dialog.callback_query.filter(dialog_button)


async def close_dialog(manager: DialogManager) -> None:
    """Closes the open dialogs, and takes the buttons off the dialog's last message.

    From a button of another message, aiogram-dialog's `reset_stack` would take that
    message's buttons instead (it treats the pressed message as the dialog's): a counsellor
    pressing "Reply" would lose "Close" under the same request."""
    if not manager.has_context():
        return
    event = manager.event
    pressed = event.message if isinstance(event, CallbackQuery) else None
    shown = manager.current_stack().last_message_id
    if pressed is None or shown in (None, pressed.message_id):
        await manager.reset_stack()
        return
    await manager.reset_stack(remove_keyboard=False)
    with contextlib.suppress(TelegramBadRequest):  # deleted, or too old to edit
        await event.bot.edit_message_reply_markup(
            chat_id=pressed.chat.id, message_id=shown, reply_markup=None
        )


async def refuse(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    member: Staff,
    action: str,
    object_id: int | str | None,
    key: str = "rights-refused",
) -> None:
    """An action outside the staff member's rights (`bot.services.staff.rights`), by a
    handler or a dialog: a short answer, and a log line with ids."""
    rights.refused(member, action, object_id)
    if isinstance(event, CallbackQuery):
        await event.answer(i18n.get(key), show_alert=True)
    else:
        await event.answer(i18n.get(key))


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """The screen replaces the one the button sat on."""
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:  # too old to edit: a new message then
            await callback.message.answer(text, reply_markup=markup)
