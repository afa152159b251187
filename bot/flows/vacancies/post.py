"""Staff post a vacancy in the bot: one question per message, in the staff member's language,
a way back at every step, a preview of the card participants will get, then publish.

The answers are held to `check_vacancy`, the rules a file import meets, before the preview
and again on publishing (see `bot.flows.vacancies.answers`). Publishing only stores the
vacancy: the background pipeline (`VacancyJobs.pipeline`, every outbox tick) translates it
and queues the alerts, so the staff member never waits for a translation provider.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.text import Multi

from bot.common import reference
from bot.db.models import Contract, Schedule
from bot.flows.common.states import NewVacancy, PostVacancy
from bot.flows.common.steps import (
    SEARCH_MAX,
    Order,
    again,
    back_button,
    button_step,
    cancel,
    choices,
    finish,
    go,
    i18n_of,
    item_list,
    leave_out,
    not_an_answer,
    occupation_search,
    preview_window,
    programme_today,
    store,
    ticks,
    typed,
)
from bot.flows.common.widgets import I18nText, buttons_only
from bot.flows.vacancies import answers
from bot.services.staff import members as staff
from bot.services.staff import rights
from bot.services.vacancies import matches
from bot.services.vacancies.offers import CEFR_LEVELS, find_vacancy, new_external_id, save_vacancy

log = logging.getLogger(__name__)

# A command is never an answer (a known one is handled before the dialog is reached).
ANSWER = ~F.text.startswith("/")
PREVIEW_ID = "preview"


# The main line of questions; the two "pick" steps hang off the one before them.
ORDER = Order(PostVacancy, PostVacancy.occupation_pick, PostVacancy.place_pick)


# --- moving through the steps -------------------------------------------------------------


def _typed(name: str, state: State):
    def check(text: str, manager: DialogManager) -> Any:
        return answers.CHECKS[name](text, i18n_of(manager), programme_today(manager))

    return typed(name, ORDER.next(state), check)


_not_an_answer = not_an_answer("vpost-type-text")
_cancel = cancel("vpost-cancelled")


async def _licence(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["driving_licence"] = button.widget_id == "licence_yes"
    await manager.switch_to(ORDER.next(PostVacancy.licence))


async def _schedule_done(callback: CallbackQuery, button: Button, manager: DialogManager):
    if button.widget_id == "sched_none":
        await manager.find("sched").reset_checked()
    await manager.switch_to(ORDER.next(PostVacancy.schedule))


# --- occupation and place: typed, then picked --------------------------------------------


_search = occupation_search("vpost-occupation-unknown", PostVacancy.occupation_pick)


async def _results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = i18n_of(dialog_manager).locale
    found = [reference.find_occupation(code) for code in dialog_manager.dialog_data["results"]]
    return {
        "items": [(o.code, o.label(locale)) for o in found if o],
        "query": dialog_manager.dialog_data["query"],
    }


async def _place(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    query = " ".join(text.split())[:SEARCH_MAX]
    places = [
        answers.place_answer(p)
        for p in reference.find_place_by_postcode(query) or reference.find_place(query)
    ]
    if not places:
        await again(message, manager, i18n_of(manager).get("vpost-place-unknown", query=query))
        return
    if len(places) == 1:
        manager.dialog_data["place"] = places[0]
        await manager.switch_to(PostVacancy.dutch, show_mode=ShowMode.SEND)
        return
    # A postcode serving several communes, or a name several communes share (Comines).
    manager.dialog_data["places"] = places
    await manager.switch_to(PostVacancy.place_pick, show_mode=ShowMode.SEND)


async def _places_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    places = dialog_manager.dialog_data["places"]
    return {"items": [(n, answers.recalled("place", p, i18n)) for n, p in enumerate(places)]}


async def _place_picked(_c: CallbackQuery, _w: Any, manager: DialogManager, index: str):
    manager.dialog_data["place"] = manager.dialog_data["places"][int(index)]
    await manager.switch_to(PostVacancy.dutch)


# --- what is shown ------------------------------------------------------------------------


def _current(name: str):
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        shown = answers.recalled(
            name, dialog_manager.dialog_data.get(name), i18n_of(dialog_manager)
        )
        return {"current": shown or "", "has_current": shown is not None}

    return getter


def _draft(manager: DialogManager, external_id: str):
    schedule = list(manager.find("sched").get_checked())
    return answers.to_draft(manager.dialog_data, schedule, external_id, programme_today(manager))


async def _preview_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    draft, problems = _draft(dialog_manager, PREVIEW_ID)
    if draft is None:  # each step checks its answer, so a rule was missed: say which
        return {"card": i18n.get("vpost-problems", problems="; ".join(problems))}
    middleware = dialog_manager.middleware_data
    card = await answers.preview_cards(draft, i18n, middleware["session"], middleware["translator"])
    return {"card": card}


async def _publish(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    middleware = manager.middleware_data
    i18n = i18n_of(manager)
    # Checked again on the server: the person may have left the team since the first step.
    member = await staff.staff_by_telegram_id(middleware["session"], callback.from_user.id)
    if member is None:
        log.warning("vacancy publishing refused for user id %s", callback.from_user.id)
        await callback.answer(i18n.get("staff-only"), show_alert=True)
        await manager.done()
        return
    external_id = new_external_id()
    draft, problems = _draft(manager, external_id)
    if draft is None:
        await again(
            callback.message, manager, i18n.get("vpost-problems", problems="; ".join(problems))
        )
        await manager.switch_to(PostVacancy.url, show_mode=ShowMode.SEND)
        return
    # Committed with the update; the pipeline translates and matches it on its next tick.
    session = middleware["session"]
    await save_vacancy(session, draft, posted_by=member.id)
    log.info("vacancy %s posted by staff %s", external_id, member.id)
    # Who it fits, at once: the counsellor's view over the caseload the bot keeps indexed.
    vacancy = await find_vacancy(session, external_id)
    fits = await matches.followed_matches(
        session, vacancy, programme_today(manager), middleware["followed_index"]
    )
    if not rights.everywhere(member):  # a CET is told of their territory's people only
        fits = await matches.within(session, fits, rights.territories_of(member))
    published = i18n.get(
        "vpost-published",
        id=external_id,
        fits=len(fits),
        telegram=sum(1 for fit in fits if fit.on_telegram),
    )
    await finish(callback, manager, published, i18n.get("vpost-another"), NewVacancy())


# --- windows ------------------------------------------------------------------------------


async def _language(_c: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["lang"] = button.widget_id
    await manager.switch_to(PostVacancy.title)


def _text_step(state: State, name: str, handler=None, skip: bool = False) -> Window:
    """A question answered by typing. After going back, the answer given is recalled and
    "Keep" steps over it; an optional step has "Skip"."""
    skipping = [
        Button(
            I18nText("vpost-skip"), id=f"skip_{name}", on_click=leave_out(name, ORDER.next(state))
        )
    ]
    return Window(
        I18nText(f"vpost-{name}"),
        Multi(I18nText("vpost-current"), when="has_current"),
        Row(
            Button(
                I18nText("vpost-keep"),
                id=f"keep_{name}",
                on_click=go(ORDER.next(state)),
                when="has_current",
            ),
            *(skipping if skip else ()),
        ),
        _back(state),
        TextInput(f"{name}_text", on_success=handler or _typed(name, state), filter=ANSWER),
        MessageInput(_not_an_answer),
        state=state,
        getter=_current(name),
    )


def _back(state: State, back_to: State | None = None) -> Button:
    return back_button(back_to or ORDER.previous(state))


_button_step = partial(button_step, _back)


def _label(prefix: str):
    return lambda i18n, value: i18n.get(f"{prefix}-{value}")


def vacancy_post_dialog() -> Dialog:
    step = PostVacancy
    return Dialog(
        Window(
            I18nText("vpost-lang"),
            Row(
                Button(I18nText("vpost-lang-nl"), id="nl", on_click=_language),
                Button(I18nText("vpost-lang-fr"), id="fr", on_click=_language),
            ),
            Button(I18nText("vpost-cancel"), id="cancel_first", on_click=_cancel),
            buttons_only(),
            state=step.lang,
        ),
        _text_step(step.title, "title"),
        _text_step(step.employer, "employer"),
        _text_step(step.occupation, "occupation", _search),
        Window(
            I18nText("vpost-occupation-pick"),
            item_list("occ", store("occupation", ORDER.next(step.occupation))),
            back_button(step.occupation),
            TextInput("occ_again", on_success=_search, filter=ANSWER),
            MessageInput(_not_an_answer),
            state=step.occupation_pick,
            getter=_results_getter,
        ),
        _text_step(step.place, "place", _place),
        _button_step(
            step.place_pick,
            "vpost-place-pick",
            item_list("commune", _place_picked),
            back=step.place,
            getter=_places_getter,
        ),
        _button_step(
            step.dutch,
            "vpost-dutch",
            item_list("level", store("dutch_level", ORDER.next(step.dutch)), width=4),
            getter=choices(CEFR_LEVELS, lambda i18n, v: i18n.get("vpost-dutch-level", level=v)),
        ),
        _button_step(
            step.licence,
            "vpost-licence",
            Row(
                Button(I18nText("button-yes"), id="licence_yes", on_click=_licence),
                Button(I18nText("button-no"), id="licence_no", on_click=_licence),
            ),
        ),
        _button_step(
            step.contract,
            "vpost-contract",
            item_list("contract", store("contract", ORDER.next(step.contract))),
            getter=choices(Contract.ALL, _label("contract")),
        ),
        _button_step(
            step.schedule,
            "vpost-schedule",
            ticks("sched", width=2, items="items"),
            Button(I18nText("button-next"), id="sched_next", on_click=_schedule_done),
            Button(I18nText("vpost-schedule-none"), id="sched_none", on_click=_schedule_done),
            # The words participants pick their own availability with, so both sides match.
            getter=choices(Schedule.ALL, _label("availability")),
        ),
        _text_step(step.hours, "hours", skip=True),
        _text_step(step.expires, "expires", skip=True),
        _text_step(step.description, "description", skip=True),
        _text_step(step.url, "url", skip=True),
        preview_window("vpost", step.preview, _publish, step.url, _cancel, _preview_getter),
    )
