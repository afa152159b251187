"""A participant and online sessions: `/sessions`, and the buttons under invitations,
reminders, promotions and the "how was it?" question."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.base import as_utc
from bot.db.models import BookingStatus, Participant, ProgrammeSession, SessionStatus, User
from bot.flows.common.keyboards import MenuAction, keyboard, main_menu
from bot.handlers.common.presses import ANSWER_FIRST
from bot.handlers.common.screens import ParticipantButton, registered_or_register
from bot.handlers.sessions.callbacks import SessionAction
from bot.services.participants import people as participants
from bot.services.sessions import after_session, agenda, listings, reminders, seating
from bot.services.sessions.bookings import BookingRefused
from bot.services.sessions.reminders import when_text

DESCRIPTION_MAX = 600


class Feedback(StatesGroup):
    comment = State()


def _button(text: str, action: str, session_id: int, extra: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text,
        callback_data=SessionAction(action=action, session_id=session_id, extra=extra).pack(),
    )


def _title(programme_session: ProgrammeSession, locale: str) -> str:
    return (programme_session.title_nl if locale == "nl" else None) or programme_session.title_fr


def _when(programme_session: ProgrammeSession, tz: ZoneInfo, locale: str) -> str:
    return when_text(as_utc(programme_session.starts_at), tz)[locale]


# --- the list and the card ----------------------------------------------------------------


async def list_sessions(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    tz: ZoneInfo,
    current_time: Now,
    dialog_manager: DialogManager,
) -> None:
    """Upcoming sessions open to the participant (or booked by them), soonest first."""
    participant = await registered_or_register(
        message, i18n, "sessions-register-first", session, user, dialog_manager
    )
    if participant is None:
        return
    offers = await agenda.upcoming_for(session, participant, current_time())
    if not offers:
        await message.answer(i18n.get("sessions-none"), reply_markup=main_menu(i18n))
        return
    builder = InlineKeyboardBuilder()
    for offer in offers:
        text = i18n.get(
            "sessions-item",
            mark=_mark(offer),
            when=_when(offer.session, tz, i18n.locale),
            title=_title(offer.session, i18n.locale),
        )
        builder.row(_button(text, "open", offer.session.id))
    await message.answer(
        i18n.get("sessions-title", count=len(offers)), reply_markup=builder.as_markup()
    )


def _mark(offer: agenda.Offer) -> str:
    if offer.booking is None:
        return "📅"
    return "✅" if offer.booking.status == BookingStatus.CONFIRMED else "⏳"


async def menu_sessions(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    tz: ZoneInfo,
    current_time: Now,
    dialog_manager: DialogManager,
) -> None:
    await list_sessions(callback.message, i18n, session, user, tz, current_time, dialog_manager)


def _card(offer: agenda.Offer, i18n: I18nContext, tz: ZoneInfo) -> str:
    programme_session = offer.session
    locale = i18n.locale
    description = (
        programme_session.description_nl if locale == "nl" else None
    ) or programme_session.description_fr
    if offer.booking is not None and offer.booking.status == BookingStatus.CONFIRMED:
        seats = i18n.get("session-yours-confirmed")
    elif offer.booking is not None:
        seats = i18n.get("session-yours-waiting", position=offer.position or 1)
    elif offer.seats_left:
        seats = i18n.get("session-seats-left", seats=offer.seats_left)
    else:
        seats = i18n.get("session-full")
    parts = [
        i18n.get(
            "session-card",
            kind=i18n.get(f"session-kind-{programme_session.kind}"),
            title=_title(programme_session, locale),
            when=_when(programme_session, tz, locale),
            minutes=programme_session.duration_min,
        ),
        _shorten(description or ""),
        seats,
    ]
    return "\n\n".join(part for part in parts if part)


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"


def _card_buttons(offer: agenda.Offer, i18n: I18nContext) -> InlineKeyboardMarkup:
    session_id = offer.session.id
    if offer.booking is None:
        first = _button(i18n.get("session-book"), "book", session_id)
    else:
        first = _button(i18n.get("session-cancel-mine"), "cancel", session_id)
    back = InlineKeyboardButton(
        text=i18n.get("sessions-back"), callback_data=MenuAction(action="sessions").pack()
    )
    return keyboard([first], [back])


class SessionButton(ParticipantButton):
    """Behind every session button: a registered participant (else an invitation to
    register) and a session that exists; handlers get `participant`, `programme_session`
    and `now` (the bot's clock)."""

    register_first = "sessions-register-first"

    async def check(self, callback: CallbackQuery, data: dict[str, Any]) -> bool:
        action: SessionAction = data["callback_data"]
        programme_session = await data["session"].get(ProgrammeSession, action.session_id)
        if programme_session is None or programme_session.status == SessionStatus.DRAFT:
            await callback.message.answer(data["i18n"].get("session-refused-closed"))
            return False
        data["programme_session"] = programme_session
        data["now"] = data["current_time"]()
        return True


async def _refused(callback: CallbackQuery, i18n: I18nContext, reason: str, hours: int) -> None:
    await callback.message.answer(i18n.get(f"session-refused-{reason}", hours=hours))


def _gone(programme_session: ProgrammeSession, now: datetime) -> str | None:
    """Why nothing can be done with a session any more, or None."""
    if programme_session.status == SessionStatus.CANCELLED:
        return "cancelled"
    if as_utc(programme_session.starts_at) <= now:
        return "past"
    return None


async def _to_come(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
) -> agenda.Offer | None:
    """The participant's offer for a session still to come; else the reason nothing can be
    done with it is said, and None."""
    gone = _gone(programme_session, now)
    if gone:
        await _refused(callback, i18n, gone, programme_session.cutoff_hours)
        return None
    return await agenda.offer(session, programme_session, participant)


async def _still_held(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
    *,
    seat_only: bool = False,
) -> agenda.Offer | None:
    """The participant's seat (or waitlist place) in a session still to come; else the
    reason it is not there is said, and None."""
    offer = await _to_come(callback, i18n, session, participant, programme_session, now)
    if offer is None:
        return None
    if offer.booking is None or (seat_only and offer.booking.status != BookingStatus.CONFIRMED):
        await callback.message.answer(i18n.get("session-no-seat"))
        return None
    return offer


async def open_card(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    tz: ZoneInfo,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
) -> None:
    offer = await _to_come(callback, i18n, session, participant, programme_session, now)
    if offer is None:
        return
    await callback.message.answer(_card(offer, i18n, tz), reply_markup=_card_buttons(offer, i18n))


# --- booking and giving back --------------------------------------------------------------


async def book(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    tz: ZoneInfo,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
) -> None:
    try:
        outcome = await seating.take_seat(session, programme_session, participant.id, now, tz)
    except BookingRefused as refusal:
        await _refused(callback, i18n, refusal.reason, programme_session.cutoff_hours)
        return
    title = _title(programme_session, i18n.locale)
    confirmed = outcome.booking.status == BookingStatus.CONFIRMED
    if outcome.already:
        key = "session-already-confirmed" if confirmed else "session-already-waiting"
    else:
        key = "session-booked" if confirmed else "session-waitlisted"
    lines = [
        i18n.get(
            key,
            title=title,
            when=_when(programme_session, tz, i18n.locale),
            position=outcome.position or 0,
            hours=programme_session.cutoff_hours,
            plan=reminders.plan(programme_session.starts_at, now),
        )
    ]
    if not outcome.already:
        for other in await agenda.overlapping(session, programme_session, participant.id):
            lines.append(
                i18n.get(
                    "session-overlap",
                    title=_title(other, i18n.locale),
                    when=_when(other, tz, i18n.locale),
                )
            )
    cancel = _button(i18n.get("session-cancel-mine"), "cancel", programme_session.id)
    await callback.message.answer("\n\n".join(lines), reply_markup=keyboard([cancel]))


async def ask_cancel(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    tz: ZoneInfo,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
) -> None:
    """One more tap before a seat is given back: it cannot always be had again."""
    offer = await _still_held(callback, i18n, session, participant, programme_session, now)
    if offer is None:
        return
    choice = [
        _button(i18n.get("session-cancel-yes"), "sure", programme_session.id),
        _button(i18n.get("session-cancel-keep"), "keep", programme_session.id),
    ]
    waiting = offer.booking.status == BookingStatus.WAITLISTED
    others = 0
    if not waiting:
        others = len(
            await listings.booked_people(session, programme_session.id, BookingStatus.WAITLISTED)
        )
    await callback.message.answer(
        i18n.get(
            "session-cancel-ask",
            title=_title(programme_session, i18n.locale),
            mine="waiting" if waiting else "seat",
            others=others,
        ),
        reply_markup=keyboard(choice),
    )


async def _give_back(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    tz: ZoneInfo,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
    done_key: str,
) -> None:
    if not await _still_held(callback, i18n, session, participant, programme_session, now):
        return
    try:
        promoted = await seating.give_back(session, programme_session, participant.id, now, tz)
    except BookingRefused as refusal:
        await _refused(callback, i18n, refusal.reason, programme_session.cutoff_hours)
        return
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(
        i18n.get(
            done_key,
            title=_title(programme_session, i18n.locale),
            next=int(promoted is not None),
        ),
        reply_markup=main_menu(i18n),
    )


async def cancel_sure(callback: CallbackQuery, **data: Any) -> None:
    await _give_back(callback, done_key="session-cancel-done", **_pick(data))


async def decline(callback: CallbackQuery, **data: Any) -> None:
    """The seat a promotion gave them: "I can't come" gives it to the next person."""
    await _give_back(callback, done_key="session-declined", **_pick(data))


def _pick(data: dict[str, Any]) -> dict[str, Any]:
    names = ("i18n", "session", "tz", "participant", "programme_session", "now")
    return {name: data[name] for name in names}


async def keep(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n.get("session-cancel-kept"))


async def coming(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    participant: Participant,
    programme_session: ProgrammeSession,
    now: datetime,
) -> None:
    """ "I'll be there" under a reminder."""
    held = await _still_held(
        callback, i18n, session, participant, programme_session, now, seat_only=True
    )
    if held is not None:
        await callback.message.answer(i18n.get("session-here-done"))


# --- "how was it?" ------------------------------------------------------------------------


async def rated(
    callback: CallbackQuery,
    callback_data: SessionAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    participant: Participant,
    programme_session: ProgrammeSession,
) -> None:
    rating = int(callback_data.extra) if callback_data.extra.isdigit() else 0
    booking = await after_session.rate(session, programme_session.id, participant.id, rating)
    if booking is None:
        await callback.message.answer(i18n.get("session-rate-nothing"))
        return
    await callback.message.edit_reply_markup(reply_markup=None)
    await state.set_state(Feedback.comment)
    await state.update_data(feedback_session=programme_session.id)
    skip = _button(i18n.get("session-comment-skip"), "nocomment", programme_session.id)
    await callback.message.answer(
        i18n.get("session-rated", rating=rating),
        reply_markup=keyboard([skip]),
    )


async def no_comment(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await state.clear()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n.get("session-comment-thanks"), reply_markup=main_menu(i18n))


async def comment(
    message: Message, i18n: I18nContext, session: AsyncSession, user: User, state: FSMContext
) -> None:
    if not message.text:
        await message.answer(i18n.get("session-comment-text-only"))
        return
    if len(message.text) > after_session.COMMENT_MAX:
        await message.answer(i18n.get("session-comment-too-long", max=after_session.COMMENT_MAX))
        return
    session_id = (await state.get_data()).get("feedback_session")
    await state.clear()
    participant = await participants.registered(session, user)
    if participant is not None and session_id is not None:
        await after_session.add_comment(session, session_id, participant.id, message.text)
    await message.answer(i18n.get("session-comment-thanks"), reply_markup=main_menu(i18n))


def build_router() -> Router:
    router = Router(name="sessions")
    router.message.register(list_sessions, Command("sessions"))
    router.callback_query.register(
        menu_sessions, MenuAction.filter(F.action == "sessions"), flags=ANSWER_FIRST
    )
    router.message.register(comment, StateFilter(Feedback.comment), ~F.text.startswith("/"))
    buttons = Router(name="session-buttons")
    buttons.callback_query.middleware(SessionButton())
    for handler, action in (
        (open_card, "open"),
        (book, "book"),
        (ask_cancel, "cancel"),
        (cancel_sure, "sure"),
        (keep, "keep"),
        (decline, "decline"),
        (coming, "here"),
        (rated, "rate"),
        (no_comment, "nocomment"),
    ):
        buttons.callback_query.register(
            handler, SessionAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    router.include_router(buttons)
    return router
