"""The staff home: one screen with the requests waiting for the staff member's answer (a
button each, oldest first), today's sessions (a button each into the session desk), their
referral link (and a button for its QR code), their commands, and a way to see the bot as a
participant does.

Staff get it for `/start`, `/menu`, `/cancel`, `/staff` and wherever the bot shows "the
menu" (`bot.handlers.common.home.Home`). Who is staff is the `staff` table's say, on every call."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now
from bot.common.dates import clock_text
from bot.db.base import as_utc
from bot.db.models import Participant, Role, Staff, Ticket, TicketStatus
from bot.flows.common.widgets import show
from bot.handlers.common.screens import out_buttons
from bot.handlers.common.staff_only import StaffOnly, refuse
from bot.handlers.staff.callbacks import StaffHomeAction
from bot.handlers.staff.commands import StaffAction
from bot.i18n import DEFAULT_LOCALE, Safe
from bot.services.desk import tickets
from bot.services.participants.reached import ALL_SET, Providers, reach_key, reach_of
from bot.services.sessions.callbacks import OrganiserCallback
from bot.services.staff import home as staff_home
from bot.services.staff import members as staff
from bot.services.staff import rights
from bot.services.vacancies import cards as vacancy_cards

if TYPE_CHECKING:
    from bot.handlers.common.home import Home

BUTTON_TITLE_MAX = 32


def _button(text: str, data: str | None = None, url: str | None = None) -> list:
    return [InlineKeyboardButton(text=text, callback_data=data, url=url)]


def _home(action: str, ticket_id: int = 0) -> str:
    return StaffHomeAction(action=action, ticket_id=ticket_id).pack()


def _since(i18n: I18nContext, moment: datetime, tz: ZoneInfo) -> str:
    texts = tickets.due_text(as_utc(moment), tz)
    return texts.get(i18n.locale, texts[DEFAULT_LOCALE])


def _role(i18n: I18nContext, member: Staff) -> str:
    if member.role == Role.CET:
        return i18n.get("staff-role-cet", territory=i18n.get(f"territory-{member.territory}"))
    return i18n.get(f"staff-role-{member.role}")


async def home_screen(
    member: Staff,
    i18n: I18nContext,
    session: AsyncSession,
    bot: Bot,
    now: datetime,
    tz: ZoneInfo,
    *,
    hello: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The staff home; `hello` greets (for /start)."""
    day = await staff_home.staff_day(session, member, now, tz)
    link = await create_start_link(bot, staff.referral_payload(member))
    title = "staff-home-hello" if hello else "staff-home-title"
    lines = [i18n.get(title, name=member.name), _role(i18n, member), ""]
    lines.append(i18n.get("staff-home-requests", count=day.waiting))
    if day.waiting > len(day.oldest):
        lines.append(i18n.get("staff-home-requests-more", shown=len(day.oldest)))
    builder = InlineKeyboardBuilder()  # one button a row
    for ticket, person in day.oldest:
        builder.button(
            text=i18n.get(
                "staff-home-ticket",
                label=Safe(tickets.desk_label(person)),  # button texts are not HTML
                since=_since(i18n, ticket.opened_at, tz),
            ),
            callback_data=StaffHomeAction(action="ticket", ticket_id=ticket.id),
        )
    lines += ["", i18n.get("staff-home-sessions", count=len(day.sessions))]
    for programme_session in day.sessions:
        time = clock_text(as_utc(programme_session.starts_at).astimezone(tz), i18n.locale)
        title = _title(programme_session, i18n.locale)
        lines.append(
            i18n.get(
                "staff-home-session",
                time=time,
                title=title,
                confirmed=programme_session.confirmed,
                capacity=programme_session.capacity,
            )
        )
        short = Safe(vacancy_cards.shorten(title, BUTTON_TITLE_MAX))
        builder.button(
            text=i18n.get("staff-home-session-button", time=time, title=short),
            callback_data=OrganiserCallback(action="open", session_id=programme_session.id).pack(),
        )
    builder.button(
        text=i18n.get("staff-home-all-sessions"),
        callback_data=OrganiserCallback(action="list").pack(),
    )
    builder.button(text=i18n.get("staff-home-invite"), callback_data=StaffAction(action="invite"))
    builder.button(
        text=i18n.get("staff-home-participant"),
        callback_data=StaffHomeAction(action="participant"),
    )
    lines += ["", i18n.get("staff-home-link", link=link), "", i18n.get("staff-home-commands")]
    return "\n".join(lines), builder.adjust(1).as_markup()


