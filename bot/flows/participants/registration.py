"""Registration: consent first, then one question per message, buttons, a way back at every
step. Answers live in the dialog (conversation state) and are stored only at the end, with
the consent (DESIGN.md §2.4-2.5). As few taps as the answers allow: Telegram's first name
when it is one, one tap for the occupation a search surely found, licence and car together.

Start data: {"territory": code, "counsellor_id": id} when the person came by a referral link.
"""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, MessageInput, TextInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Column,
    Group,
    Multiselect,
    RequestLocation,
    Row,
    Select,
)
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Format

from bot.common import reference
from bot.flows.common.keyboards import main_menu
from bot.flows.common.states import Registration, start_contacts
from bot.flows.common.widgets import I18nText, buttons_only
from bot.services.participants import counsellors
from bot.services.participants import people as participants
from bot.services.participants.people import (
    ALERT_MODES,
    AVAILABILITY,
    COMMUTE_KM,
    DUTCH_LEVELS,
    Answers,
)

TERRITORIES = ("LRT", "FM", "WAPI")
SEARCH_MAX = 100


def _i18n(manager: DialogManager):
    return manager.middleware_data["i18n"]


def _occupation_label(manager: DialogManager, occupation) -> str:
    return occupation.label_nl if _i18n(manager).locale == "nl" else occupation.label_fr


# --- editing one field of the profile -------------------------------------------------

# Profile field -> (first step, the answers it sets).
EDITABLE = {
    "name": (Registration.name, ("first_name",)),
    "territory": (Registration.territory, ("territory",)),
    "occupations": (Registration.occupations, ("occupations",)),
    "dutch": (Registration.dutch, ("dutch_level",)),
    "transport": (Registration.transport, ("driving_licence", "has_car")),
    "commute": (Registration.commute, ("max_commute_km",)),
    "home": (Registration.home, ("home_postcode", "home_lat", "home_lon")),
    "availability": (Registration.availability, ("availability",)),
    "alerts": (Registration.alerts, ("alert_mode",)),
}


def _editing(manager: DialogManager) -> str | None:
    return (manager.start_data or {}).get("edit")


async def _advance(manager: DialogManager, next_state: State, show_mode=None) -> None:
    """The next question; when editing one field, its answer is saved instead."""
    if _editing(manager):
        await _save_edit(manager)
    else:
        await manager.switch_to(next_state, show_mode=show_mode)


async def _save_edit(manager: DialogManager) -> None:
    middleware = manager.middleware_data
    _, names = EDITABLE[_editing(manager)]
    values = {name: manager.dialog_data.get(name) for name in names}
    participant = await participants.participant_of(middleware["session"], middleware["user"])
    await participants.update_profile(middleware["session"], participant, values)
    await _show_profile(manager)


async def show_profile(manager: DialogManager) -> None:
    """The profile card, below, once the dialog is closed (the way back of its sub-screens)."""
    await _show_profile(manager)


async def _show_profile(manager: DialogManager) -> None:
    middleware = manager.middleware_data
    participant = await participants.participant_of(middleware["session"], middleware["user"])
    await manager.done()
    manager.show_mode = ShowMode.SEND
    i18n = _i18n(manager)
    card = profile_card(i18n, participants.profile_fields(participant))
    await middleware["bot"].send_message(
        middleware["event_chat"].id,
        f"{i18n.get('profile-title')}\n{card}",
        reply_markup=profile_keyboard(i18n),
    )


def _back_to(state: State):
    """A way back: the previous question, or out of the edit back to the profile."""

    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        if _editing(manager):
            await _show_profile(manager)
        else:
            await manager.switch_to(state)

    return on_click


