"""Outcomes and the programme report.

A participant: "🎉 I found a job!" in the menu → the employer → the start date → their
counsellor is asked to confirm. Staff (`StaffOnly`): the ✅/✏️ buttons under such a report;
`/outcome` → whom → what (job, training, leaving) → its details → save; `/report` → the
period → the figures as a table and a chart.

Every step has a way back (or out); a typed answer that does not fit gets the reason and the
same question again. Nothing personal is logged: ids only.

This module holds the definitions, "I found a job!", `/report` and the router;
`outcomes_staff` the answer to a report and `/outcome`. `build_router` registers both."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Staff, User
from bot.flows.widgets import close_dialog
from bot.handlers.screens import show
from bot.handlers.staff import FLOW, StaffOnly
from bot.keyboards.common import MenuAction, keyboard, main_menu
from bot.scheduler import Now
from bot.services import counsellors, outcomes, participants, report, rights

log = logging.getLogger(__name__)


class FoundJob(StatesGroup):
    employer = State()
    start_date = State()


class OutcomeInput(StatesGroup):
    """One state per step of `/outcome`; the step's name is the state's."""

    who = State()
    kind = State()
    employer = State()
    occupation = State()
    contract = State()
    training = State()
    start_date = State()
    summary = State()


class FoundJobAction(CallbackData, prefix="found"):
    """skip, week, next (week), back, quit."""

    action: str


class OutcomeStep(CallbackData, prefix="oc"):
    """who, kind, occupation, contract, training (`value` the choice), date (today), keep
    (the answer given before), skip, back, save, quit."""

    action: str
    value: str = ""


class OutcomeReview(CallbackData, prefix=outcomes.REVIEW_PREFIX):
    """Under a participant's report: ok (confirm) or fix (correct)."""

    action: str
    outcome_id: int


class ReportPeriod(CallbackData, prefix="report"):
    period: str


def local_today(current_time: Now, tz: ZoneInfo) -> date:
    return current_time().astimezone(tz).date()


def _found(text: str, action: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=FoundJobAction(action=action).pack())]


async def drop_if_in_dialog(state: FSMContext, dialog_manager: DialogManager) -> None:
    """A dialog started since (/vacancy, /newsession, the profile...) owns what is typed: our
    unanswered question is dropped and the message goes on to the dialog (this router comes
    before the dialogs)."""
    if dialog_manager.has_context():
        await state.clear()
        raise SkipHandler


# --- "I found a job!" ----------------------------------------------------------------------


