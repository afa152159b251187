"""The staff gate every staff router puts before its handlers (`StaffOnly`: the role checked on
the server, whatever the button claims; what was left open closed first), and the answer to an
action outside one's rights (`refuse`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, TelegramObject
from aiogram_dialog import DialogManager

from bot.flows.common.widgets import close_dialog, dialog_button, refuse
from bot.services.staff import members as staff

log = logging.getLogger(__name__)

__all__ = ["StaffOnly", "close_what_is_open", "refuse"]


class StaffOnly(BaseMiddleware):
    """Runs after the filters matched: only staff actions reach it. Before a staff button's
    handler, whatever was left open in the chat is closed (`close_what_is_open`); a dialog's
    own buttons (under `/broadcast`) are left to their dialog."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender = data["event_from_user"]
        member = await staff.staff_by_telegram_id(data["session"], sender.id)
        if member is None:
            log.warning("staff action refused for user id %s", sender.id)
            text = data["i18n"].get("staff-only")
            if isinstance(event, CallbackQuery):
                await event.answer(text, show_alert=True)
            else:
                await event.answer(text)
            return None
        data["staff_member"] = member
        if isinstance(event, CallbackQuery) and not dialog_button(event):
            await close_what_is_open(data["dialog_manager"], data["state"])
        return await handler(event, data)


async def close_what_is_open(dialog_manager: DialogManager, state: FSMContext) -> None:
    """Closes the open dialog (its buttons go) and drops a pending question (a reply being
    written)."""
    await close_dialog(dialog_manager)
    if await state.get_state() is not None:
        await state.clear()
