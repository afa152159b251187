"""A participant reaches their counsellor (DESIGN.md §4 "Escalation"): "Talk to my
counsellor" opens a ticket, then messages go both ways while it is open, and the bot does not
answer them itself.

Desk mode (`desk_chat_id` set): one forum topic per participant in the staff supergroup;
every participant message is copied into it and every staff message there is copied back
(the pattern of MasterGroosha's telegram-feedback-bot-topics). Without a desk, the counsellor
gets each message in private with a "Reply" button. Logs carry ids, never names or texts.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.enums import ContentType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import Participant, Staff, Ticket, TicketTopic, User
from bot.delivery.outbox import OutButton, enqueue
from bot.flows.registration import start_registration
from bot.handlers.fallback import answer_stale_button
from bot.handlers.staff import StaffOnly
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore
from bot.keyboards.common import MenuAction, main_menu
from bot.keyboards.escalation import EscalationAction, talk_to_counsellor
from bot.services import participants, reference, staff, tickets

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

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


def _button(text: str, action: str, ticket_id: int = 0, extra: str = "") -> InlineKeyboardButton:
    data = EscalationAction(action=action, ticket_id=ticket_id, extra=extra).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def _keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=list(rows))


def _staff_keyboard(core: HtmlFluentCore, locale: str, ticket_id: int) -> InlineKeyboardMarkup:
    """The buttons of `tickets.staff_buttons`, for a message sent now rather than queued."""
    return _keyboard(
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


async def _registered(session: AsyncSession, user: User) -> Participant | None:
    participant = await participants.participant_of(session, user)
    if participant is None or participant.consent_at is None:
        return None
    return participant


def _not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def _in_desk(message: Message, desk_chat_id: int | None = None) -> bool:
    return desk_chat_id is not None and message.chat.id == desk_chat_id


async def _in_ticket(
    message: Message, session: AsyncSession, user: User | None = None
) -> dict[str, Any] | bool:
    """A registered participant with an active ticket, handed on as `participant`, `ticket`."""
    participant = await _registered(session, user) if user is not None else None
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
    participant = await _registered(session, user)
    if participant is None:
        await message.answer(i18n.get("esc-register-first"))
        await start_registration(dialog_manager)
        return
    ticket = await tickets.active_ticket(session, participant.id)
    if ticket is not None:
        await _write_now(message, i18n, session, ticket, tz, created=False)
        return
    rows = [
        [_button(i18n.get(f"esc-topic-{topic}"), "topic", extra=topic)] for topic in TicketTopic.ALL
    ]
    rows.append([_button(i18n.get("esc-back"), "back")])
    await message.answer(i18n.get("esc-topic-ask"), reply_markup=_keyboard(*rows))


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
    current_time: Clock,
    tz: ZoneInfo,
    desk_chat_id: int | None = None,
) -> None:
    participant = await _registered(session, user)
    if participant is None or callback_data.extra not in TicketTopic.ALL:
        await talk_button(callback, i18n, session, user, dialog_manager, tz)
        return
    await callback.answer()
    # Whatever flow was under way gives way: the next messages are for the counsellor.
    await dialog_manager.reset_stack()
    await state.clear()
    now = current_time()
    opened = await tickets.open_ticket(session, participant, callback_data.extra, now, tz)
    with contextlib.suppress(TelegramBadRequest):  # a second press: the buttons are gone
        await callback.message.edit_reply_markup(reply_markup=None)
    if opened.created and desk_chat_id is not None:
        try:
            await _post_in_topic(
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
    """Who answers and by when, then: write now."""
    counsellor = await tickets.responsible(session, ticket)
    if not created or ticket.due_at is None:
        said = i18n.get("esc-ongoing", name=counsellor.name if counsellor else i18n.get("esc-team"))
    elif counsellor is not None:
        said = i18n.get("esc-opened", name=counsellor.name, due=_due(i18n, ticket, tz))
    else:
        said = i18n.get("esc-opened-team", due=_due(i18n, ticket, tz))
    await target.answer(
        f"{said}\n\n{i18n.get('esc-write-now')}", reply_markup=_participant_keyboard(i18n, ticket)
    )


def _participant_keyboard(i18n: I18nContext, ticket: Ticket) -> InlineKeyboardMarkup:
    return _keyboard(
        [_button(i18n.get("esc-close"), "close", ticket.id)],
        [_button(i18n.get("esc-back"), "back")],
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
    current_time: Clock,
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
            await _post_in_topic(
                bot, session, i18n.core, desk_chat_id, participant, ticket, now, copy=message
            )
        elif counsellor is not None:
            await _copy_to_counsellor(
                bot, session, i18n.core, counsellor, participant, ticket, message
            )
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
        said, reply_markup=_keyboard([_button(i18n.get("esc-close"), "close", ticket.id)])
    )


async def _copy_to_counsellor(
    bot: Bot,
    session: AsyncSession,
    core: HtmlFluentCore,
    counsellor: Staff,
    participant: Participant,
    ticket: Ticket,
    message: Message,
) -> None:
    locale = await tickets.locale_of(session, counsellor.telegram_id)
    header = core.get(
        "esc-incoming",
        locale,
        label=tickets.desk_label(participant),
        topic=core.get(f"esc-topic-{ticket.topic}", locale),
    )
    await bot.send_message(counsellor.telegram_id, header)
    await bot.copy_message(
        counsellor.telegram_id,
        message.chat.id,
        message.message_id,
        reply_markup=_staff_keyboard(core, locale, ticket.id),
    )


async def _post_in_topic(
    bot: Bot,
    session: AsyncSession,
    core: HtmlFluentCore,
    desk: int,
    participant: Participant,
    ticket: Ticket,
    now: datetime,
    *,
    copy: Message | None = None,
    header: str | None = None,
) -> None:
    """Into the participant's desk topic: `copy` (after `header`), else the profile card (a
    new request). The topic is opened with the card on first contact, and opened again,
    once, when it was deleted since."""
    for retry in (False, True):
        fresh = participant.desk_thread_id is None
        try:
            if fresh:
                topic = await bot.create_forum_topic(desk, tickets.desk_label(participant))
                participant.desk_thread_id = topic.message_thread_id
            thread = participant.desk_thread_id
            if fresh or copy is None:
                await _send_card(bot, session, core, desk, thread, participant, ticket, now)
            if header is not None:
                await bot.send_message(desk, header, message_thread_id=thread)
            if copy is not None:
                await bot.copy_message(
                    desk, copy.chat.id, copy.message_id, message_thread_id=thread
                )
            return
        except TelegramBadRequest as error:
            if retry or fresh or not _thread_gone(error):
                raise
            log.info("participant %s: desk topic gone, opening a new one", participant.id)
            participant.desk_thread_id = None


def _thread_gone(error: TelegramBadRequest) -> bool:
    reason = error.message.lower()
    return "thread not found" in reason or "topic_deleted" in reason


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
    close = _button(core.get("esc-staff-close", locale), "sclose", ticket.id)
    await bot.send_message(desk, text, message_thread_id=thread, reply_markup=_keyboard([close]))


# --- closing ------------------------------------------------------------------------------


async def close_command(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    current_time: Clock,
    desk_chat_id: int | None = None,
) -> None:
    """The participant's "my question is answered"."""
    participant = await _registered(session, user)
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
            dedupe_key=f"ticket:{ticket.id}:closed",
            key="esc-staff-told-closed",
            variables={"label": tickets.desk_label(participant)},
        )


