"""Telegram tells us when a user blocks or unblocks the bot (`my_chat_member` in a private
chat); groups and channels go through the gate (`groups`)."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.participants import accounts as users

log = logging.getLogger(__name__)


async def blocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await users.set_reachable(session, event.from_user.id, reachable=False)


async def unblocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await users.set_reachable(session, event.from_user.id, reachable=True)


def build_router() -> Router:
    """Private chats: blocked and unblocked. Groups go through the gate (`groups`)."""
    router = Router(name="membership")
    router.my_chat_member.filter(F.chat.type == "private")
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED))
    router.my_chat_member.register(unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER))
    return router
