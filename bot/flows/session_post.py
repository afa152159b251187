"""Staff create an online session in the bot: one question per message, in the staff member's
language, a way back at every step, a preview of the invitation exactly as participants will
get it and how many it reaches, then publish.

The French title is required; the Dutch one is typed, translated on the spot (bounded wait)
or left out, and Dutch readers then see the French title. Publishing stores the session and
queues its invitations in the same transaction (`sessions.publish`); the outbox sends them,
outside the quiet hours. Times are in the programme's zone (`tz`) and "now" is the bot's
clock (`current_time`), never the system's, so tests can move it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.enums import ChatAction
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Calendar,
    CalendarScope,
    CalendarUserConfig,
    Group,
    Multiselect,
    Row,
    Select,
)
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Format, Multi, Text
from babel.dates import format_date

from bot.db.models import Territory
from bot.flows import session_answers as answers
from bot.flows.widgets import I18nText, buttons_only
from bot.services import reference, sessions, staff
from bot.services.caseload import CEFR_LEVELS
from bot.services.reminders import BABEL_LOCALES

log = logging.getLogger(__name__)

SEARCH_MAX = 100
DAYS_AHEAD = 366  # how far the calendar reaches
TRANSLATE_WAIT_S = 10.0  # the staff member waits on the button: a provider may not hold it
# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = ~F.text.startswith("/")


class NewSession(CallbackData, prefix="spost"):
    """The "create another session" button; its handler sits behind `StaffOnly`."""


class PostSession(StatesGroup):
    kind = State()
    title_fr = State()
    title_nl = State()
    description_fr = State()
    description_nl = State()
    day = State()
    time = State()
    duration = State()
    url = State()
    capacity = State()
    territories = State()
    occupations = State()
    occupation_pick = State()
    dutch = State()
    cutoff = State()
    preview = State()


# The main line of questions; picking an occupation hangs off the step before it.
ORDER = (
    PostSession.kind,
    PostSession.title_fr,
    PostSession.title_nl,
    PostSession.description_fr,
    PostSession.description_nl,
    PostSession.day,
    PostSession.time,
    PostSession.duration,
    PostSession.url,
    PostSession.capacity,
    PostSession.territories,
    PostSession.occupations,
    PostSession.dutch,
    PostSession.cutoff,
    PostSession.preview,
)


def _i18n(manager: DialogManager):
    return manager.middleware_data["i18n"]


def _tz(manager: DialogManager) -> ZoneInfo:
    return manager.middleware_data["tz"]


def _now(manager: DialogManager) -> datetime:
    return manager.middleware_data["current_time"]()


def _today(manager: DialogManager) -> date:
    return _now(manager).astimezone(_tz(manager)).date()


def _next(state: State) -> State:
    return ORDER[ORDER.index(state) + 1]


def _previous(state: State) -> State:
    return ORDER[ORDER.index(state) - 1]


def _local(day: date, pattern: str, manager: DialogManager) -> str:
    """A date in the reader's language, capitalised ("Avril 2026", "Maandag 6 april")."""
    text = format_date(day, pattern, locale=BABEL_LOCALES[_i18n(manager).locale])
    return text[:1].upper() + text[1:]


async def _again(message: Message, manager: DialogManager, text: str) -> None:
    """Say what is wrong, then ask the same question again below it."""
    await message.answer(text)
    manager.show_mode = ShowMode.SEND


async def _forward(manager: DialogManager, state: State) -> None:
    """To the next question: below a typed answer, or in place of the question answered."""
    typed = isinstance(manager.event, Message)
    await manager.switch_to(state, show_mode=ShowMode.SEND if typed else None)


# --- moving through the steps -------------------------------------------------------------


