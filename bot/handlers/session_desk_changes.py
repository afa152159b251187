"""The organiser's desk, what changes a session: a new time, link or number of seats (typed,
checked, confirmed; the booked are told), cancelling it, and a seat booked for a participant
who phoned. The screens and the router are `session_desk`'s."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import BookingStatus, Participant, ProgrammeSession, Staff, User
from bot.handlers.screens import show
from bot.handlers.session_desk import (
    MANAGE,
    SEE,
    DeskAction,
    DeskInput,
    about_session,
    back_keyboard,
    back_row,
    button_row,
    confirm_keyboard,
    desk_text,
    keyboard,
    leave_input,
    log,
    may,
    reach_lines,
    show_session,
)
from bot.handlers.staff import refuse
from bot.scheduler import Now
from bot.services import rights, session_desk, sessions
from bot.services.bookings import BookingRefused
from bot.services.reminders import when_text

CHANGES = {"starts_at": DeskInput.starts_at, "url": DeskInput.url, "capacity": DeskInput.capacity}


async def _pending(
    session: AsyncSession, state: FSMContext
) -> tuple[ProgrammeSession | None, dict[str, Any]]:
    """The session a desk question is about (None when it no longer exists), and the data
    kept with the question."""
    data = await state.get_data()
    found = await session.get(ProgrammeSession, data.get("session_id", 0))
    return found, data


async def _pending_answered(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    member: Staff,
    right: str,
) -> tuple[ProgrammeSession | None, dict[str, Any]]:
    """As `_pending`, for a typed answer: when the session no longer exists, or is no longer
    the staff member's to act on (`right`), the question is dropped and they are told."""
    programme_session, data = await _pending(session, state)
    if programme_session is None:
        await state.clear()
        await message.answer(i18n.get("desk-gone"))
    elif not may(member, programme_session, right):
        await state.clear()
        await refuse(message, i18n, member, "desk-typed", programme_session.id)
        return None, data
    return programme_session, data


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
        await sessions.change_session(session, programme_session, {}, now, tz)
    except sessions.SessionRefused as refused:
        await callback.answer(i18n.get(f"desk-refused-{refused.reason}"), show_alert=True)
        return True
    return False


