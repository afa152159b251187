"""A participant reaches their counsellor (DESIGN.md §4 "Escalation"): "Talk to my
counsellor" opens a ticket, then messages go both ways while it is open, and the bot does not
answer them itself.

Desk mode (`desk_chat_id` set): one forum topic per participant in the staff supergroup;
every participant message is copied into it and every staff message there is copied back
(the pattern of MasterGroosha's telegram-feedback-bot-topics). Without a desk, the counsellor
gets each message in private with a "Reply" button. Relayed messages are copy rows of the
outbox, queued in the update's transaction: an outage or a crash loses none, and whoever
wrote is told when one cannot be delivered. Logs carry ids, never names or texts.

This module holds the helpers and the participant's side; `escalation_staff` the counsellor's
(closing, answering in the desk or in private). `build_router` registers both.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.enums import ContentType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import as_utc
from bot.db.models import Participant, Staff, Ticket, TicketTopic, User
from bot.delivery.failures import thread_gone
from bot.delivery.outbox import Header, IfFailed, enqueue, enqueue_copy
from bot.flows.widgets import close_dialog
from bot.handlers.screens import registered_or_register
from bot.handlers.staff import StaffOnly
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore
from bot.keyboards.common import MenuAction, keyboard, main_menu
from bot.keyboards.escalation import EscalationAction
from bot.scheduler import Now
from bot.services import keys, participants, reference, tickets

log = logging.getLogger(__name__)


# What a person may send and Telegram can copy (service messages cannot be copied).
RELAYED = frozenset(
    {
        ContentType.TEXT,
        ContentType.PHOTO,
        ContentType.DOCUMENT,
        ContentType.VOICE,
        ContentType.AUDIO,
        ContentType.VIDEO,
        ContentType.VIDEO_NOTE,
        ContentType.ANIMATION,
        ContentType.STICKER,
        ContentType.LOCATION,
        ContentType.CONTACT,
    }
)


class Replying(StatesGroup):
    """A staff member pressed "Reply": their next message goes to the participant."""

    message = State()


def button(text: str, action: str, ticket_id: int = 0, extra: str = "") -> InlineKeyboardButton:
    data = EscalationAction(action=action, ticket_id=ticket_id, extra=extra).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def staff_keyboard(core: HtmlFluentCore, locale: str, ticket_id: int) -> InlineKeyboardMarkup:
    """The buttons of `tickets.staff_buttons`, for a message sent now rather than queued."""
    return keyboard(
        *[
            [
                InlineKeyboardButton(text=core.get(b.key, locale), callback_data=b.callback_data)
                for b in row
            ]
            for row in tickets.staff_buttons(ticket_id)
        ]
    )


def _due(i18n: I18nContext, ticket: Ticket, tz: ZoneInfo) -> str:
    texts = tickets.due_text(as_utc(ticket.due_at), tz)
    return texts.get(i18n.locale, texts[DEFAULT_LOCALE])


def _not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def _in_desk(message: Message, desk_chat_id: int | None = None) -> bool:
    return desk_chat_id is not None and message.chat.id == desk_chat_id


async def _in_ticket(
    message: Message, session: AsyncSession, user: User | None = None
) -> dict[str, Any] | bool:
    """A registered participant with an active ticket, handed on as `participant`, `ticket`."""
    participant = await participants.registered(session, user) if user is not None else None
    ticket = await tickets.active_ticket(session, participant.id) if participant else None
    return {"participant": participant, "ticket": ticket} if ticket else False


# --- the participant asks -----------------------------------------------------------------


async def talk(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    dialog_manager: DialogManager,
    tz: ZoneInfo,
) -> None:
    """/counsellor, the menu's "Talk to my counsellor", and every such button elsewhere."""
    participant = await registered_or_register(
        message, i18n, "esc-register-first", session, user, dialog_manager
    )
    if participant is None:
        return
    ticket = await tickets.active_ticket(session, participant.id)
    if ticket is not None:
        await _write_now(message, i18n, session, ticket, tz, created=False)
        return
    rows = [
        [button(i18n.get(f"esc-topic-{topic}"), "topic", extra=topic)] for topic in TicketTopic.ALL
    ]
    rows.append([button(i18n.get("esc-back"), "back")])
    await message.answer(i18n.get("esc-topic-ask"), reply_markup=keyboard(*rows))


async def talk_button(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    dialog_manager: DialogManager,
    tz: ZoneInfo,
) -> None:
    await callback.answer()
    await talk(callback.message, i18n, session, user, dialog_manager, tz)