def _typed(name: str, state: State):
    async def on_text(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
        try:
            value = answers.CHECKS[name](text, _i18n(manager))
        except answers.Refused as refusal:
            await _again(message, manager, refusal.text)
            return
        manager.dialog_data[name] = value
        _mark_translated(manager, name, False)
        await _forward(manager, _next(state))

    return on_text


def _store(name: str, state: State):
    async def on_click(_c: CallbackQuery, _w: Any, manager: DialogManager, value: Any) -> None:
        manager.dialog_data[name] = value
        await _forward(manager, _next(state))

    return on_click


def _skip(name: str, state: State):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        manager.dialog_data[name] = None
        await _forward(manager, _next(state))

    return on_click


def _go(state: State):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        await manager.switch_to(state)

    return on_click


async def _not_an_answer(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    """A photo, a sticker... or an unknown command, where a typed answer is expected."""
    i18n = _i18n(manager)
    if message.text:
        text = i18n.get("fallback-command", command=message.text.split()[0][:40])
    else:
        text = i18n.get("spost-type-text")
    await _again(message, manager, text)


async def _cancel(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.done()
    manager.show_mode = ShowMode.SEND
    await callback.message.answer(_i18n(manager).get("spost-cancelled"))


# --- the Dutch texts: typed, translated or left out ---------------------------------------


def _mark_translated(manager: DialogManager, name: str, machine: bool) -> None:
    translated = set(manager.dialog_data.get("translated", ()))
    translated = (translated | {name}) if machine else (translated - {name})
    manager.dialog_data["translated"] = sorted(translated)


def _translate(name: str):
    source = name.replace("_nl", "_fr")

    async def on_click(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        middleware = manager.middleware_data
        i18n = _i18n(manager)
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
            await _again(callback.message, manager, i18n.get("spost-translate-unavailable"))
            return
        try:
            manager.dialog_data[name] = answers.CHECKS[name](translation.text, i18n)
        except answers.Refused as refusal:
            await _again(callback.message, manager, refusal.text)
            return
        # Shown on this step again, to be checked: kept, or replaced by typing a better one.
        _mark_translated(manager, name, True)

    return on_click


# --- day and time -------------------------------------------------------------------------


class _LocalDate(Text):
    """A calendar label in the reader's language (babel), inside `frame`."""

    def __init__(self, pattern: str, frame: str = "{}") -> None:
        super().__init__()
        self.pattern = pattern
        self.frame = frame

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        return self.frame.format(_local(data["date"], self.pattern, manager))


class _DayNumber(Text):
    """A day of the month; today (by the bot's clock, in the programme's zone) in brackets."""

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        day: date = data["date"]
        return f"[{day.day}]" if day == _today(manager) else str(day.day)


class _DaysView(CalendarDaysView):
    """The month's days, without the weeks that are wholly before today (blank buttons)."""

    async def _render_days(self, config, offset, data, manager) -> list:
        rows = await super()._render_days(config, offset, data, manager)
        return [row for row in rows if any(button.text.strip() for button in row)]


class ProgrammeCalendar(Calendar):
    """Days from today to a year ahead, named in the reader's language."""

    def _init_views(self) -> dict:
        month_year = "LLLL y"
        return {
            CalendarScope.DAYS: _DaysView(
                self._item_callback_data,
                date_text=_DayNumber(),
                today_text=_DayNumber(),
                weekday_text=_LocalDate("EEEEEE"),
                header_text=_LocalDate(month_year, "🗓 {}"),
                next_month_text=_LocalDate(month_year, "{} >>"),
                prev_month_text=_LocalDate(month_year, "<< {}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=_LocalDate("LLLL"),
                this_month_text=_LocalDate("LLLL", "[ {} ]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _get_user_config(self, data: dict, manager: DialogManager) -> CalendarUserConfig:
        today = _today(manager)
        return CalendarUserConfig(
            firstweekday=0,  # Monday, in France and Belgium
            timezone=_tz(manager),
            min_date=today,
            max_date=today + timedelta(days=DAYS_AHEAD),
        )

    async def _render_keyboard(self, data: dict, manager: DialogManager):
        # Opens on this month by the bot's clock, and never on a month already over.
        today = _today(manager)
        offset = self.get_offset(manager)
        if offset is None or offset < today.replace(day=1):
            self.set_offset(today, manager)
        return await super()._render_keyboard(data, manager)


async def _day_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, day: date):
    if day < _today(manager):  # a calendar shown before midnight, pressed after it
        await _again(callback.message, manager, _i18n(manager).get("spost-day-past"))
        return
    manager.dialog_data["day"] = day.isoformat()
    await _forward(manager, PostSession.time)


async def _set_time(message: Message, manager: DialogManager, clock_time: str) -> None:
    i18n = _i18n(manager)
    try:
        answers.start_moment(
            manager.dialog_data["day"], clock_time, _tz(manager), _now(manager), i18n
        )
    except answers.Refused as refusal:
        await _again(message, manager, refusal.text)
        return
    manager.dialog_data["time"] = clock_time
    await _forward(manager, _next(PostSession.time))


async def _time_typed(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    try:
        clock_time = answers.CHECKS["time"](text, _i18n(manager))
    except answers.Refused as refusal:
        await _again(message, manager, refusal.text)
        return
    await _set_time(message, manager, clock_time)


async def _time_picked(callback: CallbackQuery, _w: Any, manager: DialogManager, value: str):
    await _set_time(callback.message, manager, value)


async def _time_kept(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    # Checked again: the day may have changed since, or the moment passed.
    await _set_time(callback.message, manager, manager.dialog_data["time"])


# --- occupations: typed, then picked ------------------------------------------------------


async def _search(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    query = " ".join(text.split())[:SEARCH_MAX]
    found = reference.search_occupations(query)
    if not found:
        await _again(message, manager, _i18n(manager).get("spost-occupation-unknown", query=query))
        return
    manager.dialog_data.update(query=query, results=[o.code for o in found])
    await manager.switch_to(PostSession.occupation_pick, show_mode=ShowMode.SEND)


def _labelled(codes: list[str], locale: str) -> list[tuple[str, str]]:
    found = ((code, reference.find_occupation(code)) for code in codes)
    return [(code, o.label(locale) if o else code) for code, o in found]


async def _results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = _i18n(dialog_manager).locale
    return {
        "items": _labelled(dialog_manager.dialog_data["results"], locale),
        "query": dialog_manager.dialog_data["query"],
    }


async def _chosen_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    chosen = _labelled(
        dialog_manager.dialog_data.get("occupations", []), _i18n(dialog_manager).locale
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
    await manager.switch_to(_next(PostSession.occupations))


# --- preview and publishing ---------------------------------------------------------------


def _targets(manager: DialogManager) -> tuple[list[str], list[str]]:
    """The ticked territories and Dutch levels (none ticked: everyone)."""
    return list(manager.find("terr").get_checked()), list(manager.find("levels").get_checked())


async def _preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, tz = _i18n(dialog_manager), _tz(dialog_manager)
    data = dialog_manager.dialog_data
    try:
        starts_at = answers.start_moment(data["day"], data["time"], tz, _now(dialog_manager), i18n)
    except answers.Refused as refusal:  # the moment passed while the preview was open
        return {"card": refusal.text}
    territories, levels = _targets(dialog_manager)
    draft = answers.to_session(data, starts_at, territories, levels)
    # Each participant reads it in their language: the staff member's first, then the other.
    own = i18n.locale
    other = "nl" if own == "fr" else "fr"
    reached = await sessions.audience(dialog_manager.middleware_data["session"], draft)
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
    middleware = manager.middleware_data
    session, i18n, tz, now = middleware["session"], _i18n(manager), _tz(manager), _now(manager)
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
    except answers.Refused as refusal:
        await _again(callback.message, manager, refusal.text)
        await manager.switch_to(PostSession.time, show_mode=ShowMode.SEND)
        return
    territories, levels = _targets(manager)
    programme_session = answers.to_session(data, starts_at, territories, levels, member.id)
    session.add(programme_session)
    await session.flush()
    invited = await sessions.publish(session, programme_session, now, tz)
    log.info(
        "session %s published by staff %s: %s invitations queued",
        programme_session.id,
        member.id,
        invited,
    )
    await manager.done()
    manager.show_mode = ShowMode.SEND
    another = InlineKeyboardButton(
        text=i18n.get("spost-another"), callback_data=NewSession().pack()
    )
    await callback.message.answer(
        i18n.get("spost-published", count=invited),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[another]]),
    )


# --- windows ------------------------------------------------------------------------------


def _current(name: str):
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        data = dialog_manager.dialog_data
        shown = answers.recalled(name, data.get(name), _i18n(dialog_manager))
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
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        i18n = _i18n(dialog_manager)
        return {"choices": [(value, label(i18n, value)) for value in values]}

    return getter


async def _day_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    day = dialog_manager.dialog_data.get("day")
    shown = _local(date.fromisoformat(day), "EEEE d MMMM y", dialog_manager) if day else ""
    return {"current": shown, "has_current": bool(day), "typed_current": bool(day)}


async def _time_day_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    day = date.fromisoformat(dialog_manager.dialog_data["day"])
    return {"day": _local(day, "EEEE d MMMM", dialog_manager).lower()}


def _back(state: State) -> Button:
    step = state.state.rsplit(":", 1)[-1]
    return Button(I18nText("button-back"), id=f"back_to_{step}", on_click=_go(state))


def _back_or_cancel(state: State, back_to: State | None = None) -> Row:
    step = state.state.rsplit(":", 1)[-1]
    return Row(
        _back(back_to or _previous(state)),
        Button(I18nText("spost-cancel"), id=f"cancel_{step}", on_click=_cancel),
    )


def _list(
    widget_id: str, handler, width: int = 1, items: str = "items", type_factory=str, label="{}"
) -> Group:
    return Group(
        Select(
            Format(label.format("{item[1]}")),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items=items,
            on_click=handler,
            type_factory=type_factory,
        ),
        width=width,
    )


def _ticks(widget_id: str, width: int) -> Group:
    return Group(
        Multiselect(
            Format("✅ {item[1]}"),
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items="choices",
        ),
        width=width,
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
            on_click=on_keep or _go(_next(state)),
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
            Button(I18nText("spost-skip"), id=f"skip_{name}", on_click=_skip(name, state))
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


def _button_step(state: State, key: str, *widgets: Any, back: State | None = None, getter=None):
    """A question answered with buttons; typing gets a hint and the question again."""
    return Window(
        I18nText(key),
        *widgets,
        _back_or_cancel(state, back),
        buttons_only(),
        state=state,
        getter=getter,
    )


def _done(state: State) -> Button:
    step = state.state.rsplit(":", 1)[-1]
    return Button(I18nText("button-next"), id=f"done_{step}", on_click=_go(_next(state)))


def session_post_dialog() -> Dialog:
    step = PostSession
    return Dialog(
        Window(
            I18nText("spost-kind"),
            _list("kind", _store("kind", step.kind), items="choices"),
            Button(I18nText("spost-cancel"), id="cancel_kind", on_click=_cancel),
            buttons_only(),
            state=step.kind,
            getter=_choices(sessions.KINDS, lambda i18n, k: i18n.get(f"session-kind-{k}")),
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
                I18nText("spost-keep"), id="keep_day", on_click=_go(step.time), when="has_current"
            ),
            _back_or_cancel(step.day),
            buttons_only(),
            state=step.day,
            getter=_day_getter,
        ),
        _step(
            step.time,
            "time",
            choices=_list("time", _time_picked, width=4, items="choices"),
            on_text=_time_typed,
            on_keep=_time_kept,
            getter=[_choices(answers.TIMES), _time_day_getter],
        ),
        _step(
            step.duration,
            "duration",
            choices=_list(
                "duration", _store("duration", step.duration), 5, "choices", type_factory=int
            ),
            getter=[
                _choices(answers.DURATIONS, lambda i18n, m: i18n.get("spost-minutes", minutes=m))
            ],
        ),
        _step(step.url, "url"),
        _step(
            step.capacity,
            "capacity",
            choices=_list(
                "capacity", _store("capacity", step.capacity), 4, "choices", type_factory=int
            ),
            getter=[_choices(answers.CAPACITIES)],
        ),
        _button_step(
            step.territories,
            "spost-territories",
            _ticks("terr", width=1),
            _done(step.territories),
            getter=_choices(Territory.ALL, lambda i18n, t: i18n.get(f"territory-{t}")),
        ),
        Window(
            I18nText("spost-occupations"),
            Multi(I18nText("spost-occupations-chosen"), when="has_chosen"),
            _list("occ_drop", _drop_occupation, items="chosen", label="✖️ {}"),
            Row(
                Button(
                    I18nText("button-next"),
                    id="done_occupations",
                    on_click=_go(step.dutch),
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
            _list("occ_pick", _add_occupation),
            _back_or_cancel(step.occupation_pick, step.occupations),
            TextInput("occ_again", on_success=_search, filter=ANSWER),
            MessageInput(_not_an_answer),
            state=step.occupation_pick,
            getter=_results_getter,
        ),
        _button_step(
            step.dutch,
            "spost-dutch",
            _ticks("levels", width=4),
            _done(step.dutch),
            getter=_choices(CEFR_LEVELS),
        ),
        _button_step(
            step.cutoff,
            "spost-cutoff",
            _list("cutoff", _store("cutoff", step.cutoff), 1, "choices", type_factory=int),
            getter=_choices(
                answers.CUTOFFS, lambda i18n, h: i18n.get("spost-cutoff-option", hours=h)
            ),
        ),
        Window(
            Multi(I18nText("spost-preview"), Format("{card}"), sep="\n\n"),
            Button(I18nText("spost-publish"), id="publish", on_click=_publish),
            Row(
                Button(I18nText("spost-edit"), id="edit", on_click=_go(step.cutoff)),
                Button(I18nText("spost-cancel"), id="cancel_preview", on_click=_cancel),
            ),
            buttons_only(),
            state=step.preview,
            getter=_preview_getter,
        ),
    )


async def start_session_post(manager: DialogManager) -> None:
    await manager.start(PostSession.kind, mode=StartMode.RESET_STACK)
