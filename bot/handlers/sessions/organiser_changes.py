"""The organiser's desk, what changes a session: a new time, link or number of seats and whom to
book open the dialog `bot.flows.sessions.organiser` (typed, checked, confirmed; the booked are
told); cancelling it; and a seat booked for the participant picked (`desk:pick`). The
screens are `screens`'s, the router the package's."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.models import ProgrammeSession, Staff
from bot.flows.common.states import SESSION_CHANGES, SessionEdit
from bot.flows.common.widgets import show
from bot.flows.sessions.screens import (
    OrganiserAction,
    book_for,
    bookable,
    confirm_keyboard,
    organiser_text,
    reach_lines,
    show_session,
)
from bot.services.sessions import organiser, staff_changes
from bot.services.sessions.common import SessionRefused, session_vars

log = logging.getLogger(__name__)


# --- new time, link, seats -------------------------------------------------------------------


async def _cannot_change(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    now: datetime,
    tz: ZoneInfo,
) -> bool:
    """Whether the session cannot change any more ("cancelled", "past"): the button then
    answers why. An empty change is the service's own check, with nothing to apply."""
    try:
        await staff_changes.change_session(session, programme_session, {}, now, tz)
    except SessionRefused as refused:
        await callback.answer(i18n.get(f"desk-refused-{refused.reason}"), show_alert=True)
        return True
    return False


async def ask_change(
    callback: CallbackQuery,
    callback_data: OrganiserAction,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    """The new time, link or number of seats: asked in place of the session's screen."""
    field = callback_data.extra
    if field not in SESSION_CHANGES:
        await callback.answer(i18n.get("desk-input-expired"), show_alert=True)
        return
    if await _cannot_change(callback, i18n, session, programme_session, current_time(), tz):
        return
    data = {"session_id": programme_session.id, "field": field}
    await dialog_manager.start(SESSION_CHANGES[field], data=data, mode=StartMode.RESET_STACK)


# --- cancelling the session ------------------------------------------------------------------


async def ask_cancel(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    if await _cannot_change(callback, i18n, session, programme_session, current_time(), tz):
        return
    reach = await organiser.reach(session, programme_session.id)
    lines = [
        organiser_text(i18n, "desk-cancel-confirm", **session_vars(programme_session, tz)),
        *reach_lines(i18n, *reach, key="desk-will-tell"),
    ]
    markup = confirm_keyboard(i18n, "desk-button-cancel-yes", "drop", programme_session)
    await show(callback, "\n".join(lines), markup)


async def cancel_session(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    now = current_time()
    if await _cannot_change(callback, i18n, session, programme_session, now, tz):
        return
    _told, to_call = await organiser.reach(session, programme_session.id)
    told = await staff_changes.cancel_session(session, programme_session, now, tz)
    log.info("session %s cancelled by staff, %s told", programme_session.id, told)
    notices = [i18n.get("desk-cancelled"), *reach_lines(i18n, told, to_call)]
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, notices)


# --- booking for a participant ---------------------------------------------------------------


async def ask_whom(
    callback: CallbackQuery, programme_session: ProgrammeSession, dialog_manager: DialogManager
) -> None:
    """Whom to book: asked in place of the session's screen."""
    data = {"session_id": programme_session.id}
    await dialog_manager.start(SessionEdit.whom, data=data, mode=StartMode.RESET_STACK)


async def pick(
    callback: CallbackQuery,
    callback_data: OrganiserAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """A seat (else the waitlist) for the person chosen, booked in the staff member's name."""
    member, now = staff_member, current_time()
    person = await bookable(callback, session, i18n, member, programme_session, callback_data.extra)
    if person is not None:
        await book_for(callback, session, i18n, member, programme_session, person, now, tz)