async def close_button(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    current_time: Clock,
    desk_chat_id: int | None = None,
) -> None:
    await callback.answer()
    await close_command(callback.message, i18n, session, user, bot, current_time, desk_chat_id)


async def _closed_by_staff(
    session: AsyncSession, ticket: Ticket, member: Staff, now: datetime
) -> bool:
    """Closes the ticket for a staff member and tells the participant (who may ask again)."""
    if not await tickets.close_ticket(session, ticket, now):
        return False
    participant = await session.get(Participant, ticket.participant_id)
    chat = await tickets.chat_of(session, participant)
    if chat is not None:
        await enqueue(
            session,
            chat_id=chat,
            dedupe_key=f"ticket:{ticket.id}:closed",
            key="esc-closed-by-staff",
            variables={"name": member.name},
            buttons=[[OutButton(key="menu-talk", callback_data=talk_to_counsellor())]],
        )
    return True


async def staff_close(
    callback: CallbackQuery,
    callback_data: EscalationAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Clock,
) -> None:
    ticket = await session.get(Ticket, callback_data.ticket_id)
    if ticket is None or not await _closed_by_staff(session, ticket, staff_member, current_time()):
        await callback.answer(i18n.get("esc-already-closed"))
        return
    await callback.answer(i18n.get("esc-staff-closed"))


# --- staff answer: in the desk ------------------------------------------------------------


async def _desk_sender(message: Message, session: AsyncSession) -> tuple[Staff, Participant] | None:
    """An active staff member writing in a participant's topic (nobody else is relayed)."""
    sender = message.from_user
    if message.message_thread_id is None or sender is None or sender.is_bot:
        return None
    member = await staff.staff_by_telegram_id(session, sender.id)
    participant = await tickets.participant_in_thread(session, message.message_thread_id)
    if member is None or participant is None:
        return None
    return member, participant


