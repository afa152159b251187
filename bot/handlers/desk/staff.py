"""The counsellor's side of escalation (see `escalation`): closing a ticket, and answering in
the desk group's topic or in private after "Reply". The helpers and the router are
`escalation`'s."""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.db.models import Participant, Staff, Ticket
from bot.delivery.outbox import Header, IfFailed, OutButton, enqueue_copy
from bot.handlers.common.fallback import answer_stale_button
from bot.handlers.common.home import Home
from bot.handlers.common.kinds import RELAYED
from bot.handlers.common.screens import out_buttons
from bot.handlers.common.staff_only import refuse
from bot.handlers.desk.callbacks import EscalationAction
from bot.handlers.desk.common import (
    Relay,
    Replying,
    button,
    keyboard,
    post_in_topic,
)
from bot.services.desk import keys, tickets
from bot.services.desk.callbacks import talk_to_counsellor
from bot.services.participants import reach
from bot.services.staff import members as staff
from bot.services.staff import rights

log = logging.getLogger(__name__)

# --- staff close --------------------------------------------------------------------------


async def _closed_by_staff(
    session: AsyncSession, ticket: Ticket, member: Staff, now: datetime
) -> bool:
    """Closes the ticket for a staff member and tells the participant (who may ask again)."""
    if not await tickets.close_ticket(session, ticket, now):
        return False
    participant = await session.get(Participant, ticket.participant_id)
    await tickets.tell_participant(
        session,
        participant,
        dedupe_key=keys.ticket(ticket.id, "closed"),
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
    current_time: Now,
    callback_answer: CallbackAnswer,
) -> None:
    ticket = await session.get(Ticket, callback_data.ticket_id)
    participant = await session.get(Participant, ticket.participant_id) if ticket else None
    if participant is not None and not rights.may_handle_ticket(staff_member, ticket, participant):
        await refuse(callback, i18n, staff_member, "ticket-close", ticket.id, "esc-not-yours")
        return
    closed = ticket is not None and await _closed_by_staff(
        session, ticket, staff_member, current_time()
    )
    callback_answer.text = i18n.get("esc-staff-closed" if closed else "esc-already-closed")


# --- staff answer: in the desk ------------------------------------------------------------


async def _desk_sender(
    message: Message, i18n: I18nContext, session: AsyncSession
) -> tuple[Staff, Participant] | None:
    """An active staff member writing in the topic of a participant whose requests they
    may handle (nobody else is relayed; a colleague of another territory is told)."""
    sender = message.from_user
    if message.message_thread_id is None or sender is None or sender.is_bot:
        return None
    member = await staff.staff_by_telegram_id(session, sender.id)
    participant = await tickets.participant_in_thread(session, message.message_thread_id)
    if member is None or participant is None:
        return None
    if not await _may_answer(session, member, participant):
        rights.refused(member, "desk-answer", participant.id)
        await message.reply(i18n.get("esc-not-yours"))
        return None
    return member, participant


async def _may_answer(session: AsyncSession, member: Staff, participant: Participant) -> bool:
    """Whether `member` may write to `participant`: their request is handed to them, or the
    person is theirs to follow."""
    ticket = await tickets.active_ticket(session, participant.id)
    if ticket is not None:
        return rights.may_handle_ticket(member, ticket, participant)
    return rights.may_act_on_participant(member, participant)


async def from_desk(
    message: Message, i18n: I18nContext, session: AsyncSession, current_time: Now
) -> None:
    """Everything said in the desk group stops here; a staff message in a participant's
    topic goes to that participant."""
    if message.content_type not in RELAYED:
        return
    found = await _desk_sender(message, i18n, session)
    if found is None:
        return
    member, participant = found
    if (
        await _answer_participant(session, i18n, member, participant, message, current_time())
        is None
    ):
        await message.reply(i18n.get("esc-not-delivered"))


async def desk_close(
    message: Message, i18n: I18nContext, session: AsyncSession, current_time: Now
) -> None:
    """/close in a participant's topic."""
    found = await _desk_sender(message, i18n, session)
    if found is None:
        return
    member, participant = found
    ticket = await tickets.active_ticket(session, participant.id)
    if ticket is None or not await _closed_by_staff(session, ticket, member, current_time()):
        await message.reply(i18n.get("esc-already-closed"))
        return
    await message.reply(i18n.get("esc-staff-closed"))


