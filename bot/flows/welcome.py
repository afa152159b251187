"""First contact: greet, choose the language, explain the programme, then the menu.

`/lang` reuses the language step alone (start data `{"only_language": True}`).
"""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import Button, Row

from bot.flows.registration import start_registration
from bot.flows.widgets import I18nText, buttons_only
from bot.services import participants


class Welcome(StatesGroup):
    language = State()
    about = State()


async def _choose_language(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    i18n = manager.middleware_data["i18n"]
    await i18n.set_locale(button.widget_id)
    if (manager.start_data or {}).get("only_language"):
        await manager.done()
        await callback.message.answer(i18n.get("lang-set"))
        await send_menu(callback, manager)
        return
    await manager.switch_to(Welcome.about)


async def _continue(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    """After the programme, registration (unless done already), else the menu."""
    middleware = manager.middleware_data
    if not await participants.is_registered(middleware["session"], middleware["user"]):
        await start_registration(manager, **(manager.start_data or {}).get("referral", {}))
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
        Window(
            I18nText("about"),
            Button(I18nText("about-continue"), id="menu", on_click=_continue),
            buttons_only(),
            state=Welcome.about,
        ),
    )
