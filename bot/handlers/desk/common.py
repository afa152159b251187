"""What both sides of escalation share: the kinds of message relayed, the "Reply" state, the
buttons, the filters of the router, and the copy of a message into a participant's desk topic
(opened again when staff deleted it: `DeskTopics`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.common import reference
from bot.common.clock import Now
from bot.db.models import Participant, Ticket, User
from bot.delivery.failures import thread_gone
from bot.delivery.outbox import Header, IfFailed, enqueue_copy
from bot.flows.common.keyboards import keyboard
from bot.handlers.desk.callbacks import EscalationAction
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore
from bot.services.desk import keys, tickets
from bot.services.participants import people as participants
from bot.services.participants.reached import reach_key

log = logging.getLogger(__name__)


class Replying(StatesGroup):
    """A staff member pressed "Reply": their next message goes to the participant."""

    message = State()


def button(text: str, action: str, ticket_id: int = 0, extra: str = "") -> InlineKeyboardButton:
    data = EscalationAction(action=action, ticket_id=ticket_id, extra=extra).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def not_command(message: Message) -> bool:
    return not (message.text or "").startswith("/")


def in_desk(message: Message, desk_chat_id: int | None = None) -> bool:
    return desk_chat_id is not None and message.chat.id == desk_chat_id


async def in_ticket(
    message: Message, session: AsyncSession, user: User | None = None
) -> dict[str, Any] | bool:
    """A registered participant with an active ticket, handed on as `participant`, `ticket`."""
    participant = await participants.registered(session, user) if user is not None else None
    ticket = await tickets.active_ticket(session, participant.id) if participant else None
    return {"participant": participant, "ticket": ticket} if ticket else False


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
        reach=core.get(reach_key(facts.reach), locale),
    )
    close = button(core.get("esc-staff-close", locale), "sclose", ticket.id)
    await bot.send_message(desk, text, message_thread_id=thread, reply_markup=keyboard([close]))