def _title(programme_session, locale: str) -> str:
    if locale == "nl" and programme_session.title_nl:
        return programme_session.title_nl
    return programme_session.title_fr


async def back_to_staff_side(
    message: Message, home: Home, dialog_manager: DialogManager, state: FSMContext
) -> None:
    """/staff: the staff side again (from the participant view, or anywhere)."""
    await home.set_participant_view(False)
    await dialog_manager.reset_stack()
    await state.clear()
    await home.send(message)


async def participant_view(callback: CallbackQuery, home: Home) -> None:
    await home.set_participant_view(True)
    await callback.message.answer(home.i18n.get("staff-participant-view"))
    await home.send(callback.message)


async def back_home(callback: CallbackQuery, home: Home) -> None:
    await show(callback, *await home.screen())


async def open_ticket(
    callback: CallbackQuery,
    callback_data: StaffHomeAction,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
    desk_chat_id: int | None = None,
    providers: Providers = ALL_SET,
) -> None:
    """A request's screen: who, about what, since when, by when, how they are reached;
    Reply and Close."""
    ticket = await session.get(Ticket, callback_data.ticket_id)
    person = await session.get(Participant, ticket.participant_id) if ticket else None
    if person is None or ticket.status == TicketStatus.CLOSED:
        callback_answer.text = i18n.get("esc-already-closed")
        callback_answer.show_alert = True
        return
    if not rights.may_handle_ticket(staff_member, ticket, person):
        await refuse(callback, i18n, staff_member, "ticket-open", ticket.id, "esc-not-yours")
        return
    lines = [
        i18n.get(
            "staff-ticket",
            label=tickets.desk_label(person),
            topic=i18n.get(f"esc-topic-{ticket.topic}"),
            since=_since(i18n, ticket.opened_at, tz),
        )
    ]
    if ticket.due_at is not None and ticket.first_answer_at is None:
        late = as_utc(ticket.due_at) <= current_time()
        due = _since(i18n, ticket.due_at, tz)
        lines.append(i18n.get("staff-ticket-late" if late else "staff-ticket-due", due=due))
    how = await reach_of(session, person, providers)
    lines.append(i18n.get("reach-line", reach=i18n.get(reach_key(how))))
    in_desk = desk_chat_id is not None and person.desk_thread_id is not None
    lines.append(i18n.get("staff-ticket-desk" if in_desk else "staff-ticket-private"))
    rows = list(
        out_buttons(i18n.core, i18n.locale, tickets.staff_buttons(ticket.id)).inline_keyboard
    )
    if in_desk:
        rows.append(_button(i18n.get("staff-ticket-topic"), url=_topic_link(desk_chat_id, person)))
    rows.append(_button(i18n.get("staff-home-back"), _home("back")))
    await show(callback, "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def _topic_link(desk_chat_id: int, person: Participant) -> str:
    """A link into a topic of the (private) desk supergroup, for its members."""
    internal = str(desk_chat_id).removeprefix("-100")
    return f"https://t.me/c/{internal}/{person.desk_thread_id}"


def build_router() -> Router:
    router = Router(name="staff-home")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(back_to_staff_side, Command("staff"))
    router.callback_query.register(open_ticket, StaffHomeAction.filter(F.action == "ticket"))
    router.callback_query.register(back_home, StaffHomeAction.filter(F.action == "back"))
    router.callback_query.register(
        participant_view, StaffHomeAction.filter(F.action == "participant")
    )
    return router
