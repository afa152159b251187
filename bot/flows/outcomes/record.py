"""Staff record a job, a training or leaving the programme (`/outcome`), or correct a job a
participant reported (✏️ under the report): whom (a first name or reference typed, then
picked: only the people `rights` lets them act on), what, its details (a job: employer,
occupation, contract; a training: which), the date, then a summary to save.

Every step has a way back (or out); a typed answer that does not fit gets the reason and the
same question again; "keep" takes the answer given before (going back, or correcting). The
staff member is looked up again at every step that reads or writes a person, and the person
picked is checked against their rights when picked and when saved (`outcomes.record`)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram import F
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button
from aiogram_dialog.widgets.text import Multi

from bot.common.dates import day_text
from bot.common.reference import find_occupation, search_occupations
from bot.db.models import Contract, Outcome, OutcomeKind, Participant, Staff
from bot.flows.common.steps import (
    again,
    bot_now,
    cancel,
    i18n_of,
    item_list,
    not_an_answer,
    programme_today,
)
from bot.flows.common.widgets import I18nText, buttons_only, refuse
from bot.i18n import Safe
from bot.services.outcomes import records as outcomes
from bot.services.outcomes.records import OutcomeDetails, OutcomeRefused
from bot.services.sessions import organiser
from bot.services.sessions.listings import participant_label
from bot.services.staff import members as staff
from bot.services.staff import rights

log = logging.getLogger(__name__)

# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = F.text & ~F.text.startswith("/")
OCCUPATIONS_SHOWN = 6
IBO = "IBO"  # individuele beroepsopleiding: VDAB's on-the-job training
# What each kind asks, between "what" and the summary.
FIELDS = {
    OutcomeKind.JOB: ("employer", "occupation", "contract", "start_date"),
    OutcomeKind.TRAINING: ("training", "start_date"),
    OutcomeKind.LEFT: ("start_date",),
}


class RecordOutcome(StatesGroup):
    """One state per step; the step's name is the state's (picking an occupation hangs off
    the occupation step)."""

    who = State()
    kind = State()
    employer = State()
    occupation = State()
    occupation_pick = State()
    contract = State()
    training = State()
    start_date = State()
    summary = State()


def _steps(kind: str | None) -> tuple[str, ...]:
    return ("who", "kind", *FIELDS.get(kind, ()), "summary")


def _step(manager: DialogManager) -> str:
    step = manager.current_context().state.state.rsplit(":", 1)[-1]
    return "occupation" if step == "occupation_pick" else step


async def _move(manager: DialogManager, by: int) -> None:
    """To the step after (`by` 1) or before (-1) the current one, for the kind chosen."""
    steps = _steps(manager.dialog_data.get("kind"))
    index = max(steps.index(_step(manager)) + by, 0)
    if steps[index] == "who":  # asked again, not the people found before
        manager.dialog_data.pop("found", None)
    typed = isinstance(manager.event, Message)
    await manager.switch_to(
        getattr(RecordOutcome, steps[index]), show_mode=ShowMode.SEND if typed else None
    )


async def _next(manager: DialogManager, **answer: Any) -> None:
    """Keep the answer, then the next step."""
    manager.dialog_data.update(answer)
    await _move(manager, 1)


async def _member(manager: DialogManager) -> Staff | None:
    """The staff member, looked up again: they may have left the team meanwhile."""
    user_id = manager.event.from_user.id
    member = await staff.staff_by_telegram_id(manager.middleware_data["session"], user_id)
    if member is None:
        log.warning("outcome step refused for user id %s", user_id)
    return member


async def _left_team(event: Message | CallbackQuery, manager: DialogManager) -> None:
    await manager.done()
    manager.show_mode = ShowMode.SEND
    text = i18n_of(manager).get("staff-only")
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)


def _occupation_label(code: str | None, locale: str) -> str | None:
    found = find_occupation(code) if code else None
    return found.label(locale) if found else None


# --- whom ---------------------------------------------------------------------------------


async def _typed_who(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    """A first name or a reference: the people it matches that this staff member follows."""
    member = await _member(manager)
    if member is None:
        await _left_team(message, manager)
        return
    found = await organiser.search_for(manager.middleware_data["session"], member, text)
    if not found:
        await again(message, manager, i18n_of(manager).get("out-who-none"))
        return
    manager.dialog_data.update(found=[p.id for p in found])
    await manager.switch_to(RecordOutcome.who, show_mode=ShowMode.SEND)


async def _who_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    ids = dialog_manager.dialog_data.get("found") or []
    session = dialog_manager.middleware_data["session"]
    shown = [p for p in [await session.get(Participant, i) for i in ids] if p]
    shown = shown[: organiser.SEARCH_MAX]
    return {
        "asking": not ids,
        "found": bool(ids),
        "more": len(ids) > len(shown),
        "shown": len(shown),
        "items": [(str(p.id), participant_label(p)) for p in shown],
    }


async def _who_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, value: str):
    member = await _member(manager)
    if member is None:
        await _left_team(callback, manager)
        return
    session = manager.middleware_data["session"]
    person = await session.get(Participant, int(value)) if value.isdigit() else None
    if person is None:
        await callback.answer(i18n_of(manager).get("out-expired"), show_alert=True)
        return
    if not rights.may_act_on_participant(member, person):
        await refuse(
            callback, i18n_of(manager), member, "outcome-who", person.id, "out-not-allowed"
        )
        return
    await _next(manager, participant_id=person.id)


# --- what and its details -----------------------------------------------------------------


async def _person_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The person and what was answered so far."""
    data, i18n = dialog_manager.dialog_data, i18n_of(dialog_manager)
    person = await dialog_manager.middleware_data["session"].get(
        Participant, data["participant_id"]
    )
    known = {
        "employer": data.get("employer"),
        "occupation": _occupation_label(data.get("occupation"), i18n.locale),
        "training": data.get("training"),
        "start_date": day_text(date.fromisoformat(data["start_date"]), i18n.locale)
        if data.get("start_date")
        else None,
    }
    step = _step(dialog_manager)
    return {
        "label": participant_label(person) if person else "",
        "status": i18n.get(f"out-status-{person.status}") if person else "",
        "kinds": [(kind, i18n.get(f"out-kind-{kind}")) for kind in OutcomeKind.ALL],
        "contracts": [(c, i18n.get(f"contract-{c}")) for c in Contract.ALL],
        # Button texts are not HTML: nothing to escape.
        "value": Safe(known.get(step) or ""),
        "known": bool(known.get(step)),
        "left": data.get("kind") == OutcomeKind.LEFT,
        "not_left": data.get("kind") != OutcomeKind.LEFT,
    }


