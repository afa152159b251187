"""Outcomes and the programme report.

A participant: "🎉 I found a job!" in the menu → the employer → the start date → their
counsellor is asked to confirm. Staff (`StaffOnly`): the ✅/✏️ buttons under such a report;
`/outcome` → whom → what (job, training, leaving) → its details → save; `/report` → the
period → the figures as a table and a chart.

Every step has a way back (or out); a typed answer that does not fit gets the reason and the
same question again. Nothing personal is logged: ids only."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
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

from bot.db.models import Contract, Outcome, OutcomeKind, Participant, Staff, User
from bot.handlers.staff import StaffOnly
from bot.i18n import Safe
from bot.keyboards.common import MenuAction, main_menu
from bot.services import outcomes, participants, report
from bot.services.outcomes import OutcomeDetails, OutcomeRefused
from bot.services.reference import find_occupation, search_occupations
from bot.services.sessions import participant_label

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
OCCUPATIONS_SHOWN = 6
IBO = "IBO"  # individuele beroepsopleiding: VDAB's on-the-job training
# The step each button belongs to (back, keep, save and quit fit several).
BUTTON_STEPS = {
    "who": "who",
    "kind": "kind",
    "occupation": "occupation",
    "skip": "occupation",
    "contract": "contract",
    "training": "training",
    "date": "start_date",
    "save": "summary",
}
FIELDS = {
    OutcomeKind.JOB: ("employer", "occupation", "contract", "start_date"),
    OutcomeKind.TRAINING: ("training", "start_date"),
    OutcomeKind.LEFT: ("start_date",),
}


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


def _today(current_time: Clock, tz: ZoneInfo) -> date:
    return current_time().astimezone(tz).date()


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def _found(text: str, action: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=FoundJobAction(action=action).pack())]


def _step(text: str, action: str, value: str = "") -> list[InlineKeyboardButton]:
    data = OutcomeStep(action=action, value=value).pack()
    return [InlineKeyboardButton(text=text, callback_data=data)]


async def _show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """The next question replaces the one whose button was pressed."""
    await callback.answer()
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "not modified" not in error.message:  # too old to edit: a new message then
            await callback.message.answer(text, reply_markup=markup)


async def _drop_if_in_dialog(state: FSMContext, dialog_manager: DialogManager) -> None:
    """A dialog started since (/vacancy, /newsession, the profile...) owns what is typed: our
    unanswered question is dropped and the message goes on to the dialog (this router comes
    before the dialogs)."""
    if dialog_manager.has_context():
        await state.clear()
        raise SkipHandler


# --- "I found a job!" ----------------------------------------------------------------------


def _ask_found_employer(i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    return i18n.get("out-found-ask-employer"), _keyboard(
        _found(i18n.get("out-skip"), "skip"), _found(i18n.get("out-cancel"), "quit")
    )


def _ask_found_start(i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    return i18n.get("out-found-ask-start"), _keyboard(
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
            reply_markup=_keyboard(
                [
                    InlineKeyboardButton(
                        text=i18n.get("menu-register"),
                        callback_data=MenuAction(action="register").pack(),
                    )
                ]
            ),
        )
        return
    await dialog_manager.reset_stack()
    await state.set_state(FoundJob.employer)
    await state.set_data({})
    await callback.answer()
    text, markup = _ask_found_employer(i18n)
    await callback.message.answer(text, reply_markup=markup)


async def found_employer(
    message: Message, i18n: I18nContext, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await _drop_if_in_dialog(state, dialog_manager)
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
    current_time: Clock,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    await _drop_if_in_dialog(state, dialog_manager)
    day = outcomes.parse_day(message.text, _today(current_time, tz))
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
    current_time: Clock,
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
        await _show(callback, *_ask_found_start(i18n))
        return
    if action == "back":
        await state.set_state(FoundJob.employer)
        await _show(callback, *_ask_found_employer(i18n))
        return
    today = _today(current_time, tz)
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
    current_time: Clock,
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
    await message.answer(i18n.get("out-found-done"), reply_markup=main_menu(i18n))


# --- the counsellor's answer to a report ---------------------------------------------------


async def review(
    callback: CallbackQuery,
    callback_data: OutcomeReview,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    outcome = await session.get(Outcome, callback_data.outcome_id)
    participant = await session.get(Participant, outcome.participant_id) if outcome else None
    if participant is None:
        await callback.answer(i18n.get("out-review-gone"), show_alert=True)
        return
    if not outcomes.may_follow(staff_member, participant):
        await callback.answer(i18n.get("out-not-allowed"), show_alert=True)
        return
    if callback_data.action == "fix":
        data = {
            "participant_id": participant.id,
            "kind": OutcomeKind.JOB,
            "employer": outcome.employer,
            "start_date": outcome.start_date.isoformat() if outcome.start_date else None,
            "correcting": outcome.id,
        }
        await state.set_data(data)
        await callback.answer()
        text, markup = await _screen("employer", data, i18n, session)
        await state.set_state(OutcomeInput.employer)
        await callback.message.answer(text, reply_markup=markup)
        return
    try:
        await outcomes.confirm(
            session, staff_member, outcome, current_time(), _today(current_time, tz)
        )
    except OutcomeRefused:
        await callback.answer(i18n.get("out-review-already"), show_alert=True)
        return
    log.info("outcome %s confirmed by staff %s", outcome.id, staff_member.id)
    await callback.answer()
    confirmed = i18n.get(
        "out-review-confirmed", label=participant_label(participant), start=_day(outcome.start_date)
    )
    await callback.message.edit_text(
        f"{callback.message.html_text}\n\n{confirmed}", reply_markup=None
    )


# --- /outcome ------------------------------------------------------------------------------


def _steps(kind: str | None) -> tuple[str, ...]:
    return ("who", "kind", *FIELDS.get(kind, ()), "summary")


def _bottom(i18n: I18nContext, step: str) -> list[list[InlineKeyboardButton]]:
    back = [] if step == "who" else _step(i18n.get("button-back"), "back")
    return [back, _step(i18n.get("out-cancel"), "quit")]


def _keep(i18n: I18nContext, value: str | None) -> list[InlineKeyboardButton]:
    """A button to keep the answer already given (going back, or correcting a report)."""
    return _step(i18n.get("out-keep", value=Safe(value)), "keep") if value else []


def _occupation_label(code: str | None, locale: str) -> str | None:
    found = find_occupation(code) if code else None
    return found.label(locale) if found else None


def _summary_vars(data: dict[str, Any], i18n: I18nContext) -> dict[str, Any]:
    start = date.fromisoformat(data["start_date"])
    return {
        "employer": data.get("employer") or "",
        "occupation": _occupation_label(data.get("occupation"), i18n.locale)
        or i18n.get("out-not-said"),
        "contract": Safe(i18n.get(f"contract-{data.get('contract')}"))
        if data.get("contract")
        else "",
        "training": data.get("training") or "",
        "start": _day(start),
    }


async def _screen(
    step: str, data: dict[str, Any], i18n: I18nContext, session: AsyncSession
) -> tuple[str, InlineKeyboardMarkup]:
    """A step's question and its buttons, from what was answered so far."""
    bottom = _bottom(i18n, step)
    if step == "who":
        return i18n.get("out-ask-who"), _keyboard(*bottom)
    person = await session.get(Participant, data["participant_id"])
    label = participant_label(person)
    if step == "kind":
        text = i18n.get("out-ask-kind", label=label, status=i18n.get(f"out-status-{person.status}"))
        kinds = [_step(i18n.get(f"out-kind-{kind}"), "kind", kind) for kind in OutcomeKind.ALL]
        return text, _keyboard(*kinds, *bottom)
    if step == "employer":
        return i18n.get("out-ask-employer"), _keyboard(_keep(i18n, data.get("employer")), *bottom)
    if step == "occupation":
        current = _occupation_label(data.get("occupation"), i18n.locale)
        skip = _step(i18n.get("out-skip"), "skip")
        return i18n.get("out-ask-occupation"), _keyboard(_keep(i18n, current), skip, *bottom)
    if step == "contract":
        contracts = [_step(i18n.get(f"contract-{c}"), "contract", c) for c in Contract.ALL]
        return i18n.get("out-ask-contract"), _keyboard(*contracts, *bottom)
    if step == "training":
        ibo = _step(i18n.get("out-training-ibo"), "training", IBO)
        return i18n.get("out-ask-training"), _keyboard(
            ibo, _keep(i18n, data.get("training")), *bottom
        )
    if step == "start_date":
        known = data.get("start_date")
        key = "out-ask-left" if data["kind"] == OutcomeKind.LEFT else "out-ask-start"
        today = _step(i18n.get("out-today"), "date", "today")
        keep = _keep(i18n, _day(date.fromisoformat(known)) if known else None)
        return i18n.get(key), _keyboard(today, keep, *bottom)
    what = i18n.get(f"out-summary-{data['kind']}", **_summary_vars(data, i18n))
    text = i18n.get("out-summary", label=label, what=Safe(what))
    return text, _keyboard(_step(i18n.get("out-button-save"), "save"), *bottom)