async def chose_topic(
    callback: CallbackQuery,
    callback_data: EscalationAction,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    dialog_manager: DialogManager,
    bot: Bot,
    current_time: Now,
    tz: ZoneInfo,
    desk_chat_id: int | None = None,
) -> None:
    participant = await participants.registered(session, user)
    if participant is None or callback_data.extra not in TicketTopic.ALL:
        await talk_button(callback, i18n, session, user, dialog_manager, tz)
        return
    await callback.answer()
    # Whatever flow was under way gives way: the next messages are for the counsellor.
    await close_dialog(dialog_manager)
    await state.clear()
    now = current_time()
    opened = await tickets.open_ticket(session, participant, callback_data.extra, now, tz)
    with contextlib.suppress(TelegramBadRequest):  # a second press: the buttons are gone
        await callback.message.edit_reply_markup(reply_markup=None)
    if opened.created and desk_chat_id is not None:
        try:
            await post_in_topic(
                bot, session, i18n.core, desk_chat_id, participant, opened.ticket, now
            )
        except TelegramAPIError as error:  # the next message tries the desk again
            log.warning("ticket %s: desk unreachable: %s", opened.ticket.id, type(error).__name__)
    await _write_now(callback.message, i18n, session, opened.ticket, tz, created=opened.created)


async def _write_now(
    target: Message,
    i18n: I18nContext,
    session: AsyncSession,
    ticket: Ticket,
    tz: ZoneInfo,
    *,
    created: bool,
) -> None:
    """Who answers and by when, then: write now. "Your counsellor" only for the
    participant's own; someone else who answers for them is named as of the team."""
    counsellor = await tickets.responsible(session, ticket)
    participant = await session.get(Participant, ticket.participant_id)
    if not created or ticket.due_at is None:
        said = i18n.get("esc-ongoing", name=counsellor.name if counsellor else i18n.get("esc-team"))
    elif counsellor is not None and counsellor.id == participant.counsellor_id:
        said = i18n.get("esc-opened", name=counsellor.name, due=_due(i18n, ticket, tz))
    elif counsellor is not None:
        said = i18n.get("esc-opened-other", name=counsellor.name, due=_due(i18n, ticket, tz))
    else:
        said = i18n.get("esc-opened-team", due=_due(i18n, ticket, tz))
    await target.answer(
        f"{said}\n\n{i18n.get('esc-write-now')}", reply_markup=_participant_keyboard(i18n, ticket)
    )


def _participant_keyboard(i18n: I18nContext, ticket: Ticket) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("esc-close"), "close", ticket.id)],
        [button(i18n.get("esc-back"), "back")],
    )