async def _consented(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """The Telegram first name is used when it is one (said, with how to change it);
    otherwise the name is asked."""
    name = participants.valid_first_name(callback.from_user.first_name or "")
    manager.dialog_data["asked_name"] = name is None
    if name is None:
        await manager.switch_to(Registration.name)
        return
    await callback.message.answer(_i18n(manager).get("reg-name-kept", name=name))
    await _set_name(manager, name, ShowMode.SEND)


async def _on_start(start_data: Any, manager: DialogManager) -> None:
    """Editing starts from the stored profile, so lists show what was chosen before."""
    if not (start_data or {}).get("edit"):
        return
    middleware = manager.middleware_data
    participant = await participants.participant_of(middleware["session"], middleware["user"])
    fields = participants.profile_fields(participant)
    manager.dialog_data.update(fields)
    for code in fields["occupations"]:
        await manager.find("occ").set_checked(code, True)
    for value in fields["availability"]:
        await manager.find("avail").set_checked(value, True)


CONTACTS = "contacts"  # "📱 My phone and e-mail" (`bot.flows.participants.contacts`)


def profile_keyboard(i18n) -> InlineKeyboardMarkup:
    """Two buttons a row, one per field that can be changed; the phone and e-mail last."""
    builder = InlineKeyboardBuilder()
    for field in (*EDITABLE, CONTACTS):
        builder.button(
            text=i18n.get(f"profile-edit-{field}"), callback_data=ProfileEdit(field=field)
        )
    return builder.adjust(2).as_markup()


class ProfileEdit(CallbackData, prefix="edit"):
    field: str


async def start_edit(manager: DialogManager, field: str) -> bool:
    """False for a field that does not exist (an old or forged button)."""
    if field == CONTACTS:
        await start_contacts(manager)
        return True
    if field not in EDITABLE:
        return False
    state, _ = EDITABLE[field]
    await manager.start(state, mode=StartMode.RESET_STACK, data={"edit": field})
    return True


# --- consent and name -------------------------------------------------------------------


async def _declined(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    i18n = _i18n(manager)
    await manager.done()
    manager.show_mode = ShowMode.SEND
    await callback.message.answer(i18n.get("reg-consent-declined"), reply_markup=main_menu(i18n))


async def _name_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    sender = dialog_manager.middleware_data["event_from_user"]
    return {"name": participants.valid_first_name(sender.first_name or "") or ""}


async def _keep_name(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    name = participants.valid_first_name(callback.from_user.first_name or "")
    await _set_name(manager, name)


async def _typed_name(message: Message, _w: ManagedTextInput, manager: DialogManager, name: str):
    await _set_name(manager, name)


async def _bad_name(message: Message, _w: ManagedTextInput, manager: DialogManager, _e) -> None:
    await message.answer(_i18n(manager).get("reg-name-invalid"))


def _name_type(text: str) -> str:
    name = participants.valid_first_name(text)
    if name is None:
        raise ValueError("not a first name")
    return name


async def _set_name(manager: DialogManager, name: str | None, show_mode=None) -> None:
    if not name:
        await manager.switch_to(Registration.name)
        return
    manager.dialog_data["first_name"] = name
    preset = (manager.start_data or {}).get("territory")
    if _editing(manager):
        await _save_edit(manager)
    elif preset:
        manager.dialog_data["territory"] = preset
        await manager.switch_to(Registration.occupations, show_mode=show_mode)
    else:
        await manager.switch_to(Registration.territory, show_mode=show_mode)


async def _back_from_territory(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    """Back to the name when it was asked, else to the consent."""
    if _editing(manager):
        await _show_profile(manager)
    elif manager.dialog_data.get("asked_name"):
        await manager.switch_to(Registration.name)
    else:
        await manager.switch_to(Registration.consent)


async def _territory(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["territory"] = button.widget_id
    await _advance(manager, Registration.occupations)


# --- occupations --------------------------------------------------------------------------


def _chosen(manager: DialogManager) -> list[str]:
    return list(manager.find("occ").get_checked())


async def _occupations_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = _i18n(dialog_manager)
    chosen = [reference.find_occupation(code) for code in _chosen(dialog_manager)]
    labels = ", ".join(_occupation_label(dialog_manager, o) for o in chosen if o)
    sectors = sorted({o.sector for o in reference.load_occupations()})
    return {
        "chosen": labels or i18n.get("reg-occupations-none"),
        "sectors": [(slug, i18n.get(f"sector-{slug}")) for slug in sectors],
        "has_choice": bool(chosen),
    }


async def _pick_sector(_c: CallbackQuery, _w: Any, manager: DialogManager, slug: str) -> None:
    manager.dialog_data["sector"] = slug
    await manager.switch_to(Registration.sector)


async def _sector_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    slug = dialog_manager.dialog_data.get("sector")
    items = [
        (o.code, _occupation_label(dialog_manager, o))
        for o in reference.load_occupations()
        if o.sector == slug
    ]
    return {"items": items}


async def _searched(message: Message, _w: ManagedTextInput, manager: DialogManager, query: str):
    query = query[:SEARCH_MAX]
    found = reference.search_occupations(query)
    i18n = _i18n(manager)
    if not found:
        await message.answer(i18n.get("reg-occupations-not-found", query=query))
        manager.show_mode = ShowMode.SEND
        return
    best = reference.clear_best(query, found)
    manager.dialog_data.update(
        query=query, results=[o.code for o in found], best=best.code if best else None
    )
    await manager.switch_to(Registration.search, show_mode=ShowMode.SEND)


async def _search_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What was found; the one the search surely meant (`best`) gets a button of its own
    that takes it and moves on, the others can be ticked."""
    data = dialog_manager.dialog_data
    best = reference.find_occupation(data["best"]) if data.get("best") else None
    others = [
        reference.find_occupation(code) for code in data["results"] if code != data.get("best")
    ]
    items = [(o.code, _occupation_label(dialog_manager, o)) for o in others if o]
    chosen = bool(_chosen(dialog_manager))
    return {
        "items": items,
        "query": data.get("query", ""),
        "best": _occupation_label(dialog_manager, best) if best else "",
        "more": bool(best and items),
        "show_done": chosen or best is None,
    }


def _without_best(data: dict, _widget: Any, _manager: DialogManager) -> bool:
    return not data.get("best")


async def _confirm_best(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.find("occ").set_checked(manager.dialog_data["best"], True)
    manager.dialog_data["occupations"] = _chosen(manager)
    await _advance(manager, Registration.dutch)


async def _to_sectors(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(Registration.occupations)


async def _occupations_done(callback: CallbackQuery, _b: Button, manager: DialogManager):
    if not _chosen(manager):
        await callback.answer(_i18n(manager).get("reg-occupations-need-one"), show_alert=True)
        return
    manager.dialog_data["occupations"] = _chosen(manager)
    await _advance(manager, Registration.dutch)


# --- the other questions ----------------------------------------------------------------


def _choice_getter(prefix: str, values: tuple) -> Any:
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        i18n = _i18n(dialog_manager)
        if prefix == "commute":
            return {"items": [(str(v), i18n.get("commute-km", km=v)) for v in values]}
        return {"items": [(str(v), i18n.get(f"{prefix}-{v}")) for v in values]}

    return getter


def _store(name: str, next_state: State, convert=str):
    async def on_click(_c: CallbackQuery, _w: Any, manager: DialogManager, value: str) -> None:
        manager.dialog_data[name] = convert(value)
        await _advance(manager, next_state)

    return on_click


# Licence and car, one question with three answers: button id -> (text, licence, car).
TRANSPORT = {
    "transport_car": ("transport-car", True, True),
    "transport_licence": ("transport-licence", True, False),
    "transport_none": ("transport-none", False, False),
}


async def _transport(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    _, licence, car = TRANSPORT[button.widget_id]
    manager.dialog_data.update(driving_licence=licence, has_car=car)
    await _advance(manager, Registration.commute)


async def _close_reply_keyboard(manager: DialogManager, text: str) -> None:
    """Leave the home step's reply keyboard ("share my location") with `text`, which
    carries its removal; the dialog forgets that step's message, so the next question comes
    below instead of aiogram-dialog's bare "..." removing the keyboard."""
    middleware = manager.middleware_data
    await middleware["bot"].send_message(
        middleware["event_chat"].id, text, reply_markup=ReplyKeyboardRemove()
    )
    stack = manager.current_stack()
    stack.last_message_id = None
    stack.last_reply_keyboard = False


async def _home_at(manager: DialogManager, place: reference.Place | None) -> None:
    """Home is known: say which town it is, then the next question."""
    i18n = _i18n(manager)
    if place is None:
        noted = i18n.get("reg-home-noted-point")
    else:
        noted = i18n.get("reg-home-noted", town=place.name(i18n.locale))
    await _close_reply_keyboard(manager, noted)
    await _advance(manager, Registration.availability, ShowMode.SEND)


async def _location(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    lat = round(message.location.latitude, 2)  # the neighbourhood is enough
    lon = round(message.location.longitude, 2)
    manager.dialog_data.update(home_postcode=None, home_lat=lat, home_lon=lon)
    await _home_at(manager, reference.nearest_place(lat, lon))


async def _postcode(message: Message, _w: ManagedTextInput, manager: DialogManager, code: str):
    """A postcode serving one commune is that commune; serving several, which one is
    asked (so the town shown and the distances are right)."""
    places = reference.find_place_by_postcode(code.strip())
    i18n = _i18n(manager)
    if not places:
        await message.answer(i18n.get("reg-home-invalid"))
        manager.show_mode = ShowMode.SEND
        return
    if len(places) == 1:
        _live_in(manager, places[0])
        await _home_at(manager, places[0])
        return
    manager.dialog_data["town_postcode"] = places[0].postcode
    await _close_reply_keyboard(manager, i18n.get("reg-home-postcode", postcode=places[0].postcode))
    await manager.switch_to(Registration.town, show_mode=ShowMode.SEND)


def _live_in(manager: DialogManager, place: reference.Place) -> None:
    manager.dialog_data.update(home_postcode=place.postcode, home_lat=place.lat, home_lon=place.lon)


def _towns(manager: DialogManager) -> list[reference.Place]:
    return reference.find_place_by_postcode(manager.dialog_data["town_postcode"])


async def _town_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    locale = _i18n(dialog_manager).locale
    towns = _towns(dialog_manager)
    return {"items": [(str(i), place.name(locale)) for i, place in enumerate(towns)]}


async def _town(callback: CallbackQuery, _w: Any, manager: DialogManager, index: str) -> None:
    towns = _towns(manager)
    if not index.isdigit() or int(index) >= len(towns):
        await manager.switch_to(Registration.town)
        return
    _live_in(manager, towns[int(index)])
    await _advance(manager, Registration.availability)


async def _back_to_home(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(Registration.home)


async def _availability_next(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    manager.dialog_data["availability"] = list(manager.find("avail").get_checked())
    await _advance(manager, Registration.alerts)


async def _alerts(callback: CallbackQuery, _w: Any, manager: DialogManager, mode: str) -> None:
    if _editing(manager):
        manager.dialog_data["alert_mode"] = mode
        await _save_edit(manager)
        return
    data = manager.dialog_data
    answers = Answers(
        first_name=data["first_name"],
        territory=data["territory"],
        occupations=_chosen(manager),
        dutch_level=data["dutch_level"],
        driving_licence=data["driving_licence"],
        has_car=data.get("has_car"),
        max_commute_km=data["max_commute_km"],
        home_postcode=data.get("home_postcode"),
        home_lat=data["home_lat"],
        home_lon=data["home_lon"],
        availability=list(manager.find("avail").get_checked()),
        alert_mode=mode,
    )
    middleware = manager.middleware_data
    counsellor_id = (manager.start_data or {}).get("counsellor_id")
    participant = await participants.register(
        middleware["session"], middleware["user"], answers, counsellor_id
    )
    follow = await counsellors.follow_of(middleware["session"], participant)
    i18n = _i18n(manager)
    await manager.done()
    manager.show_mode = ShowMode.SEND
    summary = profile_card(i18n, participants.profile_fields(participant))
    lines = [i18n.get("reg-done", name=participant.first_name, summary=summary)]
    if follow.counsellor is not None:
        territory = i18n.get(counsellors.territory_key(follow.counsellor.territory))
        lines.append(
            i18n.get("reg-done-counsellor", counsellor=follow.counsellor.name, territory=territory)
        )
    elif follow.answering:
        lines.append(i18n.get("reg-done-team"))
    lines.append(i18n.get("reg-done-jobs"))
    await callback.message.answer("\n\n".join(lines))
    await callback.message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


def profile_card(i18n, fields: dict[str, Any]) -> str:
    """The profile in the reader's language, one line per field."""
    occupations = [reference.find_occupation(code) for code in fields["occupations"]]
    names = [(o.label_nl if i18n.locale == "nl" else o.label_fr) for o in occupations if o]
    yes_no = {True: i18n.get("button-yes"), False: i18n.get("button-no"), None: "—"}
    return i18n.get(
        "profile-card",
        name=fields["first_name"] or "—",
        territory=i18n.get(f"territory-{fields['territory']}") if fields["territory"] else "—",
        occupations=", ".join(names) or "—",
        dutch=i18n.get(f"dutch-{fields['dutch_level']}") if fields["dutch_level"] else "—",
        licence=yes_no[fields["driving_licence"]],
        car=yes_no[fields["has_car"]],
        commute=fields["max_commute_km"],
        home=_home_text(i18n, fields),
        availability=", ".join(i18n.get(f"availability-{a}") for a in fields["availability"])
        or "—",
        alerts=i18n.get(f"alerts-{fields['alert_mode']}"),
    )


def _home_text(i18n, fields: dict[str, Any]) -> str:
    """The town, in the reader's language; a shared point far from any known town says
    so."""
    place = reference.home_place(fields["home_postcode"], fields["home_lat"], fields["home_lon"])
    if place is not None:
        return place.name(i18n.locale)
    if fields["home_postcode"]:
        return fields["home_postcode"]
    return i18n.get("profile-home-point") if fields["home_lat"] is not None else "—"


def _choices(prefix: str, handler, width: int = 1) -> Group:
    return Group(
        Select(
            Format("{item[1]}"),
            id=prefix,
            item_id_getter=lambda i: i[0],
            items="items",
            on_click=handler,
        ),
        width=width,
    )


def _back(state: State, name: str) -> Button:
    return Button(I18nText("button-back"), id=name, on_click=_back_to(state))


def _ticks(widget_id: str) -> Multiselect:
    """A list to tick, from the getter's `items` (value, label); ✅ marks what is chosen."""
    return Multiselect(
        Format("✅ {item[1]}"),
        Format("{item[1]}"),
        id=widget_id,
        item_id_getter=lambda item: item[0],
        items="items",
    )


def _occupation_list(*texts, state: State, getter, suffix: str, done_when=None) -> Window:
    """Occupations to tick (of a sector, or found by a search); one shared selection.
    `texts` and buttons before the list come first."""
    return Window(
        *texts,
        Group(_ticks("occ"), width=1),
        Row(
            Button(I18nText("button-sectors"), id=f"sectors_{suffix}", on_click=_to_sectors),
            Button(
                I18nText("button-done"),
                id=f"done_{suffix}",
                on_click=_occupations_done,
                when=done_when,
            ),
        ),
        TextInput(f"search_{suffix}", on_success=_searched),
        state=state,
        getter=getter,
    )


def registration_dialog() -> Dialog:
    return Dialog(
        Window(
            I18nText("reg-consent"),
            Row(
                Button(
                    I18nText("reg-consent-yes"),
                    id="consent_yes",
                    on_click=_consented,
                ),
                Button(I18nText("reg-consent-no"), id="consent_no", on_click=_declined),
            ),
            buttons_only(),
            state=Registration.consent,
        ),
        Window(
            I18nText("reg-name"),
            Button(I18nText("reg-name-keep"), id="keep_name", on_click=_keep_name, when="name"),
            TextInput(
                "name_input", type_factory=_name_type, on_success=_typed_name, on_error=_bad_name
            ),
            _back(Registration.consent, "back_consent"),
            state=Registration.name,
            getter=_name_getter,
        ),
        Window(
            I18nText("reg-territory"),
            Column(
                *(
                    Button(I18nText(f"territory-{code}"), id=code, on_click=_territory)
                    for code in TERRITORIES
                )
            ),
            Button(I18nText("button-back"), id="back_name", on_click=_back_from_territory),
            buttons_only(),
            state=Registration.territory,
        ),
        Window(
            I18nText("reg-occupations"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="sectors",
                    item_id_getter=lambda i: i[0],
                    items="sectors",
                    on_click=_pick_sector,
                ),
                width=2,
            ),
            Button(
                I18nText("button-done"),
                id="occ_done",
                on_click=_occupations_done,
                when="has_choice",
            ),
            TextInput("occ_search", on_success=_searched),
            _back(Registration.territory, "back_territory"),
            state=Registration.occupations,
            getter=_occupations_getter,
        ),
        _occupation_list(
            I18nText("reg-occupations-sector"),
            state=Registration.sector,
            getter=_sector_getter,
            suffix="sector",
        ),
        _occupation_list(
            I18nText("reg-occupations-found", when="best"),
            I18nText("reg-occupations-found-more", when="more"),
            I18nText("reg-occupations-search", when=_without_best),
            Button(
                I18nText("reg-occupations-confirm"),
                id="confirm_best",
                on_click=_confirm_best,
                when="best",
            ),
            state=Registration.search,
            getter=_search_getter,
            suffix="search",
            done_when="show_done",
        ),
        Window(
            I18nText("reg-dutch"),
            _choices("dutch", _store("dutch_level", Registration.transport)),
            _back(Registration.occupations, "back_occ"),
            buttons_only(),
            state=Registration.dutch,
            getter=_choice_getter("dutch", DUTCH_LEVELS),
        ),
        Window(
            I18nText("reg-transport"),
            Column(
                *(
                    Button(I18nText(text), id=button_id, on_click=_transport)
                    for button_id, (text, _, _) in TRANSPORT.items()
                )
            ),
            _back(Registration.dutch, "back_dutch"),
            buttons_only(),
            state=Registration.transport,
        ),
        Window(
            I18nText("reg-commute"),
            _choices("commute", _store("max_commute_km", Registration.home, int), width=4),
            _back(Registration.transport, "back_transport"),
            buttons_only(),
            state=Registration.commute,
            getter=_choice_getter("commute", COMMUTE_KM),
        ),
        Window(
            I18nText("reg-home"),
            RequestLocation(I18nText("reg-home-share")),
            _back(Registration.commute, "back_commute_home"),
            MessageInput(_location, content_types=[ContentType.LOCATION]),
            TextInput("postcode", on_success=_postcode),
            markup_factory=ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=True),
            state=Registration.home,
        ),
        Window(
            I18nText("reg-town"),
            _choices("town", _town),
            Button(I18nText("button-back"), id="back_home_town", on_click=_back_to_home),
            buttons_only(),
            state=Registration.town,
            getter=_town_getter,
        ),
        Window(
            I18nText("reg-availability"),
            Group(
                _ticks("avail"),
                width=2,
            ),
            Button(
                I18nText("button-next"),
                id="avail_next",
                on_click=_availability_next,
            ),
            _back(Registration.home, "back_home"),
            buttons_only(),
            state=Registration.availability,
            getter=_choice_getter("availability", AVAILABILITY),
        ),
        Window(
            I18nText("reg-alerts"),
            _choices("alerts", _alerts),
            _back(Registration.availability, "back_availability"),
            buttons_only(),
            state=Registration.alerts,
            getter=_choice_getter("alerts", ALERT_MODES),
        ),
        on_start=_on_start,
    )
