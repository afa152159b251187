"""The organiser's session screens, what is typed: a new time, link or number of seats (typed,
checked, then confirmed; the booked are told), and a seat booked for a participant who
phoned (a first name or reference typed, the people found as buttons; another name may be
typed).

The dialog opens from the session's screen (`desk:ask`, `desk:book`) in its place, and
leaves it for the session's screen again (back, confirmed, or a person picked). The staff
member and their right to the session are checked again on every answer typed, on "Confirm"
and on the person picked (`screens.bookable`: `rights.may_book_for`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Group, Select
from aiogram_dialog.widgets.text import Format

from bot.db.models import Participant, ProgrammeSession, Staff
from bot.flows.common.states import SESSION_CHANGES, SessionEdit
from bot.flows.common.steps import again, bot_now, i18n_of, not_an_answer, programme_tz
from bot.flows.common.widgets import I18nText, refuse
from bot.flows.sessions.screens import (
    MANAGE,
    SEE,
    about_session,
    book_for,
    bookable,
    may,
    organiser_text,
    reach_lines,
    show_session,
)
from bot.services.sessions import listings, organiser, staff_changes
from bot.services.sessions.common import SessionRefused, session_vars
from bot.services.sessions.reminders import when_text
from bot.services.staff import members as staff

log = logging.getLogger(__name__)

# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = F.text & ~F.text.startswith("/")


async def _member(manager: DialogManager) -> Staff | None:
    """The staff member, looked up again: they may have left the team meanwhile."""
    user_id = manager.event.from_user.id
    member = await staff.staff_by_telegram_id(manager.middleware_data["session"], user_id)
    if member is None:
        log.warning("session desk step refused for user id %s", user_id)
    return member


async def _programme_session(manager: DialogManager) -> ProgrammeSession | None:
    data = manager.start_data or {}
    return await manager.middleware_data["session"].get(ProgrammeSession, data.get("session_id", 0))


async def _checked(
    event: Message | CallbackQuery, manager: DialogManager, right: str, action: str
) -> tuple[Staff | None, ProgrammeSession | None]:
    """The staff member and the session, when they may still act on it (`right`); else the
    dialog closes and they are told why (a refusal is logged)."""
    i18n = i18n_of(manager)
    member = await _member(manager)
    found = await _programme_session(manager) if member else None
    if member is not None and found is not None and may(member, found, right):
        return member, found
    await manager.done()
    manager.show_mode = ShowMode.SEND
    if member is None:
        text = i18n.get("staff-only")
    elif found is None:
        text = i18n.get("desk-gone")
    else:
        await refuse(event, i18n, member, action, found.id)
        return None, None
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)
    return None, None


async def _back(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Back to the session's screen, in place of the question."""
    member, programme_session = await _checked(callback, manager, SEE, "desk-open")
    if programme_session is None:
        return
    session, i18n = manager.middleware_data["session"], i18n_of(manager)
    await manager.done(show_mode=ShowMode.NO_UPDATE)  # the screen comes in its place
    now, tz = bot_now(manager), programme_tz(manager)
    await show_session(callback, session, i18n, member, programme_session, now, tz)


# --- new time, link, seats -----------------------------------------------------------------


async def _question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, tz = i18n_of(dialog_manager), programme_tz(dialog_manager)
    found = await _programme_session(dialog_manager)
    if found is None:
        return {"text": i18n.get("desk-gone")}
    field = dialog_manager.start_data["field"]
    return {"text": about_session(i18n, f"desk-ask-{field}", found, tz)}


