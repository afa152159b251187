"""A participant's own commands: /profile, /mydata, /delete, and the register button."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.delivery import outbox
from bot.flows.common.keyboards import MenuAction, main_menu
from bot.flows.common.states import start_registration
from bot.flows.common.widgets import close_dialog
from bot.flows.participants.registration import (
    ProfileEdit,
    profile_card,
    profile_keyboard,
    start_edit,
)
from bot.handlers.common.fallback import answer_stale_button
from bot.handlers.common.home import Home
from bot.handlers.common.presses import ANSWER_FIRST
from bot.handlers.participants.staff import build_staff_router
from bot.services.participants import counsellors, keys, privacy
from bot.services.participants import people as participants

log = logging.getLogger(__name__)


class DeleteAction(CallbackData, prefix="del"):
    confirm: bool


async def profile(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    dialog_manager: DialogManager,
) -> None:
    """The profile card; someone not registered yet is taken to the registration."""
    participant = await participants.participant_of(session, user)
    if participant is None or participant.consent_at is None:
        await start_registration(dialog_manager)
        return
    card = profile_card(i18n, participants.profile_fields(participant))
    await message.answer(
        f"{i18n.get('profile-title')}\n{card}", reply_markup=profile_keyboard(i18n)
    )


async def edit_field(
    callback: CallbackQuery, callback_data: ProfileEdit, home: Home, dialog_manager: DialogManager
) -> None:
    if not await start_edit(dialog_manager, callback_data.field):
        await answer_stale_button(callback, home)
        return


async def menu_profile(callback: CallbackQuery, i18n, session, user, dialog_manager) -> None:
    await profile(callback.message, i18n, session, user, dialog_manager)


async def menu_register(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await start_registration(dialog_manager)


async def mydata(message: Message, i18n: I18nContext, session: AsyncSession, user: User):
    data = await privacy.export_data(session, user)
    if "participant" not in data:
        await message.answer(i18n.get("mydata-nothing"))
        return
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await message.answer_document(
        BufferedInputFile(
            content, "mes-donnees.json" if i18n.locale == "fr" else "mijn-gegevens.json"
        ),
        caption=i18n.get("mydata-caption"),
    )


async def delete(message: Message, i18n: I18nContext, session: AsyncSession, user: User) -> None:
    """Asked once more, saying who will be told: the counsellor by name, the programme team
    (whoever answers for someone without one), or nobody when there is no one to tell."""
    follow = await counsellors.follow_of(session, await participants.participant_of(session, user))
    if follow.counsellor is not None:
        question = i18n.get("delete-confirm-counsellor", name=follow.counsellor.name)
    elif follow.answering:
        question = i18n.get("delete-confirm-team")
    else:
        question = i18n.get("delete-confirm")
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("delete-yes"), callback_data=DeleteAction(confirm=True))
    builder.button(text=i18n.get("delete-no"), callback_data=DeleteAction(confirm=False))
    await message.answer(question, reply_markup=builder.as_markup())


async def delete_answer(
    callback: CallbackQuery,
    callback_data: DeleteAction,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    dialog_manager: DialogManager,
    tz: ZoneInfo,
    current_time: Callable[[], datetime],
    bot: Bot,
    after_commit: list,
    desk_chat_id: int | None = None,
) -> None:
    await callback.message.edit_reply_markup(reply_markup=None)
    if not callback_data.confirm:
        await callback.message.answer(i18n.get("delete-kept"), reply_markup=main_menu(i18n))
        return
    await close_dialog(dialog_manager)
    await state.clear()
    erasure = await privacy.erase(session, user, current_time(), tz)
    after_commit.append(partial(privacy.scrub_files, session.bind))
    if desk_chat_id is not None and erasure.desk_thread_id is not None:
        after_commit.append(partial(_delete_desk_topic, bot, desk_chat_id, erasure))
    for staff_id, chat_id in erasure.told:
        await outbox.enqueue(
            session,
            chat_id=chat_id,
            dedupe_key=keys.participant_erased(erasure.participant_id, staff_id),
            key="counsellor-participant-deleted",
            variables={"territory": erasure.territory or "—"},
        )
    await callback.message.answer(i18n.get("delete-done"))


async def _delete_desk_topic(bot: Bot, desk_chat_id: int, erasure: privacy.Erasure) -> None:
    """The person's topic in the desk holds copies of their messages: it goes with them."""
    try:
        await bot.delete_forum_topic(desk_chat_id, erasure.desk_thread_id)
    except TelegramAPIError as error:
        log.warning(
            "participant %s: desk topic not deleted: %s",
            erasure.participant_id,
            type(error).__name__,
        )


def build_router() -> Router:
    router = Router(name="participant")
    router.include_router(build_staff_router())
    router.message.register(profile, Command("profile"))
    router.message.register(mydata, Command("mydata"))
    router.message.register(delete, Command("delete"))
    router.callback_query.register(delete_answer, DeleteAction.filter(), flags=ANSWER_FIRST)
    router.callback_query.register(edit_field, ProfileEdit.filter())  # may say it expired
    for handler, action in ((menu_profile, "profile"), (menu_register, "register")):
        router.callback_query.register(
            handler, MenuAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    return router
