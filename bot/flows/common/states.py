"""Where each dialog starts: its states and the buttons that open it, so that any area can
start a dialog (registration from a session button, a session post from the staff home)
without importing the flow itself."""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram_dialog import DialogManager, ShowMode, StartMode


class Welcome(StatesGroup):
    language = State()


class Registration(StatesGroup):
    consent = State()
    name = State()
    territory = State()
    occupations = State()
    sector = State()
    search = State()
    dutch = State()
    transport = State()
    commute = State()
    home = State()
    town = State()
    availability = State()
    alerts = State()


class Contacts(StatesGroup):
    """ "📱 My phone and e-mail" in `/profile`."""

    menu = State()
    phone = State()
    phone_consent = State()
    email = State()
    email_consent = State()
    order = State()


async def start_contacts(manager: DialogManager) -> None:
    await manager.start(Contacts.menu, mode=StartMode.RESET_STACK)


async def start_registration(
    manager: DialogManager, show_mode: ShowMode | None = None, **start_data: Any
) -> None:
    await manager.start(
        Registration.consent, mode=StartMode.RESET_STACK, data=start_data, show_mode=show_mode
    )


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


async def start_session_post(manager: DialogManager) -> None:
    await manager.start(PostSession.kind, mode=StartMode.RESET_STACK)


class PostVacancy(StatesGroup):
    lang = State()
    title = State()
    employer = State()
    occupation = State()
    occupation_pick = State()
    place = State()
    place_pick = State()
    dutch = State()
    licence = State()
    contract = State()
    schedule = State()
    hours = State()
    expires = State()
    description = State()
    url = State()
    preview = State()


class NewVacancy(CallbackData, prefix="vpost"):
    """The "post another vacancy" button; its handler sits behind `StaffOnly`."""


async def start_vacancy_post(manager: DialogManager) -> None:
    await manager.start(PostVacancy.lang, mode=StartMode.RESET_STACK)


class SendBroadcast(StatesGroup):
    message = State()
    audience = State()
    territory = State()
    occupation = State()
    occupation_pick = State()
    session = State()
    confirm = State()


async def start_broadcast(manager: DialogManager) -> None:
    await manager.start(SendBroadcast.message, mode=StartMode.RESET_STACK)


class SessionEdit(StatesGroup):
    """The organiser's typing at the session desk (`bot.flows.sessions.organiser`): a new
    time, link or number of seats (a state each, named as the field), its confirmation, and
    whom to book. The desk's buttons (`bot.handlers.sessions`) open it."""

    starts_at = State()
    url = State()
    capacity = State()
    confirm = State()
    whom = State()


SESSION_CHANGES = {
    "starts_at": SessionEdit.starts_at,
    "url": SessionEdit.url,
    "capacity": SessionEdit.capacity,
}
