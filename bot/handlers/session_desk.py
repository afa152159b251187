"""The organiser's desk: `/mysessions`, a session's screen, who is booked, attendance, new
time, link or seats, cancellation, and a seat booked for a participant who phoned.

Every button edits the screen it sits on (or answers why not); every typed answer gets the
next question, or the same question again with what was wrong. Only staff get this far
(`StaffOnly`), and the session behind a button is loaded once (`DeskSession`).

This module draws the screens and handles the list, a session's screen, who is booked and
attendance; `session_desk_changes` handles what changes a session (time, link, seats,
cancelling) and booking a seat for someone. `build_router` registers both."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, F, Router
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
from bot.db.models import Attendance, Participant, ProgrammeSession, SessionStatus, Staff
from bot.handlers.screens import show
from bot.handlers.staff import FLOW, StaffOnly, refuse
from bot.i18n import Safe
from bot.keyboards.common import keyboard
from bot.scheduler import Now
from bot.services import rights, session_desk, sessions, vacancy_cards
from bot.services.reminders import BABEL_LOCALES, when_text

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)  # past sessions stay listed this long: attendance, feedback
LIST_MAX = 40  # buttons on the list (Telegram allows 100)
BUTTON_TITLE_MAX = 32


class DeskAction(CallbackData, prefix="desk"):
    """ "desk:<action>:<session id>:<extra>". Actions: list, open (the session's screen), who,
    att (attendance), mark (`extra` "<booking id>.<attendance>"), settle (the attendance
    list is complete), ask (`extra` the field to
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


NEXT_MARK = {None: Attendance.ATTENDED, Attendance.ATTENDED: Attendance.NO_SHOW}


# What each desk button does to its session: "see" (its screen, who is booked, attendance,
# a seat booked: the people are checked one by one) or "manage" (change, cancel, close the
# attendance list). A button missing here is refused (`rights`).
SEE, MANAGE = "see", "manage"
ACTION_RIGHTS = {
    "open": SEE,
    "who": SEE,
    "att": SEE,
    "mark": SEE,
    "book": SEE,
    "pick": SEE,
    "settle": MANAGE,
    "ask": MANAGE,
    "yes": MANAGE,
    "cancel": MANAGE,
    "drop": MANAGE,
}


def may(staff_member: Staff, programme_session: ProgrammeSession, right: str) -> bool:
    if right == SEE:
        return rights.may_see_session(staff_member, programme_session)
    return right == MANAGE and rights.may_manage_session(staff_member, programme_session)


class DeskSession(BaseMiddleware):
    """Behind a desk button that names a session: the session, as `programme_session`
    (else "this session no longer exists"), once the staff member's right to the button's
    action on it is checked (else refused)."""

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
            member = data["staff_member"]
            if not may(member, found, ACTION_RIGHTS.get(action.action, "")):
                await refuse(callback, data["i18n"], member, f"desk-{action.action}", found.id)
                return None
            data["programme_session"] = found
        return await handler(callback, data)


# --- drawing the screens ---------------------------------------------------------------------


def desk_text(i18n: I18nContext, key: str, **variables: Any) -> str:
    """A message whose variables may be `{"fr": .., "nl": ..}` (as `session_vars` gives)."""
    return i18n.core.render(key, i18n.locale, variables)


def about_session(
    i18n: I18nContext, key: str, programme_session: ProgrammeSession, tz: ZoneInfo, **more: Any
) -> str:
    """A message about a session: its title, time, link and seats, and `more`."""
    return desk_text(
        i18n,
        key,
        **sessions.session_vars(programme_session, tz),
        url=programme_session.url,
        confirmed=programme_session.confirmed,
        capacity=programme_session.capacity,
        **more,
    )


def button_row(text: str, action: str, session_id: int = 0, extra: str = "") -> list:
    data = DeskAction(action=action, session_id=session_id, extra=extra).pack()
    return [InlineKeyboardButton(text=text, callback_data=data)]


def back_row(i18n: I18nContext, programme_session: ProgrammeSession) -> list:
    return button_row(i18n.get("button-back"), "open", programme_session.id)


def back_keyboard(i18n: I18nContext, programme_session: ProgrammeSession) -> InlineKeyboardMarkup:
    return keyboard(back_row(i18n, programme_session))


def confirm_keyboard(
    i18n: I18nContext, key: str, action: str, programme_session: ProgrammeSession
) -> InlineKeyboardMarkup:
    """A button that does what the screen asks (`action`), and one back to the session."""
    return keyboard(
        button_row(i18n.get(key), action, programme_session.id), back_row(i18n, programme_session)
    )


def _started(programme_session: ProgrammeSession, now: datetime) -> bool:
    return as_utc(programme_session.starts_at) <= now


async def leave_input(state: FSMContext) -> None:
    """A desk question left unanswered is dropped (another conversation's state is kept)."""
    if await state.get_state() in DeskInput:
        await state.clear()


async def _list_screen(
    session: AsyncSession, i18n: I18nContext, member: Staff, now: datetime, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = [
        summary
        for summary in await sessions.summaries(
            session, since=now - RECENT, include_cancelled=False
        )
        if rights.may_see_session(member, summary.session)
    ]
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
        rows.append(button_row(label, "open", programme_session.id))
    text = i18n.get("desk-list-title")
    if len(found) > LIST_MAX:
        text += "\n" + i18n.get("desk-list-more", more=len(found) - LIST_MAX)
    return text, keyboard(*rows)


async def show_session(
    callback: CallbackQuery,
    session: AsyncSession,
    i18n: I18nContext,
    member: Staff,
    programme_session: ProgrammeSession,
    now: datetime,
    tz: ZoneInfo,
    notices: list[str] = (),
) -> None:
    """Everything about one session on one screen, under what just happened (`notices`), in
    place of the screen the button sat on; only the buttons `member` may use."""
    sid = programme_session.id
    waiting = len(await session_desk.waitlist(session, sid))
    starts_at = as_utc(programme_session.starts_at)
    lines = [*notices, ""] if notices else []
    cutoff = when_text(starts_at - timedelta(hours=programme_session.cutoff_hours), tz)
    lines.append(
        about_session(i18n, "desk-session", programme_session, tz, waiting=waiting, cutoff=cutoff)
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
    rows = [button_row(i18n.get("desk-button-who"), "who", sid)]
    manages = rights.may_manage_session(member, programme_session)
    if started and not cancelled:
        rows.append(button_row(i18n.get("desk-button-attendance"), "att", sid))
    elif not cancelled and manages:
        rows += [
            button_row(i18n.get("desk-button-time"), "ask", sid, "starts_at"),
            button_row(i18n.get("desk-button-url"), "ask", sid, "url"),
            button_row(i18n.get("desk-button-seats"), "ask", sid, "capacity"),
            button_row(i18n.get("desk-button-book"), "book", sid),
            button_row(i18n.get("desk-button-cancel"), "cancel", sid),
        ]
    elif not cancelled:
        rows.append(button_row(i18n.get("desk-button-book"), "book", sid))
    rows.append(button_row(i18n.get("desk-button-list"), "list"))
    await show(callback, "\n".join(lines), keyboard(*rows))


async def _history(session: AsyncSession, i18n: I18nContext, n: int, person: Participant) -> str:
    """One line of the list of people booked: who, and how often they did not come."""
    label = sessions.participant_label(person)
    past = await sessions.participant_turnout(session, person.id)
    if not past.marked:
        return i18n.get("desk-who-line", n=n, label=label)
    return i18n.get(
        "desk-who-line-history", n=n, label=label, no_shows=past.no_shows, marked=past.marked
    )


async def _show_attendance(
    callback: CallbackQuery,
    session: AsyncSession,
    i18n: I18nContext,
    member: Staff,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
) -> None:
    """One button per seat `member` may mark, in place of the screen the button sat on;
    "Done" when they manage the session."""
    sid = programme_session.id
    sheet = await _seats_of(session, member, programme_session)
    marks = [booking.attendance for booking, _person in sheet]
    text = desk_text(
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
        button_row(
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
    if rights.may_manage_session(member, programme_session):
        rows.append(button_row(i18n.get("desk-button-done"), "settle", sid))
    else:
        rows.append(back_row(i18n, programme_session))
    await show(callback, text, keyboard(*rows))


async def _seats_of(
    session: AsyncSession, member: Staff, programme_session: ProgrammeSession
) -> list[tuple]:
    """The confirmed seats of the session whose people `member` may see."""
    return [
        (booking, person)
        for booking, person in await sessions.attendance_sheet(session, programme_session.id)
        if rights.may_book_for(member, programme_session, person)
    ]


def reach_lines(i18n: I18nContext, told: int, to_call: int, key: str = "desk-told") -> list[str]:
    """How many the bot tells (`key`: has told, or will tell), and how many staff must call."""
    lines = [i18n.get(key, told=told)]
    if to_call:
        lines.append(i18n.get("desk-to-call", count=to_call))
    return lines


# --- the list and a session's screens --------------------------------------------------------


async def my_sessions(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    state: FSMContext,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """Sessions to come and of the last two weeks, soonest first: one button each. Sent for
    /mysessions; for the list's button, in place of the screen it sat on."""
    await leave_input(state)
    text, markup = await _list_screen(session, i18n, staff_member, current_time(), tz)
    if isinstance(event, CallbackQuery):
        await show(event, text, markup or keyboard())
    else:
        await event.answer(text, reply_markup=markup)


async def open_session(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    state: FSMContext,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    await leave_input(state)
    await show_session(callback, session, i18n, staff_member, programme_session, current_time(), tz)


async def who(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
) -> None:
    """Who holds a seat, then who waits (in the order they will be served): first name and
    reference, and how often they missed a session, nothing more; of the people `rights`
    lets this staff member see, the others counted only."""
    sid = programme_session.id
    seated = await sessions.attendance_sheet(session, sid)
    waiting = await session_desk.waitlist(session, sid)
    everyone = len(seated) + len(waiting)
    seated, waiting = (
        [(b, p) for b, p in people if rights.may_book_for(staff_member, programme_session, p)]
        for people in (seated, waiting)
    )
    others = everyone - len(seated) - len(waiting)
    lines = [
        desk_text(
            i18n,
            "desk-who-title",
            title=sessions.session_vars(programme_session, tz)["title"],
            confirmed=programme_session.confirmed,
            capacity=programme_session.capacity,
        )
    ]
    if not everyone:
        lines.append(i18n.get("desk-who-nobody"))
    for people, key in ((seated, "desk-who-seats"), (waiting, "desk-who-waiting")):
        if people:
            lines.append(i18n.get(key))
            lines += [await _history(session, i18n, n, p) for n, (_b, p) in enumerate(people, 1)]
    if others:
        lines.append(i18n.get("desk-who-others", count=others))
    await show(callback, "\n".join(lines), back_keyboard(i18n, programme_session))


# --- attendance ------------------------------------------------------------------------------


async def attendance(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """One screen, one button per seat: ◻️ → ✅ came → ❌ did not come."""
    if not _started(programme_session, current_time()):
        await callback.answer(i18n.get("desk-attendance-not-yet"), show_alert=True)
        return
    await _show_attendance(callback, session, i18n, staff_member, programme_session, tz)


async def mark(
    callback: CallbackQuery,
    callback_data: DeskAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    # The button carries the mark it sets, so a double tap sets it twice, not back.
    booking_id, _, mark_as = callback_data.extra.partition(".")
    seats = {
        str(booking.id): (booking, person)
        for booking, person in await sessions.attendance_sheet(session, programme_session.id)
    }
    booking, person = seats.get(booking_id, (None, None))
    if booking is None or mark_as not in Attendance.ALL:
        await callback.answer(i18n.get("desk-seat-gone"), show_alert=True)
        return
    if not rights.may_book_for(staff_member, programme_session, person):
        await refuse(callback, i18n, staff_member, "desk-mark", booking.id)
        return
    try:
        await sessions.mark_attendance(session, programme_session, booking, mark_as, current_time())
    except sessions.SessionRefused:  # "not_started": a button forged before the start
        await callback.answer(i18n.get("desk-attendance-not-yet"), show_alert=True)
        return
    log.info("attendance of booking %s: %s", booking.id, mark_as)
    await _show_attendance(callback, session, i18n, staff_member, programme_session, tz)


async def settle(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """ "Done" under the attendance: the list is complete, so those who came are asked how
    it was (now, or at the end of the session), and the session's screen comes back."""
    now = current_time()
    try:
        await sessions.confirm_attendance(session, programme_session, now, tz)
    except sessions.SessionRefused:  # a button forged before the start
        await callback.answer(i18n.get("desk-attendance-not-yet"), show_alert=True)
        return
    turnout = await sessions.session_turnout(session, programme_session.id)
    ended = sessions.ends_at(programme_session) <= now
    notice = i18n.get(
        "desk-feedback-asked" if ended else "desk-feedback-at-end", count=turnout.attended
    )
    log.info("attendance of session %s confirmed", programme_session.id)
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, [notice])


def build_router() -> Router:
    """One router for the whole desk: this module's screens and `session_desk_changes`."""
    from bot.handlers.session_desk_changes import (  # it draws with this module's helpers
        ask_cancel,
        ask_change,
        ask_whom,
        cancel_session,
        confirm_change,
        pick,
        typed_change,
        typed_whom,
    )

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
        (my_sessions, "list"),
        (open_session, "open"),
        (who, "who"),
        (attendance, "att"),
        (mark, "mark"),
        (settle, "settle"),
        (ask_change, "ask"),
        (confirm_change, "yes"),
        (ask_cancel, "cancel"),
        (cancel_session, "drop"),
        (ask_whom, "book"),
        (pick, "pick"),
    ):
        # The desk's own question (a new time typed, then confirmed) stays; the rest closes.
        router.callback_query.register(
            handler, DeskAction.filter(F.action == action), flags={FLOW: DeskInput}
        )
    return router
