""" "📱 My phone and e-mail" in `/profile`: the person gives a mobile number or an address
(checked, written one way), then agrees with a button to be written to there; removes
either, says STOP, and picks what comes first (Telegram, SMS, e-mail). A way back at every
step; nothing is kept without the consent button (DESIGN.md §4 "Outbox and delivery")."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import ManagedTextInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column
from aiogram_dialog.widgets.text import Format

from bot.common import phones
from bot.common.dates import day_text
from bot.db.base import as_utc
from bot.flows.common.states import Contacts
from bot.flows.common.steps import bot_now, i18n_of, programme_tz
from bot.flows.common.widgets import I18nText, buttons_only
from bot.flows.participants.registration import show_profile
from bot.services.participants import contacts
from bot.services.participants import people as participants
from bot.services.participants.contacts import EMAIL, SMS, TELEGRAM

log = logging.getLogger(__name__)

EXAMPLES = {"FR": "06 12 34 56 78", "BE": "0470 12 34 56"}
ORDER = (TELEGRAM, SMS, EMAIL)


async def _participant(manager: DialogManager):
    middleware = manager.middleware_data
    return await participants.participant_of(middleware["session"], middleware["user"])


def _day(manager: DialogManager, moment: datetime) -> str:
    local = as_utc(moment).astimezone(programme_tz(manager))
    return day_text(local.date(), i18n_of(manager).locale)


def _state(manager: DialogManager, participant, channel: str) -> str:
    """ "✅ agreed on …", "🛑 stopped on …" or "⏸️ not used" for a contact the person has."""
    column, stopped = contacts.COLUMNS[channel]
    i18n = i18n_of(manager)
    if getattr(participant, stopped):
        return i18n.get("contacts-stopped", date=_day(manager, getattr(participant, stopped)))
    if getattr(participant, f"{column}_consent_at"):
        consent = getattr(participant, f"{column}_consent_at")
        return i18n.get("contacts-allowed", date=_day(manager, consent))
    return i18n.get("contacts-not-allowed")


async def _menu_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    manager = dialog_manager
    i18n = i18n_of(manager)
    participant = await _participant(manager)
    lines = []
    notice = manager.dialog_data.pop("notice", None)
    if notice:
        lines += [i18n.get(notice, **manager.dialog_data.pop("notice_vars", {})), ""]
    lines += [i18n.get("contacts-title"), i18n.get("contacts-intro"), ""]
    shown = (
        (SMS, "phone", "contacts-phone-line", "contacts-phone-line-none"),
        (EMAIL, "email", "contacts-email-line", "contacts-email-line-none"),
    )
    for channel, column, key, none in shown:
        value = getattr(participant, column)
        if value:
            lines.append(i18n.get(key, contact=value, state=_state(manager, participant, channel)))
        else:
            lines.append(i18n.get(none))
    first = contacts.first_choice(participant)
    lines.append(i18n.get("contacts-order-line", first=i18n.get(f"channel-{first}")))
    return {
        "text": "\n".join(lines),
        "has_phone": participant.phone is not None,
        "has_email": participant.email is not None,
        "sms_on": contacts.usable(participant, SMS),
        "email_on": contacts.usable(participant, EMAIL),
    }


def _go(state):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        await manager.switch_to(state)

    return on_click


async def _back_to_profile(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    await show_profile(manager)


async def _back_to_menu(manager: DialogManager, notice: str | None = None, **variables) -> None:
    if notice:
        manager.dialog_data["notice"] = notice
        manager.dialog_data["notice_vars"] = variables
    await manager.switch_to(Contacts.menu)


# --- phone ----------------------------------------------------------------------------------


async def _phone_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    participant = await _participant(dialog_manager)
    region = phones.region_of(participant.territory)
    return {"example": EXAMPLES.get(region, EXAMPLES["FR"])}


async def _typed_phone(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    participant = await _participant(manager)
    region = phones.region_of(participant.territory)
    checked = phones.check_phone(text, region)
    if checked.e164 is None:
        example = EXAMPLES.get(region, EXAMPLES["FR"])
        await message.answer(
            i18n_of(manager).get(f"contacts-phone-{checked.problem}", example=example)
        )
        manager.show_mode = ShowMode.SEND
        return
    manager.dialog_data["phone"] = checked.e164
    await manager.switch_to(Contacts.phone_consent)


async def _consent_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {"phone": data.get("phone", ""), "email": data.get("email", "")}


def _agreed(channel: str, column: str):
    async def on_click(callback: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        participant = await _participant(manager)
        contact = manager.dialog_data.pop(column, None)
        if contact is None:  # an old button: nothing typed in this dialog
            await _back_to_menu(manager)
            return
        contacts.agree(participant, channel, contact, bot_now(manager))
        log.info("participant %s: %s consent recorded", participant.id, channel)
        await _back_to_menu(manager, f"contacts-saved-{channel}")

    return on_click


def _declined(column: str):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        manager.dialog_data.pop(column, None)
        await _back_to_menu(manager, "contacts-not-saved")

    return on_click


# --- e-mail ---------------------------------------------------------------------------------


async def _typed_email(message: Message, _w: ManagedTextInput, manager: DialogManager, text: str):
    address = phones.normalise_email(text)
    if address is None:
        await message.answer(i18n_of(manager).get("contacts-email-invalid"))
        manager.show_mode = ShowMode.SEND
        return
    manager.dialog_data["email"] = address
    await manager.switch_to(Contacts.email_consent)


# --- remove, stop, order --------------------------------------------------------------------


def _removed(channel: str):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        participant = await _participant(manager)
        contacts.remove(participant, channel)
        log.info("participant %s: %s contact removed", participant.id, channel)
        await _back_to_menu(manager, f"contacts-removed-{channel}")

    return on_click


def _stopped(channel: str):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        participant = await _participant(manager)
        contacts.stop(participant, channel, bot_now(manager))
        log.info("participant %s: %s stopped by the person", participant.id, channel)
        await _back_to_menu(manager, f"contacts-stopped-{channel}")

    return on_click


def _first(channel: str):
    async def on_click(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
        participant = await _participant(manager)
        contacts.prefer(participant, channel)
        first = i18n_of(manager).get(f"channel-{channel}")
        await _back_to_menu(manager, "contacts-order-saved", first=first)

    return on_click


def _back(state, widget_id: str) -> Button:
    return Button(I18nText("button-back"), id=widget_id, on_click=_go(state))


def contacts_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{text}"),
            Column(
                Button(I18nText("contacts-button-phone"), id="phone", on_click=_go(Contacts.phone)),
                Button(I18nText("contacts-button-email"), id="email", on_click=_go(Contacts.email)),
                Button(
                    I18nText("contacts-button-stop-sms"),
                    id="stop_sms",
                    on_click=_stopped(SMS),
                    when="sms_on",
                ),
                Button(
                    I18nText("contacts-button-stop-email"),
                    id="stop_email",
                    on_click=_stopped(EMAIL),
                    when="email_on",
                ),
                Button(
                    I18nText("contacts-button-remove-phone"),
                    id="rm_phone",
                    on_click=_removed(SMS),
                    when="has_phone",
                ),
                Button(
                    I18nText("contacts-button-remove-email"),
                    id="rm_email",
                    on_click=_removed(EMAIL),
                    when="has_email",
                ),
                Button(I18nText("contacts-button-order"), id="order", on_click=_go(Contacts.order)),
                Button(I18nText("button-back"), id="back_profile", on_click=_back_to_profile),
            ),
            buttons_only(),
            state=Contacts.menu,
            getter=_menu_getter,
        ),
        Window(
            I18nText("contacts-phone-ask"),
            _back(Contacts.menu, "back_phone"),
            TextInput("phone_input", on_success=_typed_phone),
            state=Contacts.phone,
            getter=_phone_getter,
        ),
        Window(
            I18nText("contacts-phone-consent"),
            Column(
                Button(
                    I18nText("contacts-phone-yes"), id="sms_yes", on_click=_agreed(SMS, "phone")
                ),
                Button(I18nText("contacts-no"), id="sms_no", on_click=_declined("phone")),
                _back(Contacts.phone, "back_sms_consent"),
            ),
            buttons_only(),
            state=Contacts.phone_consent,
            getter=_consent_getter,
        ),
        Window(
            I18nText("contacts-email-ask"),
            _back(Contacts.menu, "back_email"),
            TextInput("email_input", on_success=_typed_email),
            state=Contacts.email,
        ),
        Window(
            I18nText("contacts-email-consent"),
            Column(
                Button(
                    I18nText("contacts-email-yes"), id="mail_yes", on_click=_agreed(EMAIL, "email")
                ),
                Button(I18nText("contacts-no"), id="mail_no", on_click=_declined("email")),
                _back(Contacts.email, "back_mail_consent"),
            ),
            buttons_only(),
            state=Contacts.email_consent,
            getter=_consent_getter,
        ),
        Window(
            I18nText("contacts-order-ask"),
            Column(
                *(
                    Button(
                        I18nText(f"contacts-first-{channel}"),
                        id=f"first_{channel}",
                        on_click=_first(channel),
                    )
                    for channel in ORDER
                ),
                _back(Contacts.menu, "back_order"),
            ),
            buttons_only(),
            state=Contacts.order,
        ),
    )