def _question(
    i18n: I18nContext, field: str, programme_session: ProgrammeSession, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    text = about_session(i18n, f"desk-ask-{field}", programme_session, tz)
    return text, back_keyboard(i18n, programme_session)


async def ask_change(
    callback: CallbackQuery,
    callback_data: DeskAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    field = callback_data.extra
    if field not in CHANGES:
        await callback.answer(i18n.get("desk-input-expired"), show_alert=True)
        return
    if await _cannot_change(callback, i18n, session, programme_session, current_time(), tz):
        return
    await state.set_state(CHANGES[field])
    await state.set_data({"session_id": programme_session.id, "field": field})
    await show(callback, *_question(i18n, field, programme_session, tz))


def _parse(
    field: str, text: str, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> tuple[Any, str | None]:
    """The value typed, as the session stores it, or the key of what is wrong with it."""
    if field == "starts_at":
        moment = session_desk.parse_when(text, now, tz)
        if moment is None:
            return None, "desk-wrong-starts_at"
        return (moment, None) if moment > now else (None, "desk-wrong-past")
    if field == "url":
        url = session_desk.parse_url(text)
        return (url, None) if url else (None, "desk-wrong-url")
    seats = session_desk.parse_seats(text)
    if seats is None or seats < programme_session.confirmed:
        return None, "desk-wrong-capacity"
    return seats, None


def _confirm_vars(
    field: str, value: Any, programme_session: ProgrammeSession, tz: ZoneInfo
) -> dict[str, Any]:
    before = sessions.session_vars(programme_session, tz)
    if field == "starts_at":
        return {"title": before["title"], "old": before["when"], "new": when_text(value, tz)}
    if field == "url":
        return {"title": before["title"], "url": value}
    return {"title": before["title"], "old": programme_session.capacity, "capacity": value}


async def typed_change(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    state: FSMContext,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """The new time, link or number of seats: checked, then shown for confirmation."""
    programme_session, data = await _pending_answered(
        message, i18n, session, state, staff_member, MANAGE
    )
    if programme_session is None:
        return
    field, now = data["field"], current_time()
    value, wrong = _parse(field, message.text, programme_session, now, tz)
    if wrong is not None:
        question, markup = _question(i18n, field, programme_session, tz)
        least = max(programme_session.confirmed, 1)
        problem = i18n.get(wrong, least=least, most=session_desk.SEATS_MAX)
        await message.answer(f"{problem}\n\n{question}", reply_markup=markup)
        return
    stored = value.isoformat() if isinstance(value, datetime) else value
    await state.update_data(value=stored)
    lines = [
        desk_text(
            i18n, f"desk-confirm-{field}", **_confirm_vars(field, value, programme_session, tz)
        )
    ]
    if field != "capacity":  # more or fewer seats concern nobody booked
        reach = await session_desk.reach(session, programme_session.id)
        lines += reach_lines(i18n, *reach, key="desk-will-tell")
    markup = confirm_keyboard(i18n, "desk-button-confirm", "yes", programme_session)
    await message.answer("\n".join(lines), reply_markup=markup)


async def confirm_change(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    pending, data = await _pending(session, state)
    if (
        await state.get_state() not in DeskInput
        or pending is None
        or pending.id != programme_session.id
        or "value" not in data
    ):
        await callback.answer(i18n.get("desk-input-expired"), show_alert=True)
        return
    await state.clear()
    field, value, now = data["field"], data["value"], current_time()
    if field == "starts_at":
        value = datetime.fromisoformat(value)
    try:
        changed = await sessions.change_session(session, programme_session, {field: value}, now, tz)
    except sessions.SessionRefused as refused:
        notice = i18n.get(f"desk-refused-{refused.reason}", confirmed=programme_session.confirmed)
        await show_session(
            callback, session, i18n, staff_member, programme_session, now, tz, [notice]
        )
        return
    if not changed:
        notices = [i18n.get("desk-changed-nothing")]
    else:
        log.info("session %s: staff changed %s", programme_session.id, field)
        notices = [i18n.get(f"desk-changed-{field}")]
        if field != "capacity":
            notices += reach_lines(i18n, *await session_desk.reach(session, programme_session.id))
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, notices)


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
    reach = await session_desk.reach(session, programme_session.id)
    lines = [
        desk_text(i18n, "desk-cancel-confirm", **sessions.session_vars(programme_session, tz)),
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
    _told, to_call = await session_desk.reach(session, programme_session.id)
    told = await sessions.cancel_session(session, programme_session, now, tz)
    log.info("session %s cancelled by staff, %s told", programme_session.id, told)
    notices = [i18n.get("desk-cancelled"), *reach_lines(i18n, told, to_call)]
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, notices)


# --- booking for a participant ---------------------------------------------------------------


def _ask_whom(
    i18n: I18nContext, programme_session: ProgrammeSession, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    text = desk_text(
        i18n, "desk-book-ask", title=sessions.session_vars(programme_session, tz)["title"]
    )
    return text, back_keyboard(i18n, programme_session)


async def ask_whom(
    callback: CallbackQuery,
    i18n: I18nContext,
    state: FSMContext,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
) -> None:
    await state.set_state(DeskInput.participant)
    await state.set_data({"session_id": programme_session.id})
    await show(callback, *_ask_whom(i18n, programme_session, tz))


async def typed_whom(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    state: FSMContext,
    tz: ZoneInfo,
) -> None:
    """A first name or a reference: the people it matches whom this staff member may book,
    as buttons (the state stays, so another name may be typed)."""
    programme_session, _data = await _pending_answered(
        message, i18n, session, state, staff_member, SEE
    )
    if programme_session is None:
        return
    found = await session_desk.search_for(session, staff_member, message.text)
    if not found:
        question, markup = _ask_whom(i18n, programme_session, tz)
        await message.answer(f"{i18n.get('desk-book-none')}\n\n{question}", reply_markup=markup)
        return
    text = i18n.get("desk-book-pick")
    if len(found) > session_desk.SEARCH_MAX:
        text += "\n" + i18n.get("desk-book-more", shown=session_desk.SEARCH_MAX)
    rows = [
        button_row(sessions.participant_label(person), "pick", programme_session.id, str(person.id))
        for person in found[: session_desk.SEARCH_MAX]
    ]
    await message.answer(text, reply_markup=keyboard(*rows, back_row(i18n, programme_session)))


async def _on_telegram(session: AsyncSession, person: Participant) -> bool:
    user = await session.get(User, person.user_id) if person.user_id else None
    return user is not None and user.reachable


async def pick(
    callback: CallbackQuery,
    callback_data: DeskAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """A seat (else the waitlist) for the person chosen, booked in the staff member's name."""
    extra = callback_data.extra
    person = await session.get(Participant, int(extra)) if extra.isdigit() else None
    if person is None:
        await callback.answer(i18n.get("desk-gone"), show_alert=True)
        return
    if not rights.may_book_for(staff_member, programme_session, person):
        await refuse(callback, i18n, staff_member, "desk-pick", person.id)
        return
    await leave_input(state)
    now, label = current_time(), sessions.participant_label(person)
    try:
        outcome = await sessions.take_seat(
            session, programme_session, person.id, now, tz, booked_by=staff_member.id
        )
    except BookingRefused as refused:
        notice = i18n.get(
            f"desk-book-refused-{refused.reason}", hours=programme_session.cutoff_hours
        )
        await show_session(
            callback, session, i18n, staff_member, programme_session, now, tz, [notice]
        )
        return
    seated = outcome.booking.status == BookingStatus.CONFIRMED
    key = f"desk-book-{'already-' if outcome.already else ''}"
    key += "confirmed" if seated else "waitlisted"
    notices = [i18n.get(key, label=label, position=outcome.position or 0)]
    if not outcome.already:
        log.info("booking %s made by staff %s", outcome.booking.id, staff_member.id)
    if not await _on_telegram(session, person):
        notices.append(i18n.get("desk-book-not-on-telegram", label=label))
    for other in await sessions.overlapping(session, programme_session, person.id):
        other_vars = sessions.session_vars(other, tz)
        notices.append(
            desk_text(
                i18n,
                "desk-book-overlap",
                label=label,
                other=other_vars["title"],
                when=other_vars["when"],
            )
        )
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, notices)