def _ask_found_employer(i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    return i18n.get("out-found-ask-employer"), keyboard(
        _found(i18n.get("out-skip"), "skip"), _found(i18n.get("out-cancel"), "quit")
    )


def _ask_found_start(i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    return i18n.get("out-found-ask-start"), keyboard(
        _found(i18n.get("out-found-this-week"), "week"),
        _found(i18n.get("out-found-next-week"), "next"),
        _found(i18n.get("out-skip"), "skip"),
        _found(i18n.get("button-back"), "back"),
    )


async def found_job(
    callback: CallbackQuery,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    dialog_manager: DialogManager,
) -> None:
    """Registered participants only; the others are offered the registration."""
    if not await participants.is_registered(session, user):
        await callback.answer()
        await callback.message.answer(
            i18n.get("out-found-register-first"),
            reply_markup=keyboard(
                [
                    InlineKeyboardButton(
                        text=i18n.get("menu-register"),
                        callback_data=MenuAction(action="register").pack(),
                    )
                ]
            ),
        )
        return
    await close_dialog(dialog_manager)
    await state.set_state(FoundJob.employer)
    await state.set_data({})
    await callback.answer()
    text, markup = _ask_found_employer(i18n)
    await callback.message.answer(text, reply_markup=markup)


async def found_employer(
    message: Message, i18n: I18nContext, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await drop_if_in_dialog(state, dialog_manager)
    employer = outcomes.valid_text(message.text, outcomes.EMPLOYER_MAX)
    if employer is None:
        text, markup = _ask_found_employer(i18n)
        await message.answer(f"{i18n.get('out-wrong-employer')}\n\n{text}", reply_markup=markup)
        return
    await state.update_data(employer=employer)
    await state.set_state(FoundJob.start_date)
    text, markup = _ask_found_start(i18n)
    await message.answer(text, reply_markup=markup)


async def found_start(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    current_time: Now,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    await drop_if_in_dialog(state, dialog_manager)
    day = outcomes.parse_day(message.text, local_today(current_time, tz))
    if day is None:
        text, markup = _ask_found_start(i18n)
        await message.answer(f"{i18n.get('out-wrong-date')}\n\n{text}", reply_markup=markup)
        return
    await _report_found_job(message, i18n, session, user, state, current_time, day)


async def found_button(
    callback: CallbackQuery,
    callback_data: FoundJobAction,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """In the employer step: skip or cancel. In the date step: this week (today), next week
    (next Monday), skip, or back to the employer."""
    step, action = await state.get_state(), callback_data.action
    if step not in FoundJob or action == "quit":
        await state.clear()
        await callback.answer()
        await callback.message.answer(
            i18n.get("out-found-cancelled" if step in FoundJob else "out-expired"),
            reply_markup=main_menu(i18n),
        )
        return
    if step == FoundJob.employer.state:
        await state.set_state(FoundJob.start_date)
        await show(callback, *_ask_found_start(i18n))
        return
    if action == "back":
        await state.set_state(FoundJob.employer)
        await show(callback, *_ask_found_employer(i18n))
        return
    today = local_today(current_time, tz)
    day = {
        "week": today,
        "next": today + timedelta(days=7 - today.weekday()),
    }.get(action)
    await callback.answer()
    await _report_found_job(callback.message, i18n, session, user, state, current_time, day)


async def _report_found_job(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    current_time: Now,
    day: date | None,
) -> None:
    participant = await participants.participant_of(session, user)
    employer = (await state.get_data()).get("employer")
    await state.clear()
    if participant is None:  # erased meanwhile
        await message.answer(i18n.get("out-expired"), reply_markup=main_menu(i18n))
        return
    outcome, told = await outcomes.report_job(session, participant, employer, day, current_time())
    log.info(
        "participant %s reported a job (outcome %s, %s staff told)",
        participant.id,
        outcome.id,
        told,
    )
    if not told:
        key = "out-found-done-nobody"
    elif await counsellors.own_counsellor(session, participant) is None:
        key = "out-found-done-team"
    else:
        key = "out-found-done"
    await message.answer(i18n.get(key), reply_markup=main_menu(i18n))


async def not_text(
    message: Message, i18n: I18nContext, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await drop_if_in_dialog(state, dialog_manager)
    await message.answer(i18n.get("out-type-text"))


# --- /report -------------------------------------------------------------------------------


async def ask_period(message: Message, i18n: I18nContext) -> None:
    rows = [
        [
            InlineKeyboardButton(
                text=i18n.get(f"report-{key}"), callback_data=ReportPeriod(period=period).pack()
            )
        ]
        for period, key in (
            ("month", "this-month"),
            ("last_month", "last-month"),
            ("year", "this-year"),
        )
    ]
    await message.answer(i18n.get("report-ask-period"), reply_markup=keyboard(*rows))


async def send_report(
    callback: CallbackQuery,
    callback_data: ReportPeriod,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """The figures as a table (monospace), then the chart (drawn off the event loop): the
    territories the staff member acts on (`rights.report_territories`)."""
    period = report.PERIODS.get(callback_data.period)
    if period is None:
        await callback.answer(i18n.get("button-expired"))
        return
    await callback.answer()
    figures = await report.build_report(
        session,
        *period(local_today(current_time, tz)),
        tz=tz,
        territories=rights.report_territories(staff_member),
    )
    text = report.texts(i18n.locale)
    table = html.escape(report.as_table(figures, text))
    await callback.message.answer(f"{i18n.get('report-title')}\n<pre>{table}</pre>")
    png = await asyncio.to_thread(report.chart_png, figures, text)
    await callback.message.answer_photo(
        BufferedInputFile(png, "report.png"),
        caption=i18n.get("report-caption", period=report.period_text(figures, text)),
    )


def build_router() -> Router:
    router = Router(name="outcomes")
    router.include_routers(_participant_router(), _staff_router())
    return router


def _participant_router() -> Router:
    router = Router(name="outcomes-participant")
    typed = F.text & ~F.text.startswith("/")
    router.callback_query.register(found_job, MenuAction.filter(F.action == "found_job"))
    router.message.register(found_employer, FoundJob.employer, typed)
    router.message.register(found_start, FoundJob.start_date, typed)
    router.message.register(not_text, StateFilter(FoundJob), ~F.text)
    router.callback_query.register(found_button, FoundJobAction.filter())
    return router


def _staff_router() -> Router:
    from bot.handlers.outcomes_staff import (  # it asks with this module's definitions
        review,
        start_outcome,
        step_button,
        typed_text,
        typed_who,
    )

    router = Router(name="outcomes-staff")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    typed = F.text & ~F.text.startswith("/")
    router.message.register(start_outcome, Command("outcome"))
    router.message.register(ask_period, Command("report"))
    router.message.register(typed_who, OutcomeInput.who, typed)
    router.message.register(typed_text, StateFilter(OutcomeInput), typed)
    router.message.register(not_text, StateFilter(OutcomeInput), ~F.text)
    router.callback_query.register(step_button, OutcomeStep.filter(), flags={FLOW: OutcomeInput})
    router.callback_query.register(review, OutcomeReview.filter())
    router.callback_query.register(send_report, ReportPeriod.filter())
    return router
