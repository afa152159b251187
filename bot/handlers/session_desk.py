"""The organiser's desk: `/mysessions`, a session's screen, who is booked, attendance, new
time, link or seats, cancellation, and a seat booked for a participant who phoned.

Every button edits the screen it sits on (or answers why not); every typed answer gets the
next question, or the same question again with what was wrong. Only staff get this far
(`StaffOnly`), and the session behind a button is loaded once (`DeskSession`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)
from aiogram_i18n import I18nContext
from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import (
    Attendance,
    BookingStatus,
    Participant,
    ProgrammeSession,
    SessionStatus,
    Staff,
    User,
)
from bot.handlers.staff import StaffOnly
from bot.i18n import Safe
from bot.services import session_desk, sessions, vacancy_cards
from bot.services.bookings import BookingRefused
from bot.services.reminders import BABEL_LOCALES, when_text

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)  # past sessions stay listed this long: attendance, feedback
LIST_MAX = 40  # buttons on the list (Telegram allows 100)
BUTTON_TITLE_MAX = 32
Clock = Callable[[], datetime]


class DeskAction(CallbackData, prefix="desk"):
    """ "desk:<action>:<session id>:<extra>". Actions: list, open (the session's screen), who,
    att (attendance), mark (`extra` "<booking id>.<attendance>"), ask (`extra` the field to
    change), yes (apply the change typed), cancel, drop (cancel, confirmed), book (ask whom),
    pick (`extra` the participant id)."""

    action: str
    session_id: int = 0
    extra: str = ""


class DeskInput(StatesGroup):
    starts_at = State()
    url = State()
    capacity = State()
    participant = State()


CHANGES = {"starts_at": DeskInput.starts_at, "url": DeskInput.url, "capacity": DeskInput.capacity}
NEXT_MARK = {None: Attendance.ATTENDED, Attendance.ATTENDED: Attendance.NO_SHOW}


class DeskSession(BaseMiddleware):
    """Behind a desk button that names a session: the session, as `programme_session`
    (else "this session no longer exists")."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        callback: CallbackQuery,
        data: dict[str, Any],
    ) -> Any:
        action: DeskAction = data["callback_data"]
        if action.session_id:
            found = await data["session"].get(ProgrammeSession, action.session_id)
            if found is None:
                await callback.answer(data["i18n"].get("desk-gone"), show_alert=True)
                return None
            data["programme_session"] = found
        return await handler(callback, data)


# --- drawing the screens ---------------------------------------------------------------------


def _text(i18n: I18nContext, key: str, **variables: Any) -> str:
    """A message whose variables may be `{"fr": .., "nl": ..}` (as `session_vars` gives)."""
    return i18n.core.render(key, i18n.locale, variables)


def _button(text: str, action: str, session_id: int = 0, extra: str = "") -> list:
    data = DeskAction(action=action, session_id=session_id, extra=extra).pack()
    return [InlineKeyboardButton(text=text, callback_data=data)]


def _keyboard(*rows: list) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=list(rows))


def _back(i18n: I18nContext, programme_session: ProgrammeSession) -> list:
    return _button(i18n.get("button-back"), "open", programme_session.id)


def _started(programme_session: ProgrammeSession, now: datetime) -> bool:
    return as_utc(programme_session.starts_at) <= now


async def _show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """The screen replaces the one the button sat on."""
    await callback.answer()
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:  # too old to edit: a new message then
            await callback.message.answer(text, reply_markup=markup)


async def _leave_input(state: FSMContext) -> None:
    """A desk question left unanswered is dropped (another conversation's state is kept)."""
    if await state.get_state() in DeskInput:
        await state.clear()


