"""Outcomes, the counsellor's side (see `outcomes`): the answer to a participant's report
(✅ confirm, ✏️ correct) and `/outcome`, step by step. The definitions and the router are
`outcomes`'s."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Contract, Outcome, OutcomeKind, Participant, Staff
from bot.handlers.outcomes import (
    OutcomeInput,
    OutcomeReview,
    OutcomeStep,
    drop_if_in_dialog,
    keyboard,
    local_today,
    log,
)
from bot.handlers.screens import show
from bot.handlers.staff import refuse
from bot.i18n import Safe
from bot.scheduler import Now
from bot.services import outcomes, rights, session_desk
from bot.services.outcomes import OutcomeDetails, OutcomeRefused
from bot.services.reference import find_occupation, search_occupations
from bot.services.sessions import participant_label

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


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _step(text: str, action: str, value: str = "") -> list[InlineKeyboardButton]:
    data = OutcomeStep(action=action, value=value).pack()
    return [InlineKeyboardButton(text=text, callback_data=data)]


# --- the counsellor's answer to a report ---------------------------------------------------


async def review(
    callback: CallbackQuery,
    callback_data: OutcomeReview,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    outcome = await session.get(Outcome, callback_data.outcome_id)
    participant = await session.get(Participant, outcome.participant_id) if outcome else None
    if participant is None:
        await callback.answer(i18n.get("out-review-gone"), show_alert=True)
        return
    if not rights.may_act_on_participant(staff_member, participant):
        await refuse(callback, i18n, staff_member, "outcome-review", outcome.id, "out-not-allowed")
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
            session, staff_member, outcome, current_time(), local_today(current_time, tz)
        )
    except OutcomeRefused:
        await callback.answer(i18n.get("out-review-already"), show_alert=True)
        return
    log.info("outcome %s confirmed by staff %s", outcome.id, staff_member.id)
    await callback.answer()
    confirmed = i18n.get(
        "out-review-confirmed",
        label=participant_label(participant),
        start=_day(outcome.start_date),
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
        return i18n.get("out-ask-who"), keyboard(*bottom)
    person = await session.get(Participant, data["participant_id"])
    label = participant_label(person)
    if step == "kind":
        text = i18n.get("out-ask-kind", label=label, status=i18n.get(f"out-status-{person.status}"))
        kinds = [_step(i18n.get(f"out-kind-{kind}"), "kind", kind) for kind in OutcomeKind.ALL]
        return text, keyboard(*kinds, *bottom)
    if step == "employer":
        return i18n.get("out-ask-employer"), keyboard(_keep(i18n, data.get("employer")), *bottom)
    if step == "occupation":
        current = _occupation_label(data.get("occupation"), i18n.locale)
        skip = _step(i18n.get("out-skip"), "skip")
        return i18n.get("out-ask-occupation"), keyboard(_keep(i18n, current), skip, *bottom)
    if step == "contract":
        contracts = [_step(i18n.get(f"contract-{c}"), "contract", c) for c in Contract.ALL]
        return i18n.get("out-ask-contract"), keyboard(*contracts, *bottom)
    if step == "training":
        ibo = _step(i18n.get("out-training-ibo"), "training", IBO)
        return i18n.get("out-ask-training"), keyboard(
            ibo, _keep(i18n, data.get("training")), *bottom
        )
    if step == "start_date":
        known = data.get("start_date")
        key = "out-ask-left" if data["kind"] == OutcomeKind.LEFT else "out-ask-start"
        today = _step(i18n.get("out-today"), "date", "today")
        keep = _keep(i18n, _day(date.fromisoformat(known)) if known else None)
        return i18n.get(key), keyboard(today, keep, *bottom)
    what = i18n.get(f"out-summary-{data['kind']}", **_summary_vars(data, i18n))
    text = i18n.get("out-summary", label=label, what=Safe(what))
    return text, keyboard(_step(i18n.get("out-button-save"), "save"), *bottom)


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
        await show(event, text, markup)
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
    await drop_if_in_dialog(state, dialog_manager)
    found = await session_desk.search_for(session, staff_member, message.text)
    if not found:
        await _go(message, "who", state, i18n, session, i18n.get("out-who-none"))
        return
    shown = found[: session_desk.SEARCH_MAX]
    text = i18n.get("out-who-pick")
    if len(found) > len(shown):
        text += "\n" + i18n.get("out-who-more", shown=len(shown))
    rows = [_step(participant_label(p), "who", str(p.id)) for p in shown]
    await message.answer(text, reply_markup=keyboard(*rows, *_bottom(i18n, "who")))


async def typed_text(
    message: Message,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    current_time: Now,
    tz: ZoneInfo,
    dialog_manager: DialogManager,
) -> None:
    """The answer typed at the employer, occupation, training or date step."""
    await drop_if_in_dialog(state, dialog_manager)
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
        day = outcomes.parse_day(message.text, local_today(current_time, tz))
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
            i18n.get("out-occupation-pick", query=query), reply_markup=keyboard(*rows)
        )
    else:  # a step answered with buttons
        await message.answer(i18n.get("out-type-text"))


async def step_button(
    callback: CallbackQuery,
    callback_data: OutcomeStep,
    i18n: I18nContext,
    session: AsyncSession,
    state: FSMContext,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
) -> None:
    """A button of the step on screen; a button of another step (an older message) is
    refused rather than applied to the wrong question."""
    current = await state.get_state()
    action, value = callback_data.action, callback_data.value
    if current not in OutcomeInput or action == "quit":
        await state.clear()
        key = "out-quit" if current in OutcomeInput else "out-expired"
        await show(callback, i18n.get(key), keyboard())
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
        if person is None:
            await callback.answer(i18n.get("out-expired"), show_alert=True)
            return
        if not rights.may_act_on_participant(staff_member, person):
            await refuse(callback, i18n, staff_member, "outcome-who", person.id, "out-not-allowed")
            return
        await _next(callback, state, i18n, session, participant_id=person.id)
    elif action == "date":
        today = local_today(current_time, tz).isoformat()
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
        await show(callback, i18n.get("out-expired"), keyboard())
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
            local_today(current_time, tz),
            correcting=correcting,
        )
    except OutcomeRefused as refused:
        if refused.reason == "not_allowed":
            await refuse(callback, i18n, staff_member, "outcome-save", person.id, "out-not-allowed")
        else:
            await callback.answer(i18n.get("out-refused"), show_alert=True)
        return
    await state.clear()
    log.info("outcome %s (%s) recorded by staff %s", outcome.id, outcome.kind, staff_member.id)
    text = i18n.get(
        "out-saved",
        label=participant_label(person),
        status=i18n.get(f"out-status-{person.status}"),
    )
    await show(callback, text, keyboard())
