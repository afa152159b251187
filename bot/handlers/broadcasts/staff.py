"""Staff send one message to many participants (`/broadcast`, the flow in
`bot.flows.broadcasts.compose`). The flow is a sub-router of this one, so `StaffOnly` stands before
its every message and button too: a participant is refused, and it is logged."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.flows.broadcasts.compose import broadcast_dialog
from bot.flows.common.states import start_broadcast
from bot.handlers.common.staff_only import StaffOnly


async def write_broadcast(message: Message, dialog_manager: DialogManager) -> None:
    await start_broadcast(dialog_manager)


def build_router() -> Router:
    router = Router(name="broadcast")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(write_broadcast, Command("broadcast"))
    router.include_router(broadcast_dialog())
    return router