async def _go(
    event: Message | CallbackQuery,
    step: str,
    state: FSMContext,
    i18n: I18nContext,
    session: AsyncSession,
    problem: str | None = None,
) -> None:
    """Show `step` (under what was wrong with the last answer, if anything)."""
    await state.set_state(getattr(OutcomeInput, step))
    text, markup = await _screen(step, await state.get_data(), i18n, session)
    if problem:
        text = f"{problem}\n\n{text}"
    if isinstance(event, CallbackQuery):
        await _show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)


async def _next(event, state: FSMContext, i18n, session, **answer: Any) -> None:
    """Keep the answer, then the step after the current one."""
    await state.update_data(**answer)
    data = await state.get_data()
    steps = _steps(data.get("kind"))
    current = (await state.get_state()).split(":")[1]
    await _go(event, steps[steps.index(current) + 1], state, i18n, session)


async def start_outcome(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    dialog_manager: DialogManager,
) -> None:
    await dialog_manager.reset_stack()
    await state.set_data({})
    await _go(message, "who", state, i18n, session)


async def typed_who(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    dialog_manager: DialogManager,
) -> None:
    """A first name or a reference: the people it matches that this staff member follows."""
    await _drop_if_in_dialog(state, dialog_manager)
    found = await outcomes.find_followed(session, staff_member, message.text)
    if not found:
        await _go(message, "who", state, i18n, session, i18n.get("out-who-none"))
        return
    shown = found[: outcomes.SEARCH_MAX]
    text = i18n.get("out-who-pick")
    if len(found) > len(shown):
        text += "\n" + i18n.get("out-who-more", shown=len(shown))
    rows = [_step(participant_label(p), "who", str(p.id)) for p in shown]
    await message.answer(text, reply_markup=_keyboard(*rows, *_bottom(i18n, "who")))


