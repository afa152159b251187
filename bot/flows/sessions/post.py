"""Staff create an online session in the bot: one question per message, in the staff member's
language, a way back at every step, a preview of the invitation exactly as participants will
get it and how many it reaches, then publish.

The French title is required; the Dutch one is typed, translated on the spot (bounded wait)
or left out, and Dutch readers then see the French title. Publishing stores the session and
queues its invitations in the same transaction (`audience.publish`); the outbox sends them,
outside the quiet hours. Times are in the programme's zone (`tz`) and "now" is the bot's
clock (`current_time`), never the system's, so tests can move it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from functools import partial
from typing import Any

from aiogram import F
from aiogram.enums import ChatAction
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Group, Row
from aiogram_dialog.widgets.text import Multi

from bot.common import reference
from bot.db.models import Territory
from bot.flows.common.answers import Refused
from bot.flows.common.calendar import ProgrammeCalendar, local_date
from bot.flows.common.states import NewSession, PostSession
from bot.flows.common.steps import (
    Order,
    again,
    back_button,
    bot_now,
    button_step,
    cancel,
    choices,
    finish,
    forward,
    go,
    i18n_of,
    item_list,
    leave_out,
    not_an_answer,
    occupation_search,
    preview_window,
    programme_today,
    programme_tz,
    step_name,
    store,
    ticks,
    typed,
)
from bot.flows.common.widgets import I18nText, buttons_only
from bot.flows.sessions import answers
from bot.services.participants.caseload import CEFR_LEVELS
from bot.services.sessions import audience
from bot.services.sessions.common import KINDS
from bot.services.staff import members as staff
from bot.services.staff import rights

log = logging.getLogger(__name__)

TRANSLATE_WAIT_S = 10.0  # the staff member waits on the button: a provider may not hold it
# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = ~F.text.startswith("/")


# The main line of questions; picking an occupation hangs off the step before it.
ORDER = Order(PostSession, PostSession.occupation_pick)


# --- moving through the steps -------------------------------------------------------------


def _typed(name: str, state: State):
    def check(text: str, manager: DialogManager) -> Any:
        return answers.CHECKS[name](text, i18n_of(manager))

    def stored(manager: DialogManager, name: str) -> None:
        _mark_translated(manager, name, False)  # typed by hand

    return typed(name, ORDER.next(state), check, stored)


_not_an_answer = not_an_answer("spost-type-text")
_cancel = cancel("spost-cancelled")


# --- the Dutch texts: typed, translated or left out ---------------------------------------


def _mark_translated(manager: DialogManager, name: str, machine: bool) -> None:
    translated = set(manager.dialog_data.get("translated", ()))
    translated = (translated | {name}) if machine else (translated - {name})
    manager.dialog_data["translated"] = sorted(translated)


def _translate(name: str):
    source = name.replace("_nl", "_fr")

    async def on_click(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        middleware = manager.middleware_data
        i18n = i18n_of(manager)
        await middleware["bot"].send_chat_action(callback.message.chat.id, ChatAction.TYPING)
        text = manager.dialog_data.get(source) or ""  # the button shows when there is one
        try:
            async with asyncio.timeout(TRANSLATE_WAIT_S):
                translation = await middleware["translator"].translate(
                    middleware["session"], text, "fr", "nl"
                )
        except TimeoutError:
            translation = None
        if translation is None or not translation.available:
            await again(callback.message, manager, i18n.get("spost-translate-unavailable"))
            return
        try:
            manager.dialog_data[name] = answers.CHECKS[name](translation.text, i18n)
        except Refused as refusal:
            await again(callback.message, manager, refusal.text)
            return
        # Shown on this step again, to be checked: kept, or replaced by typing a better one.
        _mark_translated(manager, name, True)

    return on_click


# --- day and time -------------------------------------------------------------------------


async def _day_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, day: date):
    if day < programme_today(manager):  # a calendar shown before midnight, pressed after it
        await again(callback.message, manager, i18n_of(manager).get("spost-day-past"))
        return
    manager.dialog_data["day"] = day.isoformat()
    await forward(manager, PostSession.time)


async def _set_time(message: Message, manager: DialogManager, clock_time: str) -> None:
    i18n = i18n_of(manager)
    try:
        answers.start_moment(
            manager.dialog_data["day"], clock_time, programme_tz(manager), bot_now(manager), i18n
        )
    except Refused as refusal:
        await again(message, manager, refusal.text)
        return
    manager.dialog_data["time"] = clock_time
    await forward(manager, ORDER.next(PostSession.time))


async def _time_typed(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    try:
        clock_time = answers.CHECKS["time"](text, i18n_of(manager))
    except Refused as refusal:
        await again(message, manager, refusal.text)
        return
    await _set_time(message, manager, clock_time)


async def _time_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, value: str):
    await _set_time(callback.message, manager, value)


async def _time_kept(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    # Checked again: the day may have changed since, or the moment passed.
    await _set_time(callback.message, manager, manager.dialog_data["time"])


# --- occupations: typed, then picked ------------------------------------------------------


_search = occupation_search("spost-occupation-unknown", PostSession.occupation_pick)


def _labelled(codes: list[str], locale: str) -> list[tuple[str, str]]:
    found = ((code, reference.find_occupation(code)) for code in codes)
    return [(code, o.label(locale) if o else code) for code, o in found]


async def _results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = i18n_of(dialog_manager).locale
    return {
        "items": _labelled(dialog_manager.dialog_data["results"], locale),
        "query": dialog_manager.dialog_data["query"],
    }


async def _chosen_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    chosen = _labelled(
        dialog_manager.dialog_data.get("occupations", []), i18n_of(dialog_manager).locale
    )
    return {
        "chosen": chosen,
        "chosen_names": ", ".join(label for _, label in chosen),
        "has_chosen": bool(chosen),
    }


async def _add_occupation(_c: CallbackQuery, _w: Any, manager: DialogManager, code: str):
    chosen = manager.dialog_data.setdefault("occupations", [])
    if code not in chosen:
        chosen.append(code)
    await manager.switch_to(PostSession.occupations)


async def _drop_occupation(_c: CallbackQuery, _w: Any, manager: DialogManager, code: str):
    chosen = manager.dialog_data.get("occupations", [])
    manager.dialog_data["occupations"] = [c for c in chosen if c != code]


async def _all_occupations(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data["occupations"] = []
    await manager.switch_to(ORDER.next(PostSession.occupations))


# --- preview and publishing ---------------------------------------------------------------


def _targets(manager: DialogManager) -> tuple[list[str], list[str]]:
    """The ticked territories and Dutch levels (none ticked: everyone)."""
    return list(manager.find("terr").get_checked()), list(manager.find("levels").get_checked())


async def _preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, tz = i18n_of(dialog_manager), programme_tz(dialog_manager)
    data = dialog_manager.dialog_data
    try:
        starts_at = answers.start_moment(
            data["day"], data["time"], tz, bot_now(dialog_manager), i18n
        )
    except Refused as refusal:  # the moment passed while the preview was open
        return {"card": refusal.text}
    territories, levels = _targets(dialog_manager)
    draft = answers.to_session(data, starts_at, territories, levels)
    # Each participant reads it in their language: the staff member's first, then the other.
    own = i18n.locale
    other = "nl" if own == "fr" else "fr"
    reached = await audience.audience(dialog_manager.middleware_data["session"], draft)
    occupations = ", ".join(label for _, label in _labelled(draft.occupations, own))
    details = i18n.get(
        "spost-preview-details",
        url=draft.url,
        cutoff=draft.cutoff_hours,
        territories=", ".join(i18n.get(f"territory-{t}") for t in territories)
        or i18n.get("spost-all-territories"),
        occupations=occupations or i18n.get("spost-all-occupations"),
        levels=", ".join(levels) or i18n.get("spost-all-levels"),
    )
    parts = (
        answers.invitation(draft, tz, i18n.core, own),
        i18n.get("spost-preview-in", lang=other),
        answers.invitation(draft, tz, i18n.core, other),
        details,
        i18n.get("spost-audience", count=len(reached)),
    )
    return {"card": "\n\n".join(parts)}


async def _publish(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    session, i18n = manager.middleware_data["session"], i18n_of(manager)
    tz, now = programme_tz(manager), bot_now(manager)
    # Checked again on the server: the person may have left the team since the first step.
    member = await staff.staff_by_telegram_id(session, callback.from_user.id)
    if member is None:
        log.warning("session publishing refused for user id %s", callback.from_user.id)
        await manager.done()
        await callback.message.answer(i18n.get("staff-only"))
        return
    data = manager.dialog_data
    try:
        starts_at = answers.start_moment(data["day"], data["time"], tz, now, i18n)
    except Refused as refusal:
        await again(callback.message, manager, refusal.text)
        await manager.switch_to(PostSession.time, show_mode=ShowMode.SEND)
        return
    territories, levels = _targets(manager)
    if not rights.may_target(member, territories):
        rights.refused(member, "session-publish", ",".join(territories))
        await again(callback.message, manager, i18n.get("spost-refused-territory"))
        await manager.switch_to(PostSession.territories, show_mode=ShowMode.SEND)
        return
    programme_session = answers.to_session(data, starts_at, territories, levels, member.id)
    session.add(programme_session)
    await session.flush()
    invited = await audience.publish(session, programme_session, now, tz)
    log.info(
        "session %s published by staff %s: %s invitations queued",
        programme_session.id,
        member.id,
        invited,
    )
    await finish(
        callback,
        manager,
        i18n.get("spost-published", count=invited),
        i18n.get("spost-another"),
        NewSession(),
    )


# --- windows ------------------------------------------------------------------------------


def _current(name: str):
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        data = dialog_manager.dialog_data
        shown = answers.recalled(name, data.get(name), i18n_of(dialog_manager))
        machine = name in data.get("translated", ())
        return {
            "current": shown or "",
            "has_current": shown is not None,
            "typed_current": shown is not None and not machine,
            "translated": shown is not None and machine,
            "can_translate": bool(data.get(name.replace("_nl", "_fr"))),
        }

    return getter


def _choices(values: tuple, label=lambda _i18n, value: str(value)):
    return choices(values, label, key="choices")


async def _day_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    day = dialog_manager.dialog_data.get("day")
    shown = local_date(date.fromisoformat(day), "EEEE d MMMM y", dialog_manager) if day else ""
    return {"current": shown, "has_current": bool(day), "typed_current": bool(day)}


async def _time_day_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    day = date.fromisoformat(dialog_manager.dialog_data["day"])
    return {"day": local_date(day, "EEEE d MMMM", dialog_manager).lower()}


def _back_or_cancel(state: State, back_to: State | None = None) -> Row:
    return Row(
        back_button(back_to or ORDER.previous(state)),
        Button(I18nText("spost-cancel"), id=f"cancel_{step_name(state)}", on_click=_cancel),
    )


def _step(
    state: State,
    name: str,
    *,
    choices: Group | None = None,
    skip: bool = False,
    translate: bool = False,
    on_text=None,
    on_keep=None,
    getter=(),
) -> Window:
    """A question answered by typing, or with `choices`. After going back, the answer given is
    recalled and "Keep" steps over it; an optional step has "Skip"; a Dutch text may be
    translated from the French one."""
    key = name.replace("_", "-")
    buttons = [
        Button(
            I18nText("spost-keep"),
            id=f"keep_{name}",
            on_click=on_keep or go(ORDER.next(state)),
            when="has_current",
        )
    ]
    if translate:
        buttons.insert(
            0,
            Button(
                I18nText("spost-translate"),
                id=f"translate_{name}",
                on_click=_translate(name),
                when="can_translate",
            ),
        )
    if skip:
        buttons.append(
            Button(
                I18nText("spost-skip"),
                id=f"skip_{name}",
                on_click=leave_out(name, ORDER.next(state)),
            )
        )
    return Window(
        I18nText(f"spost-{key}"),
        Multi(I18nText("spost-current"), when="typed_current"),
        Multi(I18nText("spost-translated"), when="translated"),
        *([choices] if choices else ()),
        Row(*buttons),
        _back_or_cancel(state),
        TextInput(f"{name}_text", on_success=on_text or _typed(name, state), filter=ANSWER),
        MessageInput(_not_an_answer),
        state=state,
        getter=[_current(name), *getter],
    )


_button_step = partial(button_step, _back_or_cancel)


def _numbers(state: State, width: int) -> Group:
    """The numbers offered for a step (`choices`), the one picked kept by the step's name."""
    name = step_name(state)
    return item_list(name, store(name, ORDER.next(state)), width, "choices", type_factory=int)


