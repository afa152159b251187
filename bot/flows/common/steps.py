"""The steps the staff flows (`session_post`, `vacancy_post`) are made of: one question per
message, a way back at every step, "Cancel", a typed answer checked (and asked again with
what is wrong), buttons to pick from, an occupation searched then picked, and the preview
with "Publish". What differs between the flows (their Fluent keys, their order of questions)
is a parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Multiselect, Row, Select
from aiogram_dialog.widgets.text import Format, Multi

from bot.common import reference
from bot.common.clock import today_in
from bot.flows.common.answers import Refused
from bot.flows.common.widgets import I18nText, buttons_only

SEARCH_MAX = 100


def i18n_of(manager: DialogManager):
    return manager.middleware_data["i18n"]


def programme_tz(manager: DialogManager) -> ZoneInfo:
    return manager.middleware_data["tz"]


def bot_now(manager: DialogManager) -> datetime:
    """Now by the bot's clock (`current_time`), never the system's, so tests can move it."""
    return manager.middleware_data["current_time"]()


def programme_today(manager: DialogManager) -> date:
    """Today in the programme's time zone, by the bot's clock."""
    return today_in(programme_tz(manager), bot_now(manager))


class Order:
    """A flow's main line of questions: its states in the order they are declared, but for
    the steps that hang off another (`aside`, such as picking from what was searched)."""

    def __init__(self, group: type[StatesGroup], *aside: State) -> None:
        self.states = tuple(state for state in group.__states__ if state not in aside)

    def next(self, state: State) -> State:
        return self.states[self.states.index(state) + 1]

    def previous(self, state: State) -> State:
        return self.states[self.states.index(state) - 1]


def step_name(state: State) -> str:
    return state.state.rsplit(":", 1)[-1]


async def again(message: Message, manager: DialogManager, text: str) -> None:
    """Say what is wrong, then ask the same question again below it."""
    await message.answer(text)
    manager.show_mode = ShowMode.SEND


# --- moving through the steps -------------------------------------------------------------


async def forward(manager: DialogManager, state: State) -> None:
    """To the question `state`: below a typed answer, or in place of the question answered."""
    typed = isinstance(manager.event, Message)
    await manager.switch_to(state, show_mode=ShowMode.SEND if typed else None)


def typed(
    name: str,
    to: State,
    check: Callable[[str, DialogManager], Any],
    stored: Callable[[DialogManager, str], None] | None = None,
):
    """A typed answer kept as `name` when `check(text, manager)` takes it (then `stored` is
    told), and the question `to` below it; else the same question again."""

    async def on_text(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
        try:
            value = check(text, manager)
        except Refused as refusal:
            await again(message, manager, refusal.text)
            return
        manager.dialog_data[name] = value
        if stored is not None:
            stored(manager, name)
        await manager.switch_to(to, show_mode=ShowMode.SEND)

    return on_text


def store(name: str, to: State):
    """An item picked from a list, kept as `name`; then the question `to`."""

    async def on_click(_c: CallbackQuery, _w: Any, manager: DialogManager, value: Any) -> None:
        manager.dialog_data[name] = value
        await manager.switch_to(to)

    return on_click


def leave_out(name: str, to: State):
    """An optional answer left out; then the question `to`."""

    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        manager.dialog_data[name] = None
        await manager.switch_to(to)

    return on_click


def go(state: State):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        await manager.switch_to(state)

    return on_click


def not_an_answer(type_text_key: str):
    """Where a typed answer is expected: a photo, a sticker... gets `type_text_key`, an
    unknown command is named, and the question comes again."""

    async def on_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
        i18n = i18n_of(manager)
        if message.text:
            text = i18n.get("fallback-command", command=message.text.split()[0][:40])
        else:
            text = i18n.get(type_text_key)
        await again(message, manager, text)

    return on_message


def cancel(cancelled_key: str):
    """Leave the flow, saying so (`cancelled_key`) in a new message."""

    async def on_click(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        await manager.done()
        manager.show_mode = ShowMode.SEND
        await callback.message.answer(i18n_of(manager).get(cancelled_key))

    return on_click


def occupation_search(unknown_key: str, pick: State):
    """Occupations matching the text typed, to be picked on the step `pick`; none: the text
    is quoted with `unknown_key` and the question comes again."""

    async def on_text(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
        query = " ".join(text.split())[:SEARCH_MAX]
        found = reference.search_occupations(query)
        if not found:
            await again(message, manager, i18n_of(manager).get(unknown_key, query=query))
            return
        manager.dialog_data.update(query=query, results=[o.code for o in found])
        await manager.switch_to(pick, show_mode=ShowMode.SEND)

    return on_text


async def finish(
    callback: CallbackQuery,
    manager: DialogManager,
    text: str,
    another: str,
    again_data: CallbackData,
) -> None:
    """Leave the flow with `text` in a new message, under it a button (`another`) that
    starts it again (`again_data`)."""
    await manager.done()
    manager.show_mode = ShowMode.SEND
    button = InlineKeyboardButton(text=another, callback_data=again_data.pack())
    await callback.message.answer(
        text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
    )


# --- widgets ------------------------------------------------------------------------------


def back_button(state: State) -> Button:
    return Button(I18nText("button-back"), id=f"back_to_{step_name(state)}", on_click=go(state))


def button_step(
    way_back: Callable[[State, State | None], Any],
    state: State,
    key: str,
    *widgets: Any,
    back: State | None = None,
    getter=None,
) -> Window:
    """A question (`key`) answered with buttons (`widgets`), under them the flow's
    `way_back(state, back)` (to `back`, else to the step before); typing gets a hint and the
    question again. Each flow binds its own way back once (`partial`)."""
    return Window(
        I18nText(key), *widgets, way_back(state, back), buttons_only(), state=state, getter=getter
    )


def item_list(
    widget_id: str, handler, width: int = 1, items: str = "items", type_factory=str, label="{}"
) -> Group:
    """Buttons, one per (id, text) item of the getter's `items`."""
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


def ticks(widget_id: str, width: int, items: str = "choices") -> Group:
    """Buttons to tick, one per (id, text) item of the getter's `items`."""
    return Group(
        Multiselect(
            Format("✅ {item[1]}"),
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda item: item[0],
            items=items,
        ),
        width=width,
    )


def choices(values: tuple, label: Callable[[Any, Any], str], key: str = "items"):
    """A getter of (value, `label(i18n, value)`) pairs as `key`."""

    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        i18n = i18n_of(dialog_manager)
        return {key: [(value, label(i18n, value)) for value in values]}

    return getter


def preview_window(prefix: str, state: State, on_publish, edit: State, on_cancel, getter) -> Window:
    """What will be published (`card`, from the getter), with "Publish", "Edit" (back to the
    step `edit`) and "Cancel"; the texts are `<prefix>-preview`, `<prefix>-publish`..."""
    return Window(
        Multi(I18nText(f"{prefix}-preview"), Format("{card}"), sep="\n\n"),
        Button(I18nText(f"{prefix}-publish"), id="publish", on_click=on_publish),
        Row(
            Button(I18nText(f"{prefix}-edit"), id="edit", on_click=go(edit)),
            Button(I18nText(f"{prefix}-cancel"), id="cancel_preview", on_click=on_cancel),
        ),
        buttons_only(),
        state=state,
        getter=getter,
    )
