"""A participant says "🎉 I found a job!": the employer (or skip), the start date (this week,
next week, typed, or skip), then their counsellor is asked to confirm (`outcomes.report_job`
queues the message with its ✅/✏️ buttons). Back from the date, out from the employer."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from aiogram import F
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button

from bot.flows.common.keyboards import main_menu
from bot.flows.common.steps import again, back_button, bot_now, go, i18n_of, not_an_answer
from bot.flows.common.steps import programme_today as today
from bot.flows.common.widgets import I18nText
from bot.services.outcomes import records as outcomes
from bot.services.participants import counsellors
from bot.services.participants import people as participants

log = logging.getLogger(__name__)

# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = F.text & ~F.text.startswith("/")


class FoundJob(StatesGroup):
    employer = State()
    start_date = State()


async def _say(manager: DialogManager, event: Message | CallbackQuery, key: str) -> None:
    """Leave the dialog with `key` and the menu, in a new message."""
    await manager.done()
    manager.show_mode = ShowMode.SEND
    message = event.message if isinstance(event, CallbackQuery) else event
    i18n = i18n_of(manager)
    await message.answer(i18n.get(key), reply_markup=main_menu(i18n))


async def _quit(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await _say(manager, callback, "out-found-cancelled")


async def _employer(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    employer = outcomes.valid_text(text, outcomes.EMPLOYER_MAX)
    if employer is None:
        await again(message, manager, i18n_of(manager).get("out-wrong-employer"))
        return
    manager.dialog_data["employer"] = employer
    await manager.switch_to(FoundJob.start_date, show_mode=ShowMode.SEND)


async def _typed_day(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    day = outcomes.parse_day(text, today(manager))
    if day is None:
        await again(message, manager, i18n_of(manager).get("out-wrong-date"))
        return
    await _report(message, manager, day)


def _day(which: str):
    """This week (today), next week (next Monday), or skipped (None)."""

    async def on_click(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        now = today(manager)
        day = {"week": now, "next": now + timedelta(days=7 - now.weekday())}.get(which)
        await _report(callback, manager, day)

    return on_click


async def _report(event: Message | CallbackQuery, manager: DialogManager, day: date | None):
    session = manager.middleware_data["session"]
    participant = await participants.participant_of(session, manager.middleware_data["user"])
    if participant is None:  # erased meanwhile
        await _say(manager, event, "out-expired")
        return
    employer = manager.dialog_data.get("employer")
    outcome, told = await outcomes.report_job(session, participant, employer, day, bot_now(manager))
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
    await _say(manager, event, key)


def found_job_dialog() -> Dialog:
    step = FoundJob
    return Dialog(
        Window(
            I18nText("out-found-ask-employer"),
            Button(I18nText("out-skip"), id="skip_employer", on_click=go(step.start_date)),
            Button(I18nText("out-cancel"), id="quit", on_click=_quit),
            TextInput("employer", on_success=_employer, filter=ANSWER),
            MessageInput(not_an_answer("out-type-text")),
            state=step.employer,
        ),
        Window(
            I18nText("out-found-ask-start"),
            Button(I18nText("out-found-this-week"), id="week", on_click=_day("week")),
            Button(I18nText("out-found-next-week"), id="next", on_click=_day("next")),
            Button(I18nText("out-skip"), id="skip_start", on_click=_day("skip")),
            back_button(step.employer),
            TextInput("start", on_success=_typed_day, filter=ANSWER),
            MessageInput(not_an_answer("out-type-text")),
            state=step.start_date,
        ),
    )