def _pick(name: str):
    async def on_click(_c: CallbackQuery, _w: Any, manager: DialogManager, value: str) -> None:
        await _next(manager, **{name: value})

    return on_click


def _typed_text(name: str, longest: int, wrong_key: str):
    async def on_text(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
        value = outcomes.valid_text(text, longest)
        if value is None:
            await again(message, manager, i18n_of(manager).get(wrong_key))
            return
        await _next(manager, **{name: value})

    return on_text


async def _typed_occupation(
    message: Message, _w: ManagedTextInput, manager: DialogManager, text: str
):
    found = search_occupations(text, limit=OCCUPATIONS_SHOWN)
    query = text.strip()[:40]
    if not found:
        await again(message, manager, i18n_of(manager).get("out-occupation-none", query=query))
        return
    manager.dialog_data.update(query=query, results=[o.code for o in found])
    await manager.switch_to(RecordOutcome.occupation_pick, show_mode=ShowMode.SEND)


async def _results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = i18n_of(dialog_manager).locale
    found = (find_occupation(c) for c in dialog_manager.dialog_data.get("results", ()))
    return {
        "items": [(o.code, o.label(locale)) for o in found if o],
        "query": dialog_manager.dialog_data.get("query", ""),
    }


async def _typed_day(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    day = outcomes.parse_day(text, programme_today(manager))
    if day is None:
        await again(message, manager, i18n_of(manager).get("out-wrong-date"))
        return
    await _next(manager, start_date=day.isoformat())


async def _today(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _next(manager, start_date=programme_today(manager).isoformat())


async def _skip(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _next(manager, occupation=None)


async def _keep(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _next(manager)


async def _back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    if manager.current_context().state == RecordOutcome.occupation_pick:
        await manager.switch_to(RecordOutcome.occupation)
        return
    await _move(manager, -1)


# --- the summary and saving ---------------------------------------------------------------


async def _summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data, i18n = dialog_manager.dialog_data, i18n_of(dialog_manager)
    person = await dialog_manager.middleware_data["session"].get(
        Participant, data["participant_id"]
    )
    what = i18n.get(
        f"out-summary-{data['kind']}",
        employer=data.get("employer") or "",
        occupation=_occupation_label(data.get("occupation"), i18n.locale)
        or i18n.get("out-not-said"),
        contract=Safe(i18n.get(f"contract-{data['contract']}")) if data.get("contract") else "",
        training=data.get("training") or "",
        start=day_text(date.fromisoformat(data["start_date"]), i18n.locale),
    )
    return {"label": participant_label(person) if person else "", "what": Safe(what)}


async def _save(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    member = await _member(manager)
    if member is None:
        await _left_team(callback, manager)
        return
    session, i18n, data = manager.middleware_data["session"], i18n_of(manager), manager.dialog_data
    person = await session.get(Participant, data["participant_id"])
    if person is None:  # erased meanwhile
        await manager.done(show_mode=ShowMode.NO_UPDATE)  # the text comes in its place
        await callback.message.edit_text(i18n.get("out-expired"))
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
    now = bot_now(manager)
    try:
        outcome = await outcomes.record(
            session, member, person, details, now, programme_today(manager), correcting=correcting
        )
    except OutcomeRefused as refused:
        if refused.reason == "not_allowed":
            await refuse(callback, i18n, member, "outcome-save", person.id, "out-not-allowed")
        else:
            await callback.answer(i18n.get("out-refused"), show_alert=True)
        return
    log.info("outcome %s (%s) recorded by staff %s", outcome.id, outcome.kind, member.id)
    await manager.done(show_mode=ShowMode.NO_UPDATE)  # the text comes in its place
    text = i18n.get(
        "out-saved", label=participant_label(person), status=i18n.get(f"out-status-{person.status}")
    )
    await callback.message.edit_text(text)


# --- windows ------------------------------------------------------------------------------


def _bottom(name: str, back: bool = True) -> list:
    """Back (but from the first step) and Cancel."""
    buttons = [Button(I18nText("button-back"), id=f"back_{name}", on_click=_back)] if back else []
    quit_ = Button(I18nText("out-cancel"), id=f"quit_{name}", on_click=cancel("out-quit"))
    return [*buttons, quit_]


def _keep_button(name: str) -> Button:
    return Button(I18nText("out-keep"), id=f"keep_{name}", on_click=_keep, when="known")


def _typed_window(state: State, question: Any, on_text, *buttons: Any, getter=_person_getter):
    name = state.state.rsplit(":", 1)[-1]
    return Window(
        question,
        *buttons,
        *_bottom(name),
        TextInput(f"{name}_text", on_success=on_text, filter=ANSWER),
        MessageInput(not_an_answer("out-type-text")),
        state=state,
        getter=getter,
    )


def record_dialog() -> Dialog:
    step = RecordOutcome
    return Dialog(
        Window(
            I18nText("out-ask-who", when="asking"),
            Multi(I18nText("out-who-pick"), I18nText("out-who-more", when="more"), when="found"),
            item_list("who", _who_picked),
            *_bottom("who", back=False),
            TextInput("who_text", on_success=_typed_who, filter=ANSWER),
            MessageInput(not_an_answer("out-type-text")),
            state=step.who,
            getter=_who_getter,
        ),
        Window(
            I18nText("out-ask-kind"),
            item_list("kind", _pick("kind"), items="kinds"),
            *_bottom("kind"),
            buttons_only(),
            state=step.kind,
            getter=_person_getter,
        ),
        _typed_window(
            step.employer,
            I18nText("out-ask-employer"),
            _typed_text("employer", outcomes.EMPLOYER_MAX, "out-wrong-employer"),
            _keep_button("employer"),
        ),
        _typed_window(
            step.occupation,
            I18nText("out-ask-occupation"),
            _typed_occupation,
            _keep_button("occupation"),
            Button(I18nText("out-skip"), id="skip", on_click=_skip),
        ),
        _typed_window(
            step.occupation_pick,
            I18nText("out-occupation-pick"),
            _typed_occupation,
            item_list("occupation", _pick("occupation")),
            Button(I18nText("out-skip"), id="skip_pick", on_click=_skip),
            getter=_results_getter,
        ),
        Window(
            I18nText("out-ask-contract"),
            item_list("contract", _pick("contract"), items="contracts"),
            *_bottom("contract"),
            buttons_only(),
            state=step.contract,
            getter=_person_getter,
        ),
        _typed_window(
            step.training,
            I18nText("out-ask-training"),
            _typed_text("training", outcomes.TRAINING_MAX, "out-wrong-training"),
            Button(I18nText("out-training-ibo"), id="ibo", on_click=_ibo),
            _keep_button("training"),
        ),
        _typed_window(
            step.start_date,
            Multi(
                I18nText("out-ask-start", when="not_left"), I18nText("out-ask-left", when="left")
            ),
            _typed_day,
            Button(I18nText("out-today"), id="today", on_click=_today),
            _keep_button("start_date"),
        ),
        Window(
            I18nText("out-summary"),
            Button(I18nText("out-button-save"), id="save", on_click=_save),
            *_bottom("summary"),
            buttons_only(),
            state=step.summary,
            getter=_summary_getter,
        ),
        on_start=_prefilled,
    )


async def _ibo(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _next(manager, training=IBO)


async def _prefilled(start_data: Any, manager: DialogManager) -> None:
    """A report being corrected starts at its employer, with what the participant said."""
    if isinstance(start_data, dict):
        manager.dialog_data.update(start_data)
