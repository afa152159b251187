"""Staff commands. The role is checked on the server for every call: a participant who tries
a staff command or presses a (forged or forwarded) staff button is refused and it is logged.

A staff button does what it says whatever the staff member left open in that chat: a dialog
(the language question, /vacancy...) or another flow's question (/outcome, a session's new
time...) is closed first (`StaffOnly`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Staff
from bot.flows.common.states import NewSession, NewVacancy, start_session_post, start_vacancy_post
from bot.handlers.common.staff_only import StaffOnly
from bot.services.desk.tickets import desk_label
from bot.services.participants import counsellors
from bot.services.sessions.listings import find_participant
from bot.services.staff import members as staff
from bot.services.staff import rights

log = logging.getLogger(__name__)


class StaffAction(CallbackData, prefix="staff"):
    action: str


async def invite_link(message: Message, bot: Bot, i18n: I18nContext, staff_member: Staff):
    """A counsellor's own referral link, and its QR code to show on a phone or a poster."""
    link = await create_start_link(bot, staff.referral_payload(staff_member))
    await message.answer_photo(
        BufferedInputFile(staff.qr_png(link), "invitation.png"),
        caption=i18n.get("staff-invite", link=link),
    )


async def invite_button(callback: CallbackQuery, bot: Bot, i18n, staff_member: Staff) -> None:
    await invite_link(callback.message, bot, i18n, staff_member)


async def post_vacancy(message: Message, dialog_manager: DialogManager) -> None:
    """A vacancy typed into the bot, in Dutch or French, by any active staff member."""
    await start_vacancy_post(dialog_manager)


async def post_vacancy_button(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await start_vacancy_post(dialog_manager)


async def post_session(message: Message, dialog_manager: DialogManager) -> None:
    """An online session (company presentation, coaching, information) for participants."""
    await start_session_post(dialog_manager)


async def post_session_button(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
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
