"""Outcomes, the participant's side: "🎉 I found a job!" in the menu opens the dialog
(`bot.flows.outcomes.found_job`) for registered participants; the others are offered the
registration."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.flows.common.keyboards import MenuAction, keyboard
from bot.flows.common.widgets import close_dialog, start_below
from bot.flows.outcomes.found_job import FoundJob
from bot.services.participants import people as participants


async def found_job(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    dialog_manager: DialogManager,
) -> None:
    """Registered participants only; the others are offered the registration."""
    if not await participants.is_registered(session, user):
        await callback.message.answer(
            i18n.get("out-found-register-first"),
            reply_markup=keyboard(
                [
                    InlineKeyboardButton(
                        text=i18n.get("menu-register"),
                        callback_data=MenuAction(action="register").pack(),
                    )
                ]
            ),
        )
        return
    await close_dialog(dialog_manager)
    await start_below(dialog_manager, FoundJob.employer)