async def _list_screen(
    session: AsyncSession, i18n: I18nContext, now: datetime, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = await sessions.summaries(session, since=now - RECENT, include_cancelled=False)
    if not found:
        return i18n.get("desk-list-empty"), None
    rows = []
    for summary in found[:LIST_MAX]:
        programme_session = summary.session
        title = sessions.session_vars(programme_session, tz)["title"][i18n.locale]
        moment = as_utc(programme_session.starts_at).astimezone(tz)
        label = i18n.get(
            "desk-list-item",
            # Button texts are not HTML: nothing to escape.
            date=Safe(
                format_datetime(moment, "EEE d MMM HH:mm", locale=BABEL_LOCALES[i18n.locale])
            ),
            title=Safe(vacancy_cards.shorten(title, BUTTON_TITLE_MAX)),
            confirmed=summary.confirmed,
            capacity=programme_session.capacity,
            waiting=summary.waitlisted,
        )
        rows.append(_button(label, "open", programme_session.id))
    text = i18n.get("desk-list-title")
    if len(found) > LIST_MAX:
        text += "\n" + i18n.get("desk-list-more", more=len(found) - LIST_MAX)
    return text, _keyboard(*rows)


async def _session_screen(
    session: AsyncSession,
    i18n: I18nContext,
    programme_session: ProgrammeSession,
    now: datetime,
    tz: ZoneInfo,
    notices: list[str] = (),
) -> tuple[str, InlineKeyboardMarkup]:
    """Everything about one session on one screen, under what just happened (`notices`)."""
    sid = programme_session.id
    waiting = len(await session_desk.waitlist(session, sid))
    starts_at = as_utc(programme_session.starts_at)
    lines = [*notices, ""] if notices else []
    lines.append(
        _text(
            i18n,
            "desk-session",
            **sessions.session_vars(programme_session, tz),
            url=programme_session.url,
            confirmed=programme_session.confirmed,
            capacity=programme_session.capacity,
            waiting=waiting,
            cutoff=when_text(starts_at - timedelta(hours=programme_session.cutoff_hours), tz),
        )
    )
    cancelled = programme_session.status == SessionStatus.CANCELLED
    if cancelled:
        lines.append(i18n.get("desk-session-cancelled"))
    elif programme_session.status == SessionStatus.DRAFT:
        lines.append(i18n.get("desk-session-draft"))
    started = _started(programme_session, now)
    if started and not cancelled:
        turnout = await sessions.session_turnout(session, sid)
        if turnout.marked:
            lines.append(
                i18n.get(
                    "desk-session-turnout",
                    marked=turnout.marked,
                    confirmed=programme_session.confirmed,
                    rate=round(turnout.no_show_rate * 100),
                )
            )
        else:
            lines.append(i18n.get("desk-session-turnout-none"))
        if turnout.ratings:
            lines.append(
                i18n.get("desk-session-rating", average=turnout.rating_avg, ratings=turnout.ratings)
            )
    rows = [_button(i18n.get("desk-button-who"), "who", sid)]
    if started and not cancelled:
        rows.append(_button(i18n.get("desk-button-attendance"), "att", sid))
    elif not cancelled:
        rows += [
            _button(i18n.get("desk-button-time"), "ask", sid, "starts_at"),
            _button(i18n.get("desk-button-url"), "ask", sid, "url"),
            _button(i18n.get("desk-button-seats"), "ask", sid, "capacity"),
            _button(i18n.get("desk-button-book"), "book", sid),
            _button(i18n.get("desk-button-cancel"), "cancel", sid),
        ]
    rows.append(_button(i18n.get("desk-button-list"), "list"))
    return "\n".join(lines), _keyboard(*rows)


async def _history(session: AsyncSession, i18n: I18nContext, n: int, person: Participant) -> str:
    """One line of the list of people booked: who, and how often they did not come."""
    label = sessions.participant_label(person)
    past = await sessions.participant_turnout(session, person.id)
    if not past.marked:
        return i18n.get("desk-who-line", n=n, label=label)
    return i18n.get(
        "desk-who-line-history", n=n, label=label, no_shows=past.no_shows, marked=past.marked
    )


async def _attendance_screen(
    session: AsyncSession, i18n: I18nContext, programme_session: ProgrammeSession, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    sid = programme_session.id
    sheet = await sessions.attendance_sheet(session, sid)
    marks = [booking.attendance for booking, _person in sheet]
    text = _text(
        i18n,
        "desk-attendance-title",
        **sessions.session_vars(programme_session, tz),
        attended=marks.count(Attendance.ATTENDED),
        no_shows=marks.count(Attendance.NO_SHOW),
        unmarked=marks.count(None),
    )
    if not sheet:
        text += "\n" + i18n.get("desk-attendance-nobody")
    rows = [
        _button(
            i18n.get(
                f"desk-attendance-{booking.attendance or 'unmarked'}",
                label=Safe(sessions.participant_label(person)),
            ),
            "mark",
            sid,
            f"{booking.id}.{NEXT_MARK.get(booking.attendance, Attendance.ATTENDED)}",
        )
        for booking, person in sheet
    ]
    rows.append(_button(i18n.get("desk-button-done"), "open", sid))
    return text, _keyboard(*rows)


def _reach_lines(i18n: I18nContext, told: int, to_call: int) -> list[str]:
    lines = [i18n.get("desk-told", told=told)]
    if to_call:
        lines.append(i18n.get("desk-to-call", count=to_call))
    return lines


# --- the list and a session's screens --------------------------------------------------------


async def my_sessions(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """Sessions to come and of the last two weeks, soonest first: one button each."""
    await _leave_input(state)
    text, markup = await _list_screen(session, i18n, current_time(), tz)
    await message.answer(text, reply_markup=markup)


async def show_list(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    await _leave_input(state)
    text, markup = await _list_screen(session, i18n, current_time(), tz)
    await _show(callback, text, markup or _keyboard())


async def open_session(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    await _leave_input(state)
    await _show(
        callback, *await _session_screen(session, i18n, programme_session, current_time(), tz)
    )


async def who(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
) -> None:
    """Who holds a seat, then who waits (in the order they will be served): first name and
    reference, and how often they missed a session, nothing more."""
    sid = programme_session.id
    seated = await sessions.attendance_sheet(session, sid)
    waiting = await session_desk.waitlist(session, sid)
    lines = [
        _text(
            i18n,
            "desk-who-title",
            title=sessions.session_vars(programme_session, tz)["title"],
            confirmed=programme_session.confirmed,
            capacity=programme_session.capacity,
        )
    ]
    if not seated and not waiting:
        lines.append(i18n.get("desk-who-nobody"))
    if seated:
        lines.append(i18n.get("desk-who-seats"))
        lines += [await _history(session, i18n, n, p) for n, (_b, p) in enumerate(seated, 1)]
    if waiting:
        lines.append(i18n.get("desk-who-waiting"))
        lines += [await _history(session, i18n, n, p) for n, (_b, p) in enumerate(waiting, 1)]
    await _show(callback, "\n".join(lines), _keyboard(_back(i18n, programme_session)))


# --- attendance ------------------------------------------------------------------------------


async def attendance(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """One screen, one button per seat: ◻️ → ✅ came → ❌ did not come."""
    if not _started(programme_session, current_time()):
        await callback.answer(i18n.get("desk-attendance-not-yet"), show_alert=True)
        return
    await _show(callback, *await _attendance_screen(session, i18n, programme_session, tz))


async def mark(
    callback: CallbackQuery,
    callback_data: DeskAction,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    # The button carries the mark it sets, so a double tap sets it twice, not back.
    booking_id, _, mark_as = callback_data.extra.partition(".")
    seats = {
        str(booking.id): booking
        for booking, _p in await sessions.attendance_sheet(session, programme_session.id)
    }
    booking = seats.get(booking_id)
    if booking is None or mark_as not in Attendance.ALL:
        await callback.answer(i18n.get("desk-seat-gone"), show_alert=True)
        return
    try:
        await sessions.mark_attendance(
            session, programme_session, booking, mark_as, current_time(), tz
        )
    except sessions.SessionRefused:  # "not_started": a button forged before the start
        await callback.answer(i18n.get("desk-attendance-not-yet"), show_alert=True)
        return
    log.info("attendance of booking %s: %s", booking.id, mark_as)
    await _show(callback, *await _attendance_screen(session, i18n, programme_session, tz))


# --- new time, link, seats -------------------------------------------------------------------


async def _may_change(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> str | None:
    """Why the session cannot change any more ("cancelled", "past"), else None. An empty
    change is the service's own check, with nothing to apply."""
    try:
        await sessions.change_session(session, programme_session, {}, now, tz)
    except sessions.SessionRefused as refused:
        return refused.reason
    return None


def _question(
    i18n: I18nContext, field: str, programme_session: ProgrammeSession, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    text = _text(
        i18n,
        f"desk-ask-{field}",
        **sessions.session_vars(programme_session, tz),
        url=programme_session.url,
        confirmed=programme_session.confirmed,
        capacity=programme_session.capacity,
    )
    return text, _keyboard(_back(i18n, programme_session))


async def ask_change(
    callback: CallbackQuery,
    callback_data: DeskAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    field = callback_data.extra
    if field not in CHANGES:
        await callback.answer(i18n.get("desk-input-expired"), show_alert=True)
        return
    refused = await _may_change(session, programme_session, current_time(), tz)
    if refused is not None:
        await callback.answer(i18n.get(f"desk-refused-{refused}"), show_alert=True)
        return
    await state.set_state(CHANGES[field])
    await state.set_data({"session_id": programme_session.id, "field": field})
    await _show(callback, *_question(i18n, field, programme_session, tz))


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


async def _pending(
    session: AsyncSession, state: FSMContext
) -> tuple[ProgrammeSession | None, dict[str, Any]]:
    data = await state.get_data()
    found = await session.get(ProgrammeSession, data.get("session_id", 0))
    return found, data


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
    state: FSMContext,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """The new time, link or number of seats: checked, then shown for confirmation."""
    programme_session, data = await _pending(session, state)
    if programme_session is None:
        await state.clear()
        await message.answer(i18n.get("desk-gone"))
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
        _text(i18n, f"desk-confirm-{field}", **_confirm_vars(field, value, programme_session, tz))
    ]
    if field != "capacity":  # more or fewer seats concern nobody booked
        told, to_call = await session_desk.reach(session, programme_session.id)
        lines.append(i18n.get("desk-will-tell", told=told))
        if to_call:
            lines.append(i18n.get("desk-to-call", count=to_call))
    markup = _keyboard(
        _button(i18n.get("desk-button-confirm"), "yes", programme_session.id),
        _back(i18n, programme_session),
    )
    await message.answer("\n".join(lines), reply_markup=markup)


async def confirm_change(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Clock,
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
        await _show(
            callback, *await _session_screen(session, i18n, programme_session, now, tz, [notice])
        )
        return
    if not changed:
        notices = [i18n.get("desk-changed-nothing")]
    else:
        log.info("session %s: staff changed %s", programme_session.id, field)
        notices = [i18n.get(f"desk-changed-{field}")]
        if field != "capacity":
            notices += _reach_lines(i18n, *await session_desk.reach(session, programme_session.id))
    await _show(
        callback, *await _session_screen(session, i18n, programme_session, now, tz, notices)
    )


# --- cancelling the session ------------------------------------------------------------------


async def ask_cancel(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    refused = await _may_change(session, programme_session, current_time(), tz)
    if refused is not None:
        await callback.answer(i18n.get(f"desk-refused-{refused}"), show_alert=True)
        return
    told, to_call = await session_desk.reach(session, programme_session.id)
    lines = [_text(i18n, "desk-cancel-confirm", **sessions.session_vars(programme_session, tz))]
    lines.append(i18n.get("desk-will-tell", told=told))
    if to_call:
        lines.append(i18n.get("desk-to-call", count=to_call))
    markup = _keyboard(
        _button(i18n.get("desk-button-cancel-yes"), "drop", programme_session.id),
        _back(i18n, programme_session),
    )
    await _show(callback, "\n".join(lines), markup)


async def cancel_session(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    programme_session: ProgrammeSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    now = current_time()
    refused = await _may_change(session, programme_session, now, tz)
    if refused is not None:
        await callback.answer(i18n.get(f"desk-refused-{refused}"), show_alert=True)
        return
    _told, to_call = await session_desk.reach(session, programme_session.id)
    told = await sessions.cancel_session(session, programme_session, now, tz)
    log.info("session %s cancelled by staff, %s told", programme_session.id, told)
    notices = [i18n.get("desk-cancelled"), *_reach_lines(i18n, told, to_call)]
    await _show(
        callback, *await _session_screen(session, i18n, programme_session, now, tz, notices)
    )


# --- booking for a participant ---------------------------------------------------------------


def _ask_whom(
    i18n: I18nContext, programme_session: ProgrammeSession, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    text = _text(i18n, "desk-book-ask", title=sessions.session_vars(programme_session, tz)["title"])
    return text, _keyboard(_back(i18n, programme_session))


async def ask_whom(
    callback: CallbackQuery,
    i18n: I18nContext,
    state: FSMContext,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
) -> None:
    await state.set_state(DeskInput.participant)
    await state.set_data({"session_id": programme_session.id})
    await _show(callback, *_ask_whom(i18n, programme_session, tz))


async def typed_whom(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    tz: ZoneInfo,
) -> None:
    """A first name or a reference: the people it matches, as buttons (the state stays, so
    another name may be typed)."""
    programme_session, _data = await _pending(session, state)
    if programme_session is None:
        await state.clear()
        await message.answer(i18n.get("desk-gone"))
        return
    found = await session_desk.search_participants(session, message.text)
    if not found:
        question, markup = _ask_whom(i18n, programme_session, tz)
        await message.answer(f"{i18n.get('desk-book-none')}\n\n{question}", reply_markup=markup)
        return
    text = i18n.get("desk-book-pick")
    if len(found) > session_desk.SEARCH_MAX:
        text += "\n" + i18n.get("desk-book-more", shown=session_desk.SEARCH_MAX)
    rows = [
        _button(sessions.participant_label(person), "pick", programme_session.id, str(person.id))
        for person in found[: session_desk.SEARCH_MAX]
    ]
    await message.answer(text, reply_markup=_keyboard(*rows, _back(i18n, programme_session)))


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
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """A seat (else the waitlist) for the person chosen, booked in the staff member's name."""
    extra = callback_data.extra
    person = await session.get(Participant, int(extra)) if extra.isdigit() else None
    if person is None:
        await callback.answer(i18n.get("desk-gone"), show_alert=True)
        return
    await _leave_input(state)
    now, label = current_time(), sessions.participant_label(person)
    try:
        outcome = await sessions.take_seat(
            session, programme_session, person.id, now, tz, booked_by=staff_member.id
        )
    except BookingRefused as refused:
        notice = i18n.get(
            f"desk-book-refused-{refused.reason}", hours=programme_session.cutoff_hours
        )
        await _show(
            callback, *await _session_screen(session, i18n, programme_session, now, tz, [notice])
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
        notices.append(
            _text(
                i18n,
                "desk-book-overlap",
                label=label,
                other=sessions.session_vars(other, tz)["title"],
                when=sessions.session_vars(other, tz)["when"],
            )
        )
    await _show(
        callback, *await _session_screen(session, i18n, programme_session, now, tz, notices)
    )


def build_router() -> Router:
    router = Router(name="session-desk")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.callback_query.middleware(DeskSession())
    router.message.register(my_sessions, Command("mysessions"))
    typed = F.text & ~F.text.startswith("/")
    router.message.register(typed_change, DeskInput.starts_at, typed)
    router.message.register(typed_change, DeskInput.url, typed)
    router.message.register(typed_change, DeskInput.capacity, typed)
    router.message.register(typed_whom, DeskInput.participant, typed)
    for handler, action in (
        (show_list, "list"),
        (open_session, "open"),
        (who, "who"),
        (attendance, "att"),
        (mark, "mark"),
        (ask_change, "ask"),
        (confirm_change, "yes"),
        (ask_cancel, "cancel"),
        (cancel_session, "drop"),
        (ask_whom, "book"),
        (pick, "pick"),
    ):
        router.callback_query.register(handler, DeskAction.filter(F.action == action))
    return router
