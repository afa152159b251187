"""The organiser's desk: `/mysessions`, a session's screen, who is booked, attendance, new
time, link or seats, cancellation, and a seat booked for a participant who phoned.

Every button edits the screen it sits on (or answers why not). Only staff get this far
(`StaffOnly`), and the session behind a button is loaded once (`OrganiserSession`).

This module draws the screens and handles the list, a session's screen, who is booked and
attendance; `organiser_changes` handles what changes a session (time, link, seats,
cancelling) and booking a seat for someone, whose typed steps are the dialog
`bot.flows.sessions.organiser`'s."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.base import as_utc
from bot.db.models import Attendance, Participant, ProgrammeSession, Staff
from bot.delivery.channels import NOBODY
from bot.flows.common.keyboards import keyboard
from bot.flows.common.states import SessionEdit
from bot.flows.common.widgets import close_dialog, show
from bot.flows.sessions.screens import (
    NEXT_MARK,
    OrganiserAction,
    back_keyboard,
    back_row,
    button_row,
    has_started,
    organiser_text,
    show_session,
)
from bot.handlers.common.staff_only import refuse
from bot.i18n import Safe
from bot.services.participants.reached import ALL_SET, Providers, reach_key, reaches
from bot.services.sessions import after_session, listings, organiser
from bot.services.sessions.common import SessionRefused, session_vars
from bot.services.sessions.reminders import BABEL_LOCALES
from bot.services.staff import rights
from bot.services.vacancies import cards as vacancy_cards

log = logging.getLogger(__name__)

RECENT = timedelta(days=14)  # past sessions stay listed this long: attendance, feedback
LIST_MAX = 40  # buttons on the list (Telegram allows 100)
BUTTON_TITLE_MAX = 32


# --- drawing the screens ---------------------------------------------------------------------


async def _list_screen(
    session: AsyncSession, i18n: I18nContext, member: Staff, now: datetime, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = [
        summary
        for summary in await listings.summaries(
            session, since=now - RECENT, include_cancelled=False
        )
        if rights.may_see_session(member, summary.session)
    ]
    if not found:
        return i18n.get("desk-list-empty"), None
    rows = []
    for summary in found[:LIST_MAX]:
        programme_session = summary.session
        title = session_vars(programme_session, tz)["title"][i18n.locale]
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


async def _history(
    session: AsyncSession, i18n: I18nContext, n: int, person: Participant, how: str
) -> str:
    """One line of the list of people booked: who, how they are reached (`how`), and how
    often they did not come."""
    label = listings.participant_label(person)
    reached = i18n.get(reach_key(how))
    past = await after_session.participant_turnout(session, person.id)
    if not past.marked:
        return i18n.get("desk-who-line", n=n, label=label, reach=reached)
    return i18n.get(
        "desk-who-line-history",
        n=n,
        label=label,
        reach=reached,
        no_shows=past.no_shows,
        marked=past.marked,
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
    text = organiser_text(
        i18n,
        "desk-attendance-title",
        **session_vars(programme_session, tz),
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
                label=Safe(listings.participant_label(person)),
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
        for booking, person in await after_session.attendance_sheet(session, programme_session.id)
        if rights.may_book_for(member, programme_session, person)
    ]


# --- the list and a session's screens --------------------------------------------------------


async def my_sessions(
    event: Message | CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    """Sessions to come and of the last two weeks, soonest first: one button each. Sent for
    /mysessions (a desk question left unanswered is dropped: another dialog stays); for the
    list's button, in place of the screen it sat on (the staff gate closed what was open)."""
    if dialog_manager.has_context() and dialog_manager.current_context().state in SessionEdit:
        await close_dialog(dialog_manager)
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
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    await show_session(callback, session, i18n, staff_member, programme_session, current_time(), tz)


async def who(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    tz: ZoneInfo,
    providers: Providers = ALL_SET,
) -> None:
    """Who holds a seat, then who waits (in the order they will be served): first name and
    reference, how they are reached (Telegram, SMS, e-mail, nobody: to call), and how often
    they missed a session, nothing more; of the people `rights`
    lets this staff member see, the others counted only."""
    sid = programme_session.id
    seated = await after_session.attendance_sheet(session, sid)
    waiting = await organiser.waitlist(session, sid)
    everyone = len(seated) + len(waiting)
    seated, waiting = (
        [(b, p) for b, p in people if rights.may_book_for(staff_member, programme_session, p)]
        for people in (seated, waiting)
    )
    others = everyone - len(seated) - len(waiting)
    lines = [
        organiser_text(
            i18n,
            "desk-who-title",
            title=session_vars(programme_session, tz)["title"],
            confirmed=programme_session.confirmed,
            capacity=programme_session.capacity,
        )
    ]
    if not everyone:
        lines.append(i18n.get("desk-who-nobody"))
    how = await reaches(session, [p.id for _b, p in (*seated, *waiting)], providers)
    for people, key in ((seated, "desk-who-seats"), (waiting, "desk-who-waiting")):
        if people:
            lines.append(i18n.get(key))
            lines += [
                await _history(session, i18n, n, p, how.get(p.id, NOBODY))
                for n, (_b, p) in enumerate(people, 1)
            ]
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
    callback_answer: CallbackAnswer,
) -> None:
    """One screen, one button per seat: ◻️ → ✅ came → ❌ did not come."""
    if not has_started(programme_session, current_time()):
        callback_answer.text = i18n.get("desk-attendance-not-yet")
        callback_answer.show_alert = True
        return
    await _show_attendance(callback, session, i18n, staff_member, programme_session, tz)


async def mark(
    callback: CallbackQuery,
    callback_data: OrganiserAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    programme_session: ProgrammeSession,
    current_time: Now,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    # The button carries the mark it sets, so a double tap sets it twice, not back.
    booking_id, _, mark_as = callback_data.extra.partition(".")
    seats = {
        str(booking.id): (booking, person)
        for booking, person in await after_session.attendance_sheet(session, programme_session.id)
    }
    booking, person = seats.get(booking_id, (None, None))
    if booking is None or mark_as not in Attendance.ALL:
        callback_answer.text = i18n.get("desk-seat-gone")
        callback_answer.show_alert = True
        return
    if not rights.may_book_for(staff_member, programme_session, person):
        await refuse(callback, i18n, staff_member, "desk-mark", booking.id)
        return
    try:
        await after_session.mark_attendance(
            session, programme_session, booking, mark_as, current_time()
        )
    except SessionRefused:  # "not_started": a button forged before the start
        callback_answer.text = i18n.get("desk-attendance-not-yet")
        callback_answer.show_alert = True
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
    callback_answer: CallbackAnswer,
) -> None:
    """ "Done" under the attendance: the list is complete, so those who came are asked how
    it was (now, or at the end of the session), and the session's screen comes back."""
    now = current_time()
    try:
        await after_session.confirm_attendance(session, programme_session, now, tz)
    except SessionRefused:  # a button forged before the start
        callback_answer.text = i18n.get("desk-attendance-not-yet")
        callback_answer.show_alert = True
        return
    turnout = await after_session.session_turnout(session, programme_session.id)
    ended = after_session.ends_at(programme_session) <= now
    notice = i18n.get(
        "desk-feedback-asked" if ended else "desk-feedback-at-end", count=turnout.attended
    )
    log.info("attendance of session %s confirmed", programme_session.id)
    await show_session(callback, session, i18n, staff_member, programme_session, now, tz, [notice])