def _done(state: State) -> Button:
    return Button(
        I18nText("button-next"), id=f"done_{step_name(state)}", on_click=go(ORDER.next(state))
    )


def session_post_dialog() -> Dialog:
    step = PostSession
    return Dialog(
        Window(
            I18nText("spost-kind"),
            item_list("kind", store("kind", ORDER.next(step.kind)), items="choices"),
            Button(I18nText("spost-cancel"), id="cancel_kind", on_click=_cancel),
            buttons_only(),
            state=step.kind,
            getter=_choices(KINDS, lambda i18n, k: i18n.get(f"session-kind-{k}")),
        ),
        _step(step.title_fr, "title_fr"),
        _step(step.title_nl, "title_nl", skip=True, translate=True),
        _step(step.description_fr, "description_fr", skip=True),
        _step(step.description_nl, "description_nl", skip=True, translate=True),
        Window(
            I18nText("spost-day"),
            Multi(I18nText("spost-current"), when="has_current"),
            ProgrammeCalendar("day", on_click=_day_picked),
            Button(
                I18nText("spost-keep"), id="keep_day", on_click=go(step.time), when="has_current"
            ),
            _back_or_cancel(step.day),
            buttons_only(),
            state=step.day,
            getter=_day_getter,
        ),
        _step(
            step.time,
            "time",
            choices=item_list("time", _time_picked, width=4, items="choices"),
            on_text=_time_typed,
            on_keep=_time_kept,
            getter=[_choices(answers.TIMES), _time_day_getter],
        ),
        _step(
            step.duration,
            "duration",
            choices=_numbers(step.duration, 5),
            getter=[
                _choices(answers.DURATIONS, lambda i18n, m: i18n.get("spost-minutes", minutes=m))
            ],
        ),
        _step(step.url, "url"),
        _step(
            step.capacity,
            "capacity",
            choices=_numbers(step.capacity, 4),
            getter=[_choices(answers.CAPACITIES)],
        ),
        _button_step(
            step.territories,
            "spost-territories",
            ticks("terr", width=1),
            _done(step.territories),
            getter=_choices(Territory.ALL, lambda i18n, t: i18n.get(f"territory-{t}")),
        ),
        Window(
            I18nText("spost-occupations"),
            Multi(I18nText("spost-occupations-chosen"), when="has_chosen"),
            item_list("occ_drop", _drop_occupation, items="chosen", label="✖️ {}"),
            Row(
                Button(
                    I18nText("button-next"),
                    id="done_occupations",
                    on_click=go(step.dutch),
                    when="has_chosen",
                ),
                Button(I18nText("spost-occupations-all"), id="occ_all", on_click=_all_occupations),
            ),
            _back_or_cancel(step.occupations),
            TextInput("occ_text", on_success=_search, filter=ANSWER),
            MessageInput(_not_an_answer),
            state=step.occupations,
            getter=_chosen_getter,
        ),
        Window(
            I18nText("spost-occupation-pick"),
            item_list("occ_pick", _add_occupation),
            _back_or_cancel(step.occupation_pick, step.occupations),
            TextInput("occ_again", on_success=_search, filter=ANSWER),
            MessageInput(_not_an_answer),
            state=step.occupation_pick,
            getter=_results_getter,
        ),
        _button_step(
            step.dutch,
            "spost-dutch",
            ticks("levels", width=4),
            _done(step.dutch),
            getter=_choices(CEFR_LEVELS),
        ),
        _button_step(
            step.cutoff,
            "spost-cutoff",
            _numbers(step.cutoff, 1),
            getter=_choices(
                answers.CUTOFFS, lambda i18n, h: i18n.get("spost-cutoff-option", hours=h)
            ),
        ),
        preview_window("spost", step.preview, _publish, step.cutoff, _cancel, _preview_getter),
    )
