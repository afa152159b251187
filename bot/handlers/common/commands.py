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
from bot.flows.common.keyboards import MenuAction, main_menu
from bot.flows.common.states import Welcome, start_registration
from bot.handlers.common.home import Home
from bot.handlers.common.presses import ANSWER_FIRST
from bot.services.participants import invites
from bot.services.participants import people as participants
from bot.services.participants.invites import INVITE_PREFIX
from bot.services.staff import members as staff

# The start parameters of the links the bot hands out (plain, not base64: links already on
# posters and in letters keep working).
LINK_PAYLOADS = (staff.REFERRAL_PREFIX, invites.INVITE_PREFIX)


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
    if await staff_welcome(message, command.args, home, dialog_manager, state):
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
    if not args or not args.startswith(LINK_PAYLOADS):
        return {}
    if args.startswith(staff.REFERRAL_PREFIX):
        code = args.removeprefix(staff.REFERRAL_PREFIX)
        counsellor = await staff.staff_by_referral_code(session, code)
        if counsellor is not None and counsellor.territory:
            return {"territory": counsellor.territory, "counsellor_id": counsellor.id}
    else:
        token = args.removeprefix(invites.INVITE_PREFIX)
        participant = await invites.redeem_invite(session, token, user.id)
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
    await callback.message.answer(i18n.get("about"), reply_markup=main_menu(i18n))


async def menu_help(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.message.answer(i18n.get("help"), reply_markup=main_menu(i18n))


async def menu_lang(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
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
    for handler, action in ((menu_about, "about"), (menu_help, "help"), (menu_lang, "lang")):
        router.callback_query.register(
            handler, MenuAction.filter(F.action == action), flags=ANSWER_FIRST
        )
    return router


async def staff_welcome(
    message: Message,
    args: str | None,
    home: Home,
    dialog_manager: DialogManager,
    state: FSMContext,
) -> bool:
    """/start for staff: the staff home, greeting them (True). False for everyone else, and
    for staff who go to the participant side on purpose: `/start participant`, or a
    participant's link (`ref_`, `inv_`), which they are trying out; they stay on that side
    (/menu, /start) until /staff."""
    if await home.staff() is None:
        return False
    if args and (args == "participant" or args.startswith((staff.REFERRAL_PREFIX, INVITE_PREFIX))):
        await home.set_participant_view(True)
        return False
    await dialog_manager.reset_stack()
    await state.clear()
    if home.user is not None and not home.user.locale:
        # Telegram's language, kept: what is queued for them (leads, late requests) uses it.
        await home.i18n.set_locale(home.i18n.locale)
    await home.send(message, hello=True)
    return True