async def back(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.answer()
    await callback.message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


# --- the participant writes ---------------------------------------------------------------


async def relay_to_staff(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    bot: Bot,
    participant: Participant,
    ticket: Ticket,
    current_time: Now,
    tz: ZoneInfo,
    desk_chat_id: int | None = None,
) -> None:
    """Whatever the participant sends while a ticket is open goes to the staff side; the bot
    only says it was passed on, once per burst."""
    if message.content_type not in RELAYED:
        await message.answer(i18n.get("esc-cannot-relay"))
        return
    now = current_time()
    counsellor = await tickets.responsible(session, ticket)
    try:
        if desk_chat_id is not None:
            await post_in_topic(
                bot,
                session,
                i18n.core,
                desk_chat_id,
                participant,
                ticket,
                now,
                copy=Relay(message, "participant", if_failed=_not_relayed(message, i18n)),
            )
        elif counsellor is not None:
            await _copy_to_counsellor(session, counsellor, participant, ticket, message, i18n)
        else:
            await message.answer(i18n.get("esc-nobody"))
            return
    except TelegramAPIError as error:
        log.warning("ticket %s: message not relayed: %s", ticket.id, type(error).__name__)
        await message.answer(i18n.get("esc-not-relayed"))
        return
    if not tickets.participant_wrote(ticket, participant, now):
        return
    name = counsellor.name if counsellor else i18n.get("esc-team")
    if ticket.first_answer_at is None and ticket.due_at and as_utc(ticket.due_at) > now:
        said = i18n.get("esc-relayed", name=name, due=_due(i18n, ticket, tz))
    else:
        said = i18n.get("esc-relayed-again", name=name)
    await message.answer(
        said, reply_markup=keyboard([button(i18n.get("esc-close"), "close", ticket.id)])
    )


def _not_relayed(message: Message, i18n: I18nContext) -> IfFailed:
    return IfFailed(chat_id=message.chat.id, key="esc-not-relayed", locale=i18n.locale)


async def _copy_to_counsellor(
    session: AsyncSession,
    counsellor: Staff,
    participant: Participant,
    ticket: Ticket,
    message: Message,
    i18n: I18nContext,
) -> None:
    """Into the counsellor's private chat, under who it is from, with "Reply" and "Close"."""
    await enqueue_copy(
        session,
        chat_id=counsellor.telegram_id,
        dedupe_key=keys.relayed(
            participant.id, "participant", message.message_id, f"staff{counsellor.id}"
        ),
        from_chat_id=message.chat.id,
        message_id=message.message_id,
        header=Header(
            "esc-incoming",
            {
                "label": tickets.desk_label(participant),
                "topic": {"key": f"esc-topic-{ticket.topic}"},
            },
        ),
        buttons=tickets.staff_buttons(ticket.id),
        if_failed=_not_relayed(message, i18n),
    )


@dataclass(frozen=True)
class Relay:
    """A message to copy into a desk topic: who wrote it (`source`, see `keys.relayed`),
    the line before it, and whom to tell when it cannot be copied."""

    message: Message
    source: str
    header: Header | None = None
    locale: str | None = None
    if_failed: IfFailed | None = None


async def post_in_topic(
    bot: Bot,
    session: AsyncSession,
    core: HtmlFluentCore,
    desk: int,
    participant: Participant,
    ticket: Ticket | None,
    now: datetime,
    *,
    copy: Relay | None = None,
) -> None:
    """Into the participant's desk topic: `copy` (queued in the outbox), else the profile
    card (a new request). The topic is opened with the card on first contact, and opened
    again, once, when it was deleted since (a copy finds that out when it is sent: see
    `DeskTopics`)."""
    for retry in (False, True):
        fresh = participant.desk_thread_id is None
        try:
            if fresh:
                topic = await bot.create_forum_topic(desk, tickets.desk_label(participant))
                participant.desk_thread_id = topic.message_thread_id
            thread = participant.desk_thread_id
            if (fresh or copy is None) and ticket is not None:
                await _send_card(bot, session, core, desk, thread, participant, ticket, now)
            break
        except TelegramBadRequest as error:
            if retry or fresh or not thread_gone(error.message):
                raise
            log.info("participant %s: desk topic gone, opening a new one", participant.id)
            participant.desk_thread_id = None
    if copy is not None:
        await enqueue_copy(
            session,
            chat_id=desk,
            dedupe_key=keys.relayed(participant.id, copy.source, copy.message.message_id, "desk"),
            from_chat_id=copy.message.chat.id,
            message_id=copy.message.message_id,
            thread_id=participant.desk_thread_id,
            header=copy.header,
            locale=copy.locale,
            if_failed=copy.if_failed,
        )


class DeskTopics:
    """The outbox sender's `thread_gone`: a message for a participant's desk topic that staff
    deleted since goes to a topic opened again for them, with its card."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        core: HtmlFluentCore,
        desk: int,
        clock: Now,
    ) -> None:
        self._bot, self._sessionmaker, self._core = bot, sessionmaker, core
        self._desk, self._clock = desk, clock
        self._moved: dict[int, int] = {}  # a deleted topic -> the one opened in its place

    async def __call__(self, chat_id: int, thread: int) -> int | None:
        if chat_id != self._desk:
            return None
        if thread in self._moved:
            return self._moved[thread]
        async with self._sessionmaker() as session, session.begin():
            participant = await tickets.participant_in_thread(session, thread)
            if participant is None:
                return None
            log.info("participant %s: desk topic gone, opening a new one", participant.id)
            ticket = await tickets.active_ticket(session, participant.id)
            participant.desk_thread_id = None
            await post_in_topic(
                self._bot, session, self._core, self._desk, participant, ticket, self._clock()
            )
            moved = participant.desk_thread_id
        self._moved[thread] = moved
        return moved


async def _send_card(
    bot: Bot,
    session: AsyncSession,
    core: HtmlFluentCore,
    desk: int,
    thread: int,
    participant: Participant,
    ticket: Ticket,
    now: datetime,
) -> None:
    """The profile card that opens a request in the topic, in the language of whoever
    answers it: what helps answer, no contact details and nothing sensitive."""
    facts = await tickets.card_facts(session, participant, ticket, now)
    counsellor = await tickets.responsible(session, ticket)
    locale = (
        await tickets.locale_of(session, counsellor.telegram_id) if counsellor else DEFAULT_LOCALE
    )
    found = [reference.find_occupation(code) for code in facts.occupations]
    text = core.get(
        "esc-desk-card",
        locale,
        label=facts.label,
        territory=core.get(f"territory-{facts.territory}", locale) if facts.territory else "—",
        occupations=", ".join(o.label(locale) for o in found if o) or "—",
        dutch=core.get(f"dutch-{facts.dutch_level}", locale) if facts.dutch_level else "—",
        counsellor=facts.counsellor or "—",
        topic=core.get(f"esc-topic-{facts.topic}", locale),
        bookings=facts.bookings,
    )
    close = button(core.get("esc-staff-close", locale), "sclose", ticket.id)
    await bot.send_message(desk, text, message_thread_id=thread, reply_markup=keyboard([close]))


# --- closing ------------------------------------------------------------------------------


async def close_command(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    current_time: Now,
    desk_chat_id: int | None = None,
) -> None:
    """The participant's "my question is answered"."""
    participant = await participants.registered(session, user)
    ticket = await tickets.active_ticket(session, participant.id) if participant else None
    if ticket is None or not await tickets.close_ticket(session, ticket, current_time()):
        await message.answer(i18n.get("esc-nothing-open"), reply_markup=main_menu(i18n))
        return
    await message.answer(i18n.get("esc-closed"), reply_markup=main_menu(i18n))
    counsellor = await tickets.responsible(session, ticket)
    if desk_chat_id is not None and participant.desk_thread_id is not None:
        locale = await tickets.locale_of(session, counsellor.telegram_id) if counsellor else None
        try:
            await bot.send_message(
                desk_chat_id,
                i18n.core.get("esc-desk-closed", locale or DEFAULT_LOCALE),
                message_thread_id=participant.desk_thread_id,
            )
        except TelegramAPIError as error:
            log.warning("ticket %s: desk not told of closing: %s", ticket.id, type(error).__name__)
    elif counsellor is not None:
        await enqueue(
            session,
            chat_id=counsellor.telegram_id,
            dedupe_key=keys.ticket(ticket.id, "closed"),
            key="esc-staff-told-closed",
            variables={"label": tickets.desk_label(participant)},
        )


async def close_button(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    current_time: Now,
    desk_chat_id: int | None = None,
) -> None:
    await callback.answer()
    await close_command(callback.message, i18n, session, user, bot, current_time, desk_chat_id)


def build_router() -> Router:
    """Included after the dialogs (a step's typed answer is theirs) and before the FAQ and
    the fallback (which must not answer what belongs to a counsellor). One router for both
    sides: this module's participant and `escalation_staff`'s counsellor."""
    from bot.handlers.escalation_staff import (  # it relays with this module's helpers
        desk_close,
        from_desk,
        reply_button,
        reply_cancel,
        staff_close,
        staff_reply,
        write_button,
    )

    router = Router(name="escalation")

    desk = Router(name="escalation-desk")
    desk.message.filter(_in_desk)
    desk.message.register(desk_close, Command("close"))
    desk.message.register(from_desk)

    staff_side = Router(name="escalation-staff")
    staff_side.message.middleware(StaffOnly())
    staff_side.callback_query.middleware(StaffOnly())
    staff_side.callback_query.register(reply_button, EscalationAction.filter(F.action == "reply"))
    staff_side.callback_query.register(reply_cancel, EscalationAction.filter(F.action == "noreply"))
    staff_side.callback_query.register(staff_close, EscalationAction.filter(F.action == "sclose"))
    staff_side.callback_query.register(write_button, EscalationAction.filter(F.action == "write"))
    staff_side.message.register(staff_reply, StateFilter(Replying.message), _not_command)

    mine = Router(name="escalation-participant")
    mine.message.filter(F.chat.type == "private")
    mine.message.register(talk, Command("counsellor"))
    mine.message.register(close_command, Command("close"))
    mine.callback_query.register(talk_button, MenuAction.filter(F.action == "talk"))
    mine.callback_query.register(talk_button, EscalationAction.filter(F.action == "start"))
    mine.callback_query.register(chose_topic, EscalationAction.filter(F.action == "topic"))
    mine.callback_query.register(close_button, EscalationAction.filter(F.action == "close"))
    mine.callback_query.register(back, EscalationAction.filter(F.action == "back"))
    mine.message.register(relay_to_staff, _not_command, _in_ticket)

    router.include_routers(desk, staff_side, mine)
    return router
