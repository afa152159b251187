"""The bot is a private assistant: outside private chats it answers only in the counsellors'
desk, and only to staff. One gate decides this for every router, before anyone's account is
loaded or created:

- a private chat (or an update without a chat, such as an inline message's button): as
  always;
- the desk (`desk_chat_id`): staff are handled; anyone else is ignored (a button gets "staff
  only" rather than a spinning clock);
- any other group, supergroup or channel: nothing of the bot runs. The first message said
  there gets, once per chat (kept in the database, so a restart does not say it again), a
  short note in French and Dutch that the bot works in private, with a link to open it; a
  button pressed there is answered with that note; someone who is not staff adding the bot
  gets the note and the bot leaves (`membership`). Edits, channel posts and inline queries
  get nothing.

Logs carry ids only."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatMemberStatus, ChatType, ContentType
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
    User,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.common.kinds import RELAYED
from bot.i18n import LOCALES, HtmlFluentCore, locale_from_telegram
from bot.services.chats import notes as groups
from bot.services.staff import members as staff

log = logging.getLogger(__name__)

# What people say (as opposed to service messages: someone joined, a title changed...): what
# a person may send and Telegram can copy, and what cannot be copied but is said all the same.
SAID = RELAYED | {ContentType.VENUE, ContentType.POLL, ContentType.DICE}
# The bot has no inline mode: these never reach a handler.
INLINE = ("inline_query", "chosen_inline_result")


class PrivateNote:
    """The short note "I answer in private: t.me/<bot>", in both languages, the sender's
    first."""

    def __init__(self, core: HtmlFluentCore) -> None:
        self._core = core

    async def text(self, bot: Bot, sender: User | None, *, separator: str = "\n") -> str:
        link = f"t.me/{(await bot.me()).username}"
        return separator.join(
            self._core.get("group-private-only", locale, link=link) for locale in _order(sender)
        )

    async def say(self, bot: Bot, chat_id: int, sender: User | None) -> bool:
        """Says the note in a chat, with a button that opens the bot. False when it could
        not be sent for now (the network, Telegram busy); a chat where the bot may not write
        counts as told."""
        url = f"https://t.me/{(await bot.me()).username}"
        label = " · ".join(self._core.get("group-open-bot", locale) for locale in _order(sender))
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]])
        try:
            await bot.send_message(
                chat_id, await self.text(bot, sender, separator="\n\n"), reply_markup=markup
            )
        except TelegramForbiddenError as error:
            log.info("chat %s: the private-only note was refused: %s", chat_id, error.message)
        except TelegramAPIError as error:
            log.warning("chat %s: the private-only note not sent: %s", chat_id, error.message)
            return False
        return True

    async def say_once(
        self, bot: Bot, session: AsyncSession, chat: Chat, sender: User | None, now: datetime
    ) -> bool:
        """Says the note unless it was said in this chat before (channels: never, it would
        go to every subscriber). True when said now."""
        if chat.type == ChatType.CHANNEL:
            return False
        if not await groups.first_note(session, chat.id, now):
            return False
        if not await self.say(bot, chat.id, sender):
            await session.rollback()  # not said: the next message tries again
            return False
        log.info("chat %s: told it works in private", chat.id)
        return True


def _order(sender: User | None) -> list[str]:
    first = locale_from_telegram(sender.language_code if sender else None)
    return [first, *(locale for locale in LOCALES if locale != first)]


class ChatGate(BaseMiddleware):
    """An update outer middleware, after the database session and before the sender's
    account (`UserMiddleware`): outside private chats and the desk, nobody gets an account."""

    def __init__(self, core: HtmlFluentCore) -> None:
        self._core = core
        self.note = PrivateNote(core)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        update: Update,
        data: dict[str, Any],
    ) -> Any:
        if update.event_type in INLINE:
            log.info("update %s: inline mode is not offered, ignored", update.update_id)
            return UNHANDLED
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == ChatType.PRIVATE:
            return await handler(update, data)
        sender: User | None = data.get("event_from_user")
        if chat.id == data.get("desk_chat_id"):
            if await self._staff(data["session"], sender):
                return await handler(update, data)
            await self._not_for_you(update, sender, "staff-only")
            log.info("update %s: someone not staff in the desk, ignored", update.update_id)
            return UNHANDLED
        await self._elsewhere(update, chat, sender, data)
        return UNHANDLED

    @staticmethod
    async def _staff(session: AsyncSession, sender: User | None) -> bool:
        if sender is None or sender.is_bot:
            return False
        return await staff.staff_by_telegram_id(session, sender.id) is not None

    async def _elsewhere(
        self, update: Update, chat: Chat, sender: User | None, data: dict[str, Any]
    ) -> None:
        bot: Bot = data["bot"]
        session: AsyncSession = data["session"]
        now: datetime = data["current_time"]()
        if update.my_chat_member is not None:
            staff_added = await self._staff(session, update.my_chat_member.from_user)
            await added_elsewhere(update.my_chat_member, bot, staff_added, self.note, session, now)
        elif update.callback_query is not None:
            await self._not_for_you(update, sender, None)
            log.info("chat %s: a button pressed outside private chats", chat.id)
        elif _said(update.message, sender):
            await self.note.say_once(bot, session, chat, sender, now)
        else:
            log.info(
                "update %s: %s in chat %s, ignored", update.update_id, update.event_type, chat.id
            )

    async def _not_for_you(self, update: Update, sender: User | None, key: str | None) -> None:
        """A press is answered (with `key`'s text, else the private-only note), so the
        person's button does not spin."""
        callback: CallbackQuery | None = update.callback_query
        if callback is None:
            return
        if key is None:
            text = await self.note.text(callback.bot, sender)
        else:
            text = self._core.get(key, _order(sender)[0])
        try:
            await callback.answer(text[:200], show_alert=True)
        except TelegramAPIError as error:
            log.info("callback %s: not answered: %s", callback.id, error.message)


def _said(message: Message | None, sender: User | None) -> bool:
    """A person's own message (not an edit, not a service message, not another bot's)."""
    return (
        message is not None
        and sender is not None
        and not sender.is_bot
        and message.content_type in SAID
    )


IN_CHAT = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR})


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
