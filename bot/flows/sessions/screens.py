"""What the organiser's screens share: their buttons (`OrganiserAction`), the right each button
needs, and the screen of one session, drawn again after every change (also by the dialog
`bot.flows.sessions.organiser`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    TelegramObject,
)
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import (
    Attendance,
    BookingStatus,
    Participant,
    ProgrammeSession,
    SessionStatus,
    Staff,
)
from bot.flows.common.keyboards import keyboard
from bot.flows.common.widgets import refuse, show
from bot.services.participants import reach
from bot.services.sessions import after_session, agenda, listings, organiser, seating
from bot.services.sessions.bookings import BookingRefused
from bot.services.sessions.callbacks import OrganiserCallback
from bot.services.sessions.common import session_vars
from bot.services.sessions.reminders import when_text
from bot.services.staff import rights

log = logging.getLogger(__name__)


class OrganiserAction(CallbackData, OrganiserCallback, prefix=OrganiserCallback.__prefix__):
    """`OrganiserCallback` (the organiser's screens) as aiogram packs, parses and filters it."""


NEXT_MARK = {None: Attendance.ATTENDED, Attendance.ATTENDED: Attendance.NO_SHOW}


# What each desk button does to its session: "see" (its screen, who is booked, attendance,
# a seat booked: the people are checked one by one) or "manage" (change, cancel, close the
# attendance list). A button missing here is refused (`rights`).
SEE = "see"


MANAGE = "manage"


ACTION_RIGHTS = {
    "open": SEE,
    "who": SEE,
    "att": SEE,
    "mark": SEE,
    "book": SEE,
    "pick": SEE,
    "settle": MANAGE,
    "ask": MANAGE,
    "cancel": MANAGE,
    "drop": MANAGE,
}


def may(staff_member: Staff, programme_session: ProgrammeSession, right: str) -> bool:
    if right == SEE:
        return rights.may_see_session(staff_member, programme_session)
    return right == MANAGE and rights.may_manage_session(staff_member, programme_session)


class OrganiserSession(BaseMiddleware):
    """Behind a desk button that names a session: the session, as `programme_session`
    (else "this session no longer exists"), once the staff member's right to the button's
    action on it is checked (else refused)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        callback: CallbackQuery,
        data: dict[str, Any],
    ) -> Any:
        action: OrganiserAction = data["callback_data"]
        if action.session_id:
            found = await data["session"].get(ProgrammeSession, action.session_id)
            if found is None:
                data["callback_answer"].text = data["i18n"].get("desk-gone")
                data["callback_answer"].show_alert = True
                return None
            member = data["staff_member"]
            if not may(member, found, ACTION_RIGHTS.get(action.action, "")):
                await refuse(callback, data["i18n"], member, f"desk-{action.action}", found.id)
                return None
            data["programme_session"] = found
        return await handler(callback, data)


def organiser_text(i18n: I18nContext, key: str, **variables: Any) -> str:
    """A message whose variables may be `{"fr": .., "nl": ..}` (as `session_vars` gives)."""
    return i18n.core.render(key, i18n.locale, variables)


def about_session(
    i18n: I18nContext, key: str, programme_session: ProgrammeSession, tz: ZoneInfo, **more: Any
) -> str:
    """A message about a session: its title, time, link and seats, and `more`."""
    return organiser_text(
        i18n,
        key,
        **session_vars(programme_session, tz),
        url=programme_session.url,
        confirmed=programme_session.confirmed,
        capacity=programme_session.capacity,
        **more,
    )


def button_row(text: str, action: str, session_id: int = 0, extra: str = "") -> list:
    data = OrganiserAction(action=action, session_id=session_id, extra=extra).pack()
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


def has_started(programme_session: ProgrammeSession, now: datetime) -> bool:
    return as_utc(programme_session.starts_at) <= now


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
    waiting = len(await organiser.waitlist(session, sid))
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
    started = has_started(programme_session, now)
    if started and not cancelled:
        turnout = await after_session.session_turnout(session, sid)
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


def reach_lines(i18n: I18nContext, told: int, to_call: int, key: str = "desk-told") -> list[str]:
    """How many the bot tells (`key`: has told, or will tell), and how many staff must call."""
    lines = [i18n.get(key, told=told)]
    if to_call:
        lines.append(i18n.get("desk-to-call", count=to_call))
    return lines


async def bookable(
    callback: CallbackQuery,
    session: AsyncSession,
    i18n: I18nContext,
    member: Staff,
    programme_session: ProgrammeSession,
    person_id: str,
) -> Participant | None:
    """The person picked (`desk:pick`, or the dialog's list) when this staff member may book
    for them; else None, the press answered (gone, or refused and logged)."""
    person = await session.get(Participant, int(person_id)) if person_id.isdigit() else None
    if person is None:
        await callback.answer(i18n.get("desk-gone"), show_alert=True)
        return None
    if not rights.may_book_for(member, programme_session, person):
        await refuse(callback, i18n, member, "desk-pick", person.id)
        return None
    return person


async def book_for(
    callback: CallbackQuery,
    session: AsyncSession,
    i18n: I18nContext,
    member: Staff,
    programme_session: ProgrammeSession,
    person: Participant,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """A seat (else the waitlist) for `person` (checked by `bookable`), booked in the staff
    member's name; then the session's screen under what happened."""
    label = listings.participant_label(person)
    try:
        outcome = await seating.take_seat(
            session, programme_session, person.id, now, tz, booked_by=member.id
        )
    except BookingRefused as refused:
        notice = i18n.get(
            f"desk-book-refused-{refused.reason}", hours=programme_session.cutoff_hours
        )
        await show_session(callback, session, i18n, member, programme_session, now, tz, [notice])
        return
    seated = outcome.booking.status == BookingStatus.CONFIRMED
    key = f"desk-book-{'already-' if outcome.already else ''}"
    key += "confirmed" if seated else "waitlisted"
    notices = [i18n.get(key, label=label, position=outcome.position or 0)]
    if not outcome.already:
        log.info("booking %s made by staff %s", outcome.booking.id, member.id)
    if await reach.address_of(session, person.id) is None:  # no Telegram, SMS nor e-mail
        notices.append(i18n.get("desk-book-not-on-telegram", label=label))
    for other in await agenda.overlapping(session, programme_session, person.id):
        other_vars = session_vars(other, tz)
        notices.append(
            organiser_text(
                i18n,
                "desk-book-overlap",
                label=label,
                other=other_vars["title"],
                when=other_vars["when"],
            )
        )
    await show_session(callback, session, i18n, member, programme_session, now, tz, notices)
