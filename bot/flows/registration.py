"""Registration: consent first, then one question per message, buttons, a way back at every
step. Answers live in the dialog (conversation state) and are stored only at the end, with
the consent (DESIGN.md §2.4-2.5).

Start data: {"territory": code, "counsellor_id": id} when the person came by a referral link.
"""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
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

from bot.flows.widgets import I18nText, buttons_only
from bot.keyboards.common import main_menu
from bot.services import participants, reference
from bot.services.participants import (
    ALERT_MODES,
    AVAILABILITY,
    COMMUTE_KM,
    DUTCH_LEVELS,
    Answers,
)

TERRITORIES = ("LRT", "FM", "WAPI")
SEARCH_MAX = 100


class Registration(StatesGroup):
    consent = State()
    name = State()
    territory = State()
    occupations = State()
    sector = State()
    search = State()
    dutch = State()
    licence = State()
    car = State()
    commute = State()
    home = State()
    availability = State()
    alerts = State()


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
    "transport": (Registration.licence, ("driving_licence", "has_car")),
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


async def _consented(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await manager.switch_to(Registration.name)


async def _on_start(start_data: Any, manager: DialogManager) -> None:
    """Editing starts from the stored profile, so lists show what was chosen before."""
    if not (start_data or {}).get("edit"):
        return
    middleware = manager.middleware_data
    participant = await participants.participant_of(middleware["session"], middleware["user"])
    fields = participants.profile_fields(participant)
    manager.dialog_data.update(fields, home_lat=participant.home_lat, home_lon=participant.home_lon)
    for code in fields["occupations"]:
        await manager.find("occ").set_checked(code, True)
    for value in fields["availability"]:
        await manager.find("avail").set_checked(value, True)


def profile_keyboard(i18n) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=i18n.get(f"profile-edit-{field}"), callback_data=ProfileEdit(field=field).pack()
        )
        for field in EDITABLE
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i : i + 2] for i in range(0, 9, 2)])


class ProfileEdit(CallbackData, prefix="edit"):
    field: str


async def start_edit(manager: DialogManager, field: str) -> bool:
    """False for a field that does not exist (an old or forged button)."""
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


async def _set_name(manager: DialogManager, name: str | None) -> None:
    if not name:
        await manager.switch_to(Registration.name)
        return
    manager.dialog_data["first_name"] = name
    preset = (manager.start_data or {}).get("territory")
    if _editing(manager):
        await _save_edit(manager)
    elif preset:
        manager.dialog_data["territory"] = preset
        await manager.switch_to(Registration.occupations)
    else:
        await manager.switch_to(Registration.territory)


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
    found = reference.search_occupations(query[:SEARCH_MAX])
    i18n = _i18n(manager)
    if not found:
        await message.answer(i18n.get("reg-occupations-not-found", query=query[:SEARCH_MAX]))
        manager.show_mode = ShowMode.SEND
        return
    manager.dialog_data["query"] = query[:SEARCH_MAX]
    manager.dialog_data["results"] = [o.code for o in found]
    await manager.switch_to(Registration.search, show_mode=ShowMode.SEND)


async def _search_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    found = [reference.find_occupation(code) for code in dialog_manager.dialog_data["results"]]
    return {
        "items": [(o.code, _occupation_label(dialog_manager, o)) for o in found if o],
        "query": dialog_manager.dialog_data.get("query", ""),
    }


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


async def _licence(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    has_licence = button.widget_id == "licence_yes"
    manager.dialog_data["driving_licence"] = has_licence
    if has_licence:
        await manager.switch_to(Registration.car)
    else:
        manager.dialog_data["has_car"] = False
        await _advance(manager, Registration.commute)


async def _car(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["has_car"] = button.widget_id == "car_yes"
    await _advance(manager, Registration.commute)


async def _location(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    manager.dialog_data.update(
        home_postcode=None,
        home_lat=round(message.location.latitude, 2),  # the neighbourhood is enough
        home_lon=round(message.location.longitude, 2),
    )
    await _advance(manager, Registration.availability, ShowMode.SEND)


async def _postcode(message: Message, _w: ManagedTextInput, manager: DialogManager, code: str):
    places = reference.find_place_by_postcode(code.strip())
    if not places:
        await message.answer(_i18n(manager).get("reg-home-invalid"))
        manager.show_mode = ShowMode.SEND
        return
    manager.dialog_data.update(
        home_postcode=places[0].postcode, home_lat=places[0].lat, home_lon=places[0].lon
    )
    await _advance(manager, Registration.availability, ShowMode.SEND)


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
    i18n = _i18n(manager)
    await manager.done()
    manager.show_mode = ShowMode.SEND
    summary = profile_card(i18n, participants.profile_fields(participant))
    await callback.message.answer(
        i18n.get("reg-done", name=participant.first_name, summary=summary)
    )
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
        home=fields["home_postcode"] or "📍",
        availability=", ".join(i18n.get(f"availability-{a}") for a in fields["availability"])
        or "—",
        alerts=i18n.get(f"alerts-{fields['alert_mode']}"),
    )


def _yes_no(prefix: str, handler) -> Row:
    return Row(
        Button(I18nText("button-yes"), id=f"{prefix}_yes", on_click=handler),
        Button(I18nText("button-no"), id=f"{prefix}_no", on_click=handler),
    )


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


def _occupation_list(text_key: str, state: State, getter, suffix: str) -> Window:
    """Occupations to tick (of a sector, or found by a search); one shared selection."""
    return Window(
        I18nText(text_key),
        Group(_ticks("occ"), width=1),
        Row(
            Button(I18nText("button-sectors"), id=f"sectors_{suffix}", on_click=_to_sectors),
            Button(I18nText("button-done"), id=f"done_{suffix}", on_click=_occupations_done),
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
            _back(Registration.name, "back_name"),
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
        _occupation_list("reg-occupations-sector", Registration.sector, _sector_getter, "sector"),
        _occupation_list("reg-occupations-search", Registration.search, _search_getter, "search"),
        Window(
            I18nText("reg-dutch"),
            _choices("dutch", _store("dutch_level", Registration.licence)),
            _back(Registration.occupations, "back_occ"),
            buttons_only(),
            state=Registration.dutch,
            getter=_choice_getter("dutch", DUTCH_LEVELS),
        ),
        Window(
            I18nText("reg-licence"),
            _yes_no("licence", _licence),
            _back(Registration.dutch, "back_dutch"),
            buttons_only(),
            state=Registration.licence,
        ),
        Window(
            I18nText("reg-car"),
            _yes_no("car", _car),
            _back(Registration.licence, "back_licence_car"),
            buttons_only(),
            state=Registration.car,
        ),
        Window(
            I18nText("reg-commute"),
            _choices("commute", _store("max_commute_km", Registration.home, int), width=4),
            _back(Registration.licence, "back_licence"),
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
            _back(Registration.commute, "back_commute"),
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


async def start_registration(manager: DialogManager, **start_data: Any) -> None:
    await manager.start(Registration.consent, mode=StartMode.RESET_STACK, data=start_data)
