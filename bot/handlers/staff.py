"""Staff commands. The role is checked on the server for every call: a participant who tries
a staff command or presses a (forged or forwarded) staff button is refused and it is logged.

A staff button does what it says whatever the staff member left open in that chat: a dialog
(the language question, /vacancy...) or another flow's question (/outcome, a session's new
time...) is closed first (`StaffOnly`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.dispatcher.flags import get_flag
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from bot.db.models import Staff
from bot.flows.session_post import NewSession, start_session_post
from bot.flows.vacancy_post import NewVacancy, start_vacancy_post
from bot.flows.widgets import close_dialog, dialog_button
from bot.services import staff

log = logging.getLogger(__name__)

# The handler flag naming the flow a staff button belongs to (a StatesGroup): that flow's
# pending question stays when the button is pressed, as the flow's next step needs it.
FLOW = "flow"


class StaffAction(CallbackData, prefix="staff"):
    action: str


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
            await close_what_is_open(data["dialog_manager"], data["state"], get_flag(data, FLOW))
        return await handler(event, data)


async def close_what_is_open(
    dialog_manager: DialogManager, state: FSMContext, flow: type[StatesGroup] | None = None
) -> None:
    """Closes the open dialog (its buttons go) and drops a pending question, unless it is
    one of `flow`'s."""
    await close_dialog(dialog_manager)
    current = await state.get_state()
    if current is not None and (flow is None or current not in flow):
        await state.clear()


async def invite_link(message: Message, bot: Bot, i18n: I18nContext, staff_member: Staff):
    """A counsellor's own referral link, and its QR code to show on a phone or a poster."""
    username = (await bot.me()).username
    link = staff.referral_link(username, staff_member)
    await message.answer_photo(
        BufferedInputFile(staff.qr_png(link), "invitation.png"),
        caption=i18n.get("staff-invite", link=link),
    )


async def invite_button(callback: CallbackQuery, bot: Bot, i18n, staff_member: Staff) -> None:
    await callback.answer()
    await invite_link(callback.message, bot, i18n, staff_member)


async def post_vacancy(message: Message, dialog_manager: DialogManager) -> None:
    """A vacancy typed into the bot, in Dutch or French, by any active staff member."""
    await start_vacancy_post(dialog_manager)


async def post_vacancy_button(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await callback.answer()
    await start_vacancy_post(dialog_manager)


async def post_session(message: Message, dialog_manager: DialogManager) -> None:
    """An online session (company presentation, coaching, information) for participants."""
    await start_session_post(dialog_manager)


async def post_session_button(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await callback.answer()
    await start_session_post(dialog_manager)


def build_router() -> Router:
    router = Router(name="staff")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(invite_link, Command("invite"))
    router.message.register(post_vacancy, Command("vacancy"))
    router.callback_query.register(post_vacancy_button, NewVacancy.filter())
    router.message.register(post_session, Command("newsession"))
    router.callback_query.register(post_session_button, NewSession.filter())
    router.callback_query.register(invite_button, StaffAction.filter())
    return router