def _parse(
    field: str, text: str, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> tuple[Any, str | None]:
    """The value typed, as the session stores it, or the key of what is wrong with it."""
    if field == "starts_at":
        moment = organiser.parse_when(text, now, tz)
        if moment is None:
            return None, "desk-wrong-starts_at"
        return (moment, None) if moment > now else (None, "desk-wrong-past")
    if field == "url":
        url = organiser.parse_url(text)
        return (url, None) if url else (None, "desk-wrong-url")
    seats = organiser.parse_seats(text)
    if seats is None or seats < programme_session.confirmed:
        return None, "desk-wrong-capacity"
    return seats, None


async def _typed_change(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    """The new time, link or number of seats: checked, then shown for confirmation."""
    _, programme_session = await _checked(message, manager, MANAGE, "desk-typed")
    if programme_session is None:
        return
    field, tz = manager.start_data["field"], programme_tz(manager)
    value, wrong = _parse(field, text, programme_session, bot_now(manager), tz)
    if wrong is not None:
        least = max(programme_session.confirmed, 1)
        problem = i18n_of(manager).get(wrong, least=least, most=organiser.SEATS_MAX)
        await again(message, manager, problem)
        return
    manager.dialog_data["value"] = value.isoformat() if isinstance(value, datetime) else value
    await manager.switch_to(SessionEdit.confirm, show_mode=ShowMode.SEND)


def _value(field: str, stored: Any) -> Any:
    return datetime.fromisoformat(stored) if field == "starts_at" else stored


def _confirm_vars(
    field: str, value: Any, programme_session: ProgrammeSession, tz: ZoneInfo
) -> dict[str, Any]:
    before = session_vars(programme_session, tz)
    if field == "starts_at":
        return {"title": before["title"], "old": before["when"], "new": when_text(value, tz)}
    if field == "url":
        return {"title": before["title"], "url": value}
    return {"title": before["title"], "old": programme_session.capacity, "capacity": value}


async def _confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, tz = i18n_of(dialog_manager), programme_tz(dialog_manager)
    found = await _programme_session(dialog_manager)
    if found is None:
        return {"text": i18n.get("desk-gone")}
    field = dialog_manager.start_data["field"]
    value = _value(field, dialog_manager.dialog_data["value"])
    lines = [
        organiser_text(i18n, f"desk-confirm-{field}", **_confirm_vars(field, value, found, tz))
    ]
    if field != "capacity":  # more or fewer seats concern nobody booked
        reach = await organiser.reach(dialog_manager.middleware_data["session"], found.id)
        lines += reach_lines(i18n, *reach, key="desk-will-tell")
    return {"text": "\n".join(lines)}


async def _confirm(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    member, programme_session = await _checked(callback, manager, MANAGE, "desk-yes")
    if programme_session is None:
        return
    session, i18n, tz = manager.middleware_data["session"], i18n_of(manager), programme_tz(manager)
    field, now = manager.start_data["field"], bot_now(manager)
    value = _value(field, manager.dialog_data["value"])
    await manager.done(show_mode=ShowMode.NO_UPDATE)  # the screen comes in its place
    try:
        changed = await staff_changes.change_session(
            session, programme_session, {field: value}, now, tz
        )
    except SessionRefused as refused:
        notice = i18n.get(f"desk-refused-{refused.reason}", confirmed=programme_session.confirmed)
        await show_session(callback, session, i18n, member, programme_session, now, tz, [notice])
        return
    if not changed:
        notices = [i18n.get("desk-changed-nothing")]
    else:
        log.info("session %s: staff changed %s", programme_session.id, field)
        notices = [i18n.get(f"desk-changed-{field}")]
        if field != "capacity":
            notices += reach_lines(i18n, *await organiser.reach(session, programme_session.id))
    await show_session(callback, session, i18n, member, programme_session, now, tz, notices)


# --- booking for a participant ---------------------------------------------------------------


async def _whom_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The question, or the people found."""
    i18n, tz = i18n_of(dialog_manager), programme_tz(dialog_manager)
    found = await _programme_session(dialog_manager)
    if found is None:
        return {"text": i18n.get("desk-gone"), "people": []}
    ids = dialog_manager.dialog_data.get("found")
    if not ids:
        title = session_vars(found, tz)["title"]
        return {"text": organiser_text(i18n, "desk-book-ask", title=title), "people": []}
    text = i18n.get("desk-book-pick")
    if len(ids) > organiser.SEARCH_MAX:
        text += "\n" + i18n.get("desk-book-more", shown=organiser.SEARCH_MAX)
    session, people = dialog_manager.middleware_data["session"], []
    for person_id in ids[: organiser.SEARCH_MAX]:
        person = await session.get(Participant, person_id)
        if person is not None:
            people.append((str(person.id), listings.participant_label(person)))
    return {"text": text, "people": people}


async def _picked(callback: CallbackQuery, _w: Any, manager: DialogManager, value: str) -> None:
    """A seat for the person picked, then the session's screen."""
    member, programme_session = await _checked(callback, manager, SEE, "desk-pick")
    if programme_session is None:
        return
    session, i18n = manager.middleware_data["session"], i18n_of(manager)
    person = await bookable(callback, session, i18n, member, programme_session, value)
    if person is None:
        return
    await manager.done(show_mode=ShowMode.NO_UPDATE)  # the screen comes in its place
    now, tz = bot_now(manager), programme_tz(manager)
    await book_for(callback, session, i18n, member, programme_session, person, now, tz)


async def _typed_whom(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    """A first name or a reference: the people it matches whom this staff member may book."""
    member, programme_session = await _checked(message, manager, SEE, "desk-typed")
    if programme_session is None:
        return
    found = await organiser.search_for(manager.middleware_data["session"], member, text)
    if not found:
        await again(message, manager, i18n_of(manager).get("desk-book-none"))
        return
    manager.dialog_data["found"] = [person.id for person in found]
    await manager.switch_to(SessionEdit.whom, show_mode=ShowMode.SEND)


# --- windows ------------------------------------------------------------------------------


def _back_button(name: str) -> Button:
    return Button(I18nText("button-back"), id=f"back_{name}", on_click=_back)


def _typed_window(state: State, on_text, getter, *buttons: Any) -> Window:
    name = state.state.rsplit(":", 1)[-1]
    return Window(
        Format("{text}"),
        *buttons,
        _back_button(name),
        TextInput(f"{name}_text", on_success=on_text, filter=ANSWER),
        MessageInput(not_an_answer("desk-type-text")),
        state=state,
        getter=getter,
    )


def organiser_dialog() -> Dialog:
    step = SessionEdit
    return Dialog(
        *(
            _typed_window(state, _typed_change, _question_getter)
            for state in SESSION_CHANGES.values()
        ),
        Window(
            Format("{text}"),
            Button(I18nText("desk-button-confirm"), id="confirm", on_click=_confirm),
            _back_button("confirm"),
            # Another value may be typed instead, as long as it is not confirmed.
            TextInput("confirm_text", on_success=_typed_change, filter=ANSWER),
            MessageInput(not_an_answer("desk-type-text")),
            state=step.confirm,
            getter=_confirm_getter,
        ),
        _typed_window(
            step.whom,
            _typed_whom,
            _whom_getter,
            Group(
                Select(
                    Format("{item[1]}"),
                    id="people",
                    item_id_getter=lambda item: item[0],
                    items="people",
                    on_click=_picked,
                ),
                width=1,
            ),
        ),
    )