async def typed_text(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    current_time: Clock,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    """The answer typed at the employer, occupation, training or date step."""
    await _drop_if_in_dialog(state, dialog_manager)
    step = (await state.get_state()).split(":")[1]
    if step == "employer":
        employer = outcomes.valid_text(message.text, outcomes.EMPLOYER_MAX)
        if employer is None:
            await _go(message, step, state, i18n, session, i18n.get("out-wrong-employer"))
            return
        await _next(message, state, i18n, session, employer=employer)
    elif step == "training":
        training = outcomes.valid_text(message.text, outcomes.TRAINING_MAX)
        if training is None:
            await _go(message, step, state, i18n, session, i18n.get("out-wrong-training"))
            return
        await _next(message, state, i18n, session, training=training)
    elif step == "start_date":
        day = outcomes.parse_day(message.text, _today(current_time, tz))
        if day is None:
            await _go(message, step, state, i18n, session, i18n.get("out-wrong-date"))
            return
        await _next(message, state, i18n, session, start_date=day.isoformat())
    elif step == "occupation":
        found = search_occupations(message.text, limit=OCCUPATIONS_SHOWN)
        query = message.text.strip()[:40]
        if not found:
            await _go(
                message, step, state, i18n, session, i18n.get("out-occupation-none", query=query)
            )
            return
        rows = [_step(o.label(i18n.locale), "occupation", o.code) for o in found]
        rows += [_step(i18n.get("out-skip"), "skip"), *_bottom(i18n, step)]
        await message.answer(
            i18n.get("out-occupation-pick", query=query), reply_markup=_keyboard(*rows)
        )
    else:  # a step answered with buttons
        await message.answer(i18n.get("out-type-text"))


async def not_text(
    message: Message, i18n: I18nContext, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await _drop_if_in_dialog(state, dialog_manager)
    await message.answer(i18n.get("out-type-text"))


async def step_button(
    callback: CallbackQuery,
    callback_data: OutcomeStep,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """A button of the step on screen; a button of another step (an older message) is
    refused rather than applied to the wrong question."""
    current = await state.get_state()
    action, value = callback_data.action, callback_data.value
    if current not in OutcomeInput or action == "quit":
        await state.clear()
        key = "out-quit" if current in OutcomeInput else "out-expired"
        await _show(callback, i18n.get(key), _keyboard())
        return
    step = current.split(":")[1]
    data = await state.get_data()
    if BUTTON_STEPS.get(action, step) != step or (action == "keep" and not data.get(step)):
        await callback.answer(i18n.get("out-expired"), show_alert=True)
        return
    if action == "back":
        steps = _steps(data.get("kind"))
        await _go(callback, steps[max(steps.index(step) - 1, 0)], state, i18n, session)
    elif action == "save":
        await _save(callback, i18n, session, state, staff_member, current_time, tz, data)
    elif action == "who":
        person = await session.get(Participant, int(value)) if value.isdigit() else None
        if person is None or not outcomes.may_follow(staff_member, person):
            await callback.answer(i18n.get("out-not-allowed"), show_alert=True)
            return
        await _next(callback, state, i18n, session, participant_id=person.id)
    elif action == "date":
        today = _today(current_time, tz).isoformat()
        await _next(callback, state, i18n, session, start_date=today)
    elif action == "keep":
        await _next(callback, state, i18n, session)
    elif action == "skip":
        await _next(callback, state, i18n, session, occupation=None)
    elif (
        (action == "kind" and value in OutcomeKind.ALL)
        or (action == "occupation" and find_occupation(value) is not None)
        or (action == "contract" and value in Contract.ALL)
        or (action == "training" and value == IBO)
    ):
        await _next(callback, state, i18n, session, **{action: value})
    else:
        await callback.answer(i18n.get("out-expired"), show_alert=True)


async def _save(callback, i18n, session, state, staff_member, current_time, tz, data) -> None:
    person = await session.get(Participant, data["participant_id"])
    if person is None:  # erased meanwhile
        await state.clear()
        await _show(callback, i18n.get("out-expired"), _keyboard())
        return
    correcting = await session.get(Outcome, data["correcting"]) if data.get("correcting") else None
    start = data.get("start_date")
    details = OutcomeDetails(
        kind=data["kind"],
        start_date=date.fromisoformat(start) if start else None,
        employer=data.get("employer"),
        occupation=data.get("occupation"),
        contract=data.get("contract"),
        training=data.get("training"),
    )
    try:
        outcome = await outcomes.record(
            session,
            staff_member,
            person,
            details,
            current_time(),
            _today(current_time, tz),
            correcting=correcting,
        )
    except OutcomeRefused as refused:
        key = "out-not-allowed" if refused.reason == "not_allowed" else "out-refused"
        await callback.answer(i18n.get(key), show_alert=True)
        return
    await state.clear()
    log.info("outcome %s (%s) recorded by staff %s", outcome.id, outcome.kind, staff_member.id)
    text = i18n.get(
        "out-saved",
        label=participant_label(person),
        status=i18n.get(f"out-status-{person.status}"),
    )
    await _show(callback, text, _keyboard())


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
    await message.answer(i18n.get("report-ask-period"), reply_markup=_keyboard(*rows))


async def send_report(
    callback: CallbackQuery,
    callback_data: ReportPeriod,
    i18n: I18nContext,
    session: AsyncSession,
    current_time: Clock,
    tz: ZoneInfo,
) -> None:
    """The figures as a table (monospace), then the chart (drawn off the event loop)."""
    period = report.PERIODS.get(callback_data.period)
    if period is None:
        await callback.answer(i18n.get("button-expired"))
        return
    await callback.answer()
    figures = await report.build_report(session, *period(_today(current_time, tz)), tz=tz)
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
    router = Router(name="outcomes-staff")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    typed = F.text & ~F.text.startswith("/")
    router.message.register(start_outcome, Command("outcome"))
    router.message.register(ask_period, Command("report"))
    router.message.register(typed_who, OutcomeInput.who, typed)
    router.message.register(typed_text, StateFilter(OutcomeInput), typed)
    router.message.register(not_text, StateFilter(OutcomeInput), ~F.text)
    router.callback_query.register(step_button, OutcomeStep.filter())
    router.callback_query.register(review, OutcomeReview.filter())
    router.callback_query.register(send_report, ReportPeriod.filter())
    return router
