"""Commands everyone has: /start, /menu, /help, /lang, /cancel, and the main menu buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.flows.registration import start_registration
from bot.flows.welcome import Welcome
from bot.handlers import staff_home
from bot.handlers.home import Home
from bot.keyboards.common import MenuAction, main_menu
from bot.services import invites, participants, staff


async def answer_menu(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("menu-title"), reply_markup=main_menu(i18n))


async def start(
    message: Message,
    command: CommandObject,
    i18n: I18nContext,
    user: User,
    session: AsyncSession,
    dialog_manager: DialogManager,
    state: FSMContext,
    home: Home,
) -> None:
    """Welcome; then language, programme and registration for newcomers, else the menu.
    `/start ref_<code>` (a counsellor's link) and `/start inv_<token>` (an imported record)
    preset the territory and the counsellor. Staff get their own home."""
    if await staff_home.welcome(message, command.args, home, dialog_manager, state):
        return
    referral = await _referral(command.args, message, i18n, session, user)
    name = message.from_user.first_name
    if not user.locale:
        await message.answer(i18n.get("welcome-new", name=name))
        await dialog_manager.start(
            Welcome.language, mode=StartMode.RESET_STACK, data={"referral": referral}
        )
        return
    await message.answer(i18n.get("welcome-back", name=name))
    if not await participants.is_registered(session, user):
        await start_registration(dialog_manager, **referral)
        return
    await dialog_manager.reset_stack()
    await answer_menu(message, i18n)


async def _referral(
    args: str | None, message: Message, i18n: I18nContext, session: AsyncSession, user: User
) -> dict:
    if not args or not args.startswith(("ref_", "inv_")):
        return {}
    kind, _, code = args.partition("_")
    if kind == "ref":
        counsellor = await staff.staff_by_referral_code(session, code)
        if counsellor is not None and counsellor.territory:
            return {"territory": counsellor.territory, "counsellor_id": counsellor.id}
    else:
        participant = await invites.redeem_invite(session, code, user.id)
        if participant is not None:
            await message.answer(i18n.get("invite-linked"))
            return {"territory": participant.territory, "counsellor_id": participant.counsellor_id}
    await message.answer(i18n.get("referral-invalid"))
    return {}


async def menu(
    message: Message, state: FSMContext, dialog_manager: DialogManager, home: Home
) -> None:
    """Back to the menu (the staff home for staff) from anywhere: whatever question was
    pending is dropped."""
    await dialog_manager.reset_stack()
    await state.clear()
    await home.send(message)


async def help_(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help"))


async def lang(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(
        Welcome.language, mode=StartMode.RESET_STACK, data={"only_language": True}
    )


async def cancel(
    message: Message,
    i18n: I18nContext,
    state: FSMContext,
    dialog_manager: DialogManager,
    home: Home,
) -> None:
    in_flow = dialog_manager.has_context() or await state.get_state() is not None
    await dialog_manager.reset_stack()
    await state.clear()
    await message.answer(i18n.get("cancel-done" if in_flow else "cancel-nothing"))
    await home.send(message)


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
