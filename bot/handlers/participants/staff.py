"""What a counsellor records about a participant's contacts: "the person said STOP" on the
phone, from the buttons under a lead. Checked on the server like every staff button (a CET
on their territory, a coordinator everywhere); only the person's new consent lifts it."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.models import Participant, Staff
from bot.handlers.common.fallback import answer_stale_button
from bot.handlers.common.home import Home
from bot.handlers.common.staff_only import StaffOnly, refuse
from bot.handlers.participants.callbacks import ContactAction
from bot.services.participants import contacts
from bot.services.sessions.listings import participant_label
from bot.services.staff import rights

log = logging.getLogger(__name__)


async def stop_contact(
    callback: CallbackQuery,
    callback_data: ContactAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    home: Home,
) -> None:
    participant = await session.get(Participant, callback_data.participant_id)
    if participant is None or callback_data.channel not in contacts.COLUMNS:
        await answer_stale_button(callback, home)
        return
    if not rights.may_act_on_participant(staff_member, participant):
        await refuse(callback, i18n, staff_member, "contact-stop", participant.id)
        return
    channel = callback_data.channel
    if not contacts.stop(participant, channel, current_time()):
        await callback.message.answer(i18n.get("staff-stopped-already"))
        return
    log.info("participant %s: %s stopped by staff %s", participant.id, channel, staff_member.id)
    await callback.message.answer(
        i18n.get(f"staff-stopped-{channel}", label=participant_label(participant))
    )


def build_staff_router() -> Router:
    router = Router(name="participant-contacts-staff")
    router.callback_query.middleware(StaffOnly())
    router.callback_query.register(stop_contact, ContactAction.filter())
    return router
