"""Staff create an online session in the bot (skeleton: being built)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.text import Const


class NewSession(CallbackData, prefix="spost"):
    """The "create another session" button; its handler sits behind `StaffOnly`."""


class PostSession(StatesGroup):
    kind = State()


def session_post_dialog() -> Dialog:
    return Dialog(Window(Const("…"), state=PostSession.kind))


async def start_session_post(manager: DialogManager) -> None:
    await manager.start(PostSession.kind, mode=StartMode.RESET_STACK)
