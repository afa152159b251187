"""Commands everyone has: /start, /menu, /help, /lang, /cancel, and the main menu buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext

from bot.db.models import User
from bot.flows.welcome import Welcome
from bot.keyboards.common import MenuAction, main_menu


async def answer_menu(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


async def start(message: Message, i18n: I18nContext, user: User, dialog_manager: DialogManager):
    name = message.from_user.first_name
    if user.locale:
        await dialog_manager.reset_stack()
        await message.answer(i18n.get("welcome-back", name=name))
        await answer_menu(message, i18n)
        return
    await message.answer(i18n.get("welcome-new", name=name))
    await dialog_manager.start(Welcome.language, mode=StartMode.RESET_STACK)


async def menu(message: Message, i18n: I18nContext, dialog_manager: DialogManager) -> None:
    await dialog_manager.reset_stack()
    await answer_menu(message, i18n)


async def help_(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help"))


async def lang(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(
        Welcome.language, mode=StartMode.RESET_STACK, data={"only_language": True}
    )


async def cancel(
    message: Message, i18n: I18nContext, state: FSMContext, dialog_manager: DialogManager
) -> None:
    in_flow = dialog_manager.has_context() or await state.get_state() is not None
    await dialog_manager.reset_stack()
    await state.clear()
    await message.answer(i18n.get("cancel-done" if in_flow else "cancel-nothing"))
    await answer_menu(message, i18n)


async def menu_about(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.answer()
    await callback.message.answer(i18n.get("about"), reply_markup=main_menu(i18n))


async def menu_help(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.answer()
    await callback.message.answer(i18n.get("help"), reply_markup=main_menu(i18n))


async def menu_lang(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await callback.answer()
    await dialog_manager.start(
        Welcome.language, mode=StartMode.RESET_STACK, data={"only_language": True}
    )


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(start, CommandStart())
    router.message.register(menu, Command("menu"))
    router.message.register(help_, Command("help"))
    router.message.register(lang, Command("lang"))
    router.message.register(cancel, Command("cancel"))
    router.callback_query.register(menu_about, MenuAction.filter(F.action == "about"))
    router.callback_query.register(menu_help, MenuAction.filter(F.action == "help"))
    router.callback_query.register(menu_lang, MenuAction.filter(F.action == "lang"))
    return router
