"""First contact: greet, choose the language; then what the programme offers, with the
registration's consent below it (the menu for someone registered already).

`/lang` reuses the language step alone (start data `{"only_language": True}`).
"""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import Button, Row

from bot.flows.common.states import Welcome, start_registration
from bot.flows.common.widgets import I18nText, buttons_only
from bot.services.participants import people as participants


async def _choose_language(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    i18n = manager.middleware_data["i18n"]
    await i18n.set_locale(button.widget_id)
    if (manager.start_data or {}).get("only_language"):
        await manager.done()
        await callback.message.answer(i18n.get("lang-set"))
        await send_menu(callback, manager)
        return
    # The question answered, its message tells what the programme offers; what comes next
    # is a new message below it.
    await callback.message.edit_text(i18n.get("about"))
    middleware = manager.middleware_data
    if not await participants.is_registered(middleware["session"], middleware["user"]):
        referral = (manager.start_data or {}).get("referral", {})
        await start_registration(manager, show_mode=ShowMode.SEND, **referral)
        return
    await manager.done()
    await send_menu(callback, manager)


async def send_menu(callback: CallbackQuery, manager: DialogManager) -> None:
    """The menu: the staff home for staff (after /lang)."""
    manager.show_mode = ShowMode.SEND
    await manager.middleware_data["home"].send(callback.message)


def welcome_dialog() -> Dialog:
    return Dialog(
        Window(
            I18nText("lang-choose"),
            Row(
                Button(I18nText("lang-button-fr"), id="fr", on_click=_choose_language),
                Button(I18nText("lang-button-nl"), id="nl", on_click=_choose_language),
            ),
            buttons_only(),
            state=Welcome.language,
        ),
    )
