"""Staff commands. The role is checked on the server for every call: a participant who tries
a staff command or presses a (forged or forwarded) staff button is refused and it is logged.

A staff button does what it says whatever the staff member left open in that chat: a dialog
(the language question, /vacancy...) or another flow's question (/outcome, a session's new
time...) is closed first (`StaffOnly`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.dispatcher.flags import get_flag
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Staff
from bot.flows.session_post import NewSession, start_session_post
from bot.flows.vacancy_post import NewVacancy, start_vacancy_post
from bot.flows.widgets import close_dialog, dialog_button
from bot.services import counsellors, rights, staff
from bot.services.sessions import find_participant
from bot.services.tickets import desk_label

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


async def refuse(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    member: Staff,
    action: str,
    object_id: int | str | None,
    key: str = "rights-refused",
) -> None:
    """An action outside the staff member's rights (`bot.services.rights`): a short answer,
    and a log line with ids."""
    rights.refused(member, action, object_id)
    if isinstance(event, CallbackQuery):
        await event.answer(i18n.get(key), show_alert=True)
    else:
        await event.answer(i18n.get(key))


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


async def reassign(
    message: Message,
    command: CommandObject,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Callable[[], datetime],
) -> None:
    """`/reassign PARTICIPANT COUNSELLOR`: who follows a participant from now on (the rights
    are the service's: a coordinator anyone, a CET within their territory). Without both,
    how to write it and whom one may choose."""
    args = (command.args or "").split()
    if not rights.may_reassign(staff_member):
        _refused("not-allowed", staff_member, None, None)
        await message.answer(i18n.get("reassign-refused-not-allowed"))
        return
    if len(args) != 2:
        choices = await counsellors.choices_for(session, staff_member)
        lines = [
            i18n.get(
                "reassign-counsellor",
                name=member.name,
                territory=i18n.get(counsellors.territory_key(member.territory)),
                telegram_id=str(member.telegram_id),
            )
            for member in choices
        ]
        await message.answer(i18n.get("reassign-usage", counsellors="\n".join(lines)))
        return
    reference, counsellor_ref = args
    participant = await find_participant(session, reference.lstrip("#"))
    if participant is None:
        await message.answer(i18n.get("reassign-no-participant", ref=reference[:40]))
        return
    to = await counsellors.find_staff(session, counsellor_ref)
    if to is None:
        await message.answer(i18n.get("reassign-no-staff", ref=counsellor_ref[:40]))
        return
    try:
        handover = await counsellors.reassign(
            session, participant, to, staff_member, current_time()
        )
    except counsellors.ReassignRefused as refused:
        _refused(refused.reason, staff_member, participant.id, to.telegram_id)
        await message.answer(i18n.get(f"reassign-refused-{refused.reason}"))
        return
    key = "reassign-done" if handover.changed else "reassign-already"
    await message.answer(i18n.get(key, label=desk_label(participant), name=to.name))


def _refused(reason: str, member: Staff, participant_id: int | None, to: int | None) -> None:
    log.warning(
        "reassign refused (%s): staff %s, participant %s, to staff %s",
        reason,
        member.telegram_id,
        participant_id,
        to,
    )


def build_router() -> Router:
    router = Router(name="staff")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(invite_link, Command("invite"))
    router.message.register(reassign, Command("reassign"))
    router.message.register(post_vacancy, Command("vacancy"))
    router.callback_query.register(post_vacancy_button, NewVacancy.filter())
    router.message.register(post_session, Command("newsession"))
    router.callback_query.register(post_session_button, NewSession.filter())
    router.callback_query.register(invite_button, StaffAction.filter())
    return router
