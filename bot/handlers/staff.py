"""Staff commands. The role is checked on the server for every call: a participant who tries
a staff command or presses a (forged or forwarded) staff button is refused and it is logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from bot.db.models import Staff
from bot.flows.session_post import NewSession, start_session_post
from bot.flows.vacancy_post import NewVacancy, start_vacancy_post
from bot.services import staff

log = logging.getLogger(__name__)


class StaffAction(CallbackData, prefix="staff"):
    action: str


class StaffOnly(BaseMiddleware):
    """Runs after the filters matched: only staff actions reach it."""

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
        return await handler(event, data)


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
