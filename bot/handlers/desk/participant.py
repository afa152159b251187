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
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.base import as_utc
from bot.db.models import Participant, Staff, Ticket, TicketTopic, User
from bot.delivery.outbox import Header, IfFailed, enqueue, enqueue_copy
from bot.flows.common.keyboards import keyboard, main_menu
from bot.flows.common.widgets import close_dialog
from bot.handlers.common.kinds import RELAYED
from bot.handlers.common.screens import registered_or_register
from bot.handlers.desk.callbacks import EscalationAction
from bot.handlers.desk.common import (
    Relay,
    button,
    post_in_topic,
)
from bot.i18n import DEFAULT_LOCALE
from bot.services.desk import keys, tickets
from bot.services.participants import people as participants

log = logging.getLogger(__name__)


def _due(i18n: I18nContext, ticket: Ticket, tz: ZoneInfo) -> str:
    texts = tickets.due_text(as_utc(ticket.due_at), tz)
    return texts.get(i18n.locale, texts[DEFAULT_LOCALE])


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
    await close_command(callback.message, i18n, session, user, bot, current_time, desk_chat_id)
