"""Telegram tells us when a user blocks or unblocks the bot, and when someone adds the bot to
a group or channel (`my_chat_member`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import users

if TYPE_CHECKING:
    from bot.handlers.groups import PrivateNote

log = logging.getLogger(__name__)

IN_CHAT = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR})


async def blocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await users.set_reachable(session, event.from_user.id, reachable=False)


async def unblocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await users.set_reachable(session, event.from_user.id, reachable=True)


async def added_elsewhere(
    event: ChatMemberUpdated,
    bot: Bot,
    staff_added: bool,
    note: PrivateNote,
    session: AsyncSession,
    now: datetime,
) -> None:
    """The bot was added to a group or channel (other than the desk; the gate in `groups`
    calls this). Added by staff (setting up a desk, say), it stays, silent. Added by anyone
    else, it says once that it works in private, and leaves."""
    joined = event.old_chat_member.status not in IN_CHAT and event.new_chat_member.status in IN_CHAT
    if not joined or event.from_user.id == bot.id:
        return
    chat = event.chat
    if staff_added:
        log.info("chat %s: added by staff member %s, stays", chat.id, event.from_user.id)
        return
    log.info("chat %s: added by %s (not staff), leaves", chat.id, event.from_user.id)
    await note.say_once(bot, session, chat, event.from_user, now)
    try:
        await bot.leave_chat(chat.id)
    except TelegramAPIError as error:
        log.warning("chat %s: could not leave: %s", chat.id, error.message)


def build_router() -> Router:
    """Private chats: blocked and unblocked. Groups go through the gate (`groups`)."""
    router = Router(name="membership")
    router.my_chat_member.filter(F.chat.type == "private")
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED))
    router.my_chat_member.register(unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER))
    return router