async def from_desk(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    bot: Bot,
    current_time: Clock,
) -> None:
    """Everything said in the desk group stops here; a staff message in a participant's
    topic goes to that participant."""
    if message.content_type not in RELAYED:
        return
    found = await _desk_sender(message, session)
    if found is None:
        return
    member, participant = found
    if not await _answer_participant(
        bot, session, i18n.core, member, participant, message, current_time()
    ):
        await message.reply(i18n.get("esc-not-delivered"))


async def desk_close(
    message: Message, i18n: I18nContext, session: AsyncSession, current_time: Clock
) -> None:
    """/close in a participant's topic."""
    found = await _desk_sender(message, session)
    if found is None:
        return
    member, participant = found
    ticket = await tickets.active_ticket(session, participant.id)
    if ticket is None or not await _closed_by_staff(session, ticket, member, current_time()):
        await message.reply(i18n.get("esc-already-closed"))
        return
    await message.reply(i18n.get("esc-staff-closed"))


async def _answer_participant(
    bot: Bot,
    session: AsyncSession,
    core: HtmlFluentCore,
    member: Staff,
    participant: Participant,
    message: Message,
    now: datetime,
) -> bool:
    """Copies a staff message to the participant under "💬 Your counsellor <name>:" and
    records the answer. False when it cannot reach them (blocked the bot, left Telegram)."""
    chat = await tickets.chat_of(session, participant)
    if chat is None:
        return False
    locale = await tickets.locale_of(session, chat)
    try:
        await bot.send_message(chat, core.get("esc-answer-header", locale, name=member.name))
        await bot.copy_message(chat, message.chat.id, message.message_id)
    except (TelegramForbiddenError, TelegramBadRequest) as error:
        log.info("participant %s: answer not delivered: %s", participant.id, type(error).__name__)
        return False
    await tickets.staff_answered(session, participant, member, now)
    return True


# --- staff answer: in private (no desk, or a deadline message) ----------------------------


async def reply_button(
    callback: CallbackQuery,
    callback_data: EscalationAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    dialog_manager: DialogManager,
) -> None:
    ticket = await session.get(Ticket, callback_data.ticket_id)
    participant = await session.get(Participant, ticket.participant_id) if ticket else None
    if participant is None:
        await answer_stale_button(callback, i18n)
        return
    await callback.answer()
    await dialog_manager.reset_stack()  # a flow left open must not take the answer
    await state.set_state(Replying.message)
    await state.set_data({"ticket_id": ticket.id})
    await callback.message.answer(
        i18n.get("esc-reply-ask", label=tickets.desk_label(participant)),
        reply_markup=_keyboard([_button(i18n.get("esc-reply-cancel"), "noreply", ticket.id)]),
    )


async def reply_cancel(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await callback.answer()
    await state.clear()
    await callback.message.answer(i18n.get("esc-reply-cancelled"))


async def staff_reply(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    bot: Bot,
    state: FSMContext,
    staff_member: Staff,
    current_time: Clock,
    desk_chat_id: int | None = None,
) -> None:
    """The message after "Reply" goes to the participant (and, with a desk, into their topic
    too, so the desk keeps the whole conversation)."""
    if message.content_type not in RELAYED:
        await message.answer(i18n.get("esc-cannot-relay"))
        return
    ticket_id = (await state.get_data()).get("ticket_id")
    await state.clear()
    ticket = await session.get(Ticket, ticket_id) if ticket_id else None
    participant = await session.get(Participant, ticket.participant_id) if ticket else None
    if participant is None:
        await message.answer(i18n.get("esc-gone"))
        return
    now = current_time()
    if not await _answer_participant(
        bot, session, i18n.core, staff_member, participant, message, now
    ):
        await message.answer(i18n.get("esc-not-delivered"))
        return
    if desk_chat_id is not None:
        header = i18n.core.get("esc-desk-private-answer", i18n.locale, name=staff_member.name)
        try:
            await _post_in_topic(
                bot,
                session,
                i18n.core,
                desk_chat_id,
                participant,
                ticket,
                now,
                copy=message,
                header=header,
            )
        except TelegramAPIError as error:
            log.warning(
                "ticket %s: answer not copied to the desk: %s", ticket.id, type(error).__name__
            )
    await message.answer(
        i18n.get("esc-reply-sent", label=tickets.desk_label(participant)),
        reply_markup=_staff_keyboard(i18n.core, i18n.locale, ticket.id),
    )


def build_router() -> Router:
    """Included after the dialogs (a step's typed answer is theirs) and before the FAQ and
    the fallback (which must not answer what belongs to a counsellor)."""
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