async def _answer_participant(
    session: AsyncSession,
    i18n: I18nContext,
    member: Staff,
    participant: Participant,
    message: Message,
    now: datetime,
) -> Ticket | None:
    """Queues a copy of a staff message to the participant under "💬 Your counsellor
    <name>:" and records the answer in their ticket (opened when staff write first). The copy
    is a message for the participant: on Telegram the copy itself, else (not on Telegram, or
    blocked the bot) the SMS or e-mail "your counsellor answered" (`sms-copy`, `mail-copy`).
    None when no channel reaches them; if the copy fails later (the message was deleted),
    the staff member is told under their message."""
    address = await reach.address_of(session, participant.id)
    if address is None:
        log.info("participant %s: answer not delivered: unreachable", participant.id)
        return None
    source = f"staff{member.id}" if message.chat.type == "private" else "desk"
    await enqueue_copy(
        session,
        chat_id=address.chat_id,
        participant_id=participant.id,
        dedupe_key=keys.relayed(participant.id, source, message.message_id, "participant"),
        from_chat_id=message.chat.id,
        message_id=message.message_id,
        header=Header("esc-answer-header", {"name": member.name}),
        if_failed=IfFailed(
            chat_id=message.chat.id,
            key="esc-not-delivered",
            locale=i18n.locale,
            thread_id=message.message_thread_id,
            reply_to=message.message_id,
        ),
    )
    return await tickets.staff_answered(session, participant, member, now)


# --- staff answer: in private (no desk, or a deadline message) ----------------------------


async def reply_button(
    callback: CallbackQuery,
    callback_data: EscalationAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    home: Home,
) -> None:
    """ "Reply" under a request: the next message goes to its participant, if this staff
    member may handle the request."""
    ticket = await session.get(Ticket, callback_data.ticket_id)
    participant = await session.get(Participant, ticket.participant_id) if ticket else None
    if participant is None:
        await answer_stale_button(callback, home)
        return
    if not rights.may_handle_ticket(staff_member, ticket, participant):
        await refuse(callback, i18n, staff_member, "ticket-reply", ticket.id, "esc-not-yours")
        return
    await _ask_answer(callback, i18n, state, participant)


async def write_button(
    callback: CallbackQuery,
    callback_data: EscalationAction,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    home: Home,
) -> None:
    """ "Write to <name>" under a lead: the next message goes to that participant, if this
    staff member follows them."""
    extra = callback_data.extra
    participant = await session.get(Participant, int(extra)) if extra.isdigit() else None
    if participant is None:
        await answer_stale_button(callback, home)
        return
    if not rights.may_act_on_participant(staff_member, participant):
        await refuse(callback, i18n, staff_member, "lead-write", participant.id, "esc-not-yours")
        return
    await _ask_answer(callback, i18n, state, participant)


async def _ask_answer(
    callback: CallbackQuery, i18n: I18nContext, state: FSMContext, participant: Participant
) -> None:
    await state.set_state(Replying.message)
    await state.set_data({"participant_id": participant.id})
    await callback.message.answer(
        i18n.get("esc-reply-ask", label=tickets.desk_label(participant)),
        reply_markup=keyboard([button(i18n.get("esc-reply-cancel"), "noreply")]),
    )


async def reply_cancel(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await state.clear()
    await callback.message.answer(i18n.get("esc-reply-cancelled"))


async def staff_reply(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    bot: Bot,
    state: FSMContext,
    staff_member: Staff,
    current_time: Now,
    desk_chat_id: int | None = None,
) -> None:
    """The message after "Reply" goes to the participant (and, with a desk, into their topic
    too, so the desk keeps the whole conversation)."""
    if message.content_type not in RELAYED:
        await message.answer(i18n.get("esc-cannot-relay"))
        return
    asked = await state.get_data()
    await state.clear()
    participant_id = asked.get("participant_id")
    if participant_id is None and asked.get("ticket_id"):  # asked before this version
        ticket = await session.get(Ticket, asked["ticket_id"])
        participant_id = ticket.participant_id if ticket else None
    participant = await session.get(Participant, participant_id) if participant_id else None
    if participant is None:
        await message.answer(i18n.get("esc-gone"))
        return
    if not await _may_answer(session, staff_member, participant):  # rights changed since
        await refuse(message, i18n, staff_member, "answer", participant.id, "esc-not-yours")
        return
    now = current_time()
    ticket = await _answer_participant(session, i18n, staff_member, participant, message, now)
    if ticket is None:
        await message.answer(i18n.get("esc-not-delivered"))
        return
    if desk_chat_id is not None:
        copy = Relay(
            message,
            f"staff{staff_member.id}",
            header=Header("esc-desk-private-answer", {"name": staff_member.name}),
            locale=i18n.locale,
        )
        try:
            await post_in_topic(
                bot, session, i18n.core, desk_chat_id, participant, ticket, now, copy=copy
            )
        except TelegramAPIError as error:
            log.warning(
                "ticket %s: answer not copied to the desk: %s", ticket.id, type(error).__name__
            )
    await message.answer(
        i18n.get("esc-reply-sent", label=tickets.desk_label(participant)),
        reply_markup=out_buttons(i18n.core, i18n.locale, tickets.staff_buttons(ticket.id)),
    )
