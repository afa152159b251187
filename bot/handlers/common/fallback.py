"""The last router: every message or button nobody else handled gets an answer and the menu."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog.api.internal import ReplyCallbackQuery
from aiogram_i18n import I18nContext

from bot.handlers.common.home import Home

log = logging.getLogger(__name__)

# Telegram accepts up to 4096 characters; past 500 we ask for something shorter.
MAX_FREE_TEXT = 500
# After this many messages in a row the bot did not understand, a human is offered.
MISUNDERSTOOD_BEFORE_HUMAN = 2
MISUNDERSTOOD = "misunderstood"


async def forget_misunderstandings(state: FSMContext) -> None:
    """Something was understood: the count of messages in a row that were not starts again."""
    if (await state.get_data()).get(MISUNDERSTOOD):
        await state.update_data({MISUNDERSTOOD: 0})


async def unknown_command(message: Message, i18n: I18nContext, home: Home) -> None:
    command = message.text.split()[0][:40]
    await message.answer(i18n.get("fallback-command", command=command))
    await home.send(message)


async def anything_else(message: Message, i18n: I18nContext, state: FSMContext, home: Home):
    if message.text is None:
        key = "fallback-media"
    elif len(message.text) > MAX_FREE_TEXT:
        key = "fallback-too-long"
    else:
        key = "fallback-text"
    count = (await state.get_data()).get(MISUNDERSTOOD, 0) + 1
    await state.update_data({MISUNDERSTOOD: count})
    await message.answer(i18n.get(key))
    # Twice in a row: the menu still, with a person offered first.
    await home.send(message, offer_counsellor=count >= MISUNDERSTOOD_BEFORE_HUMAN)


async def stale_button(callback: CallbackQuery, home: Home) -> None:
    await answer_stale_button(callback, home)


def query_too_old(error: TelegramBadRequest) -> bool:
    """Telegram's answer to a button press answered too late (or twice)."""
    return "query is too old" in error.message


# Telegram's answers to an edit (or a reply) of a message that is gone or that an earlier
# press of the same button already changed.
MESSAGE_GONE = (
    "message to edit not found",
    "message to delete not found",
    "message to be replied not found",
    "message can't be edited",
    "message is not modified",
)


def message_gone(error: TelegramBadRequest) -> bool:
    return any(reason in error.message for reason in MESSAGE_GONE)


async def answer_stale_button(callback: CallbackQuery, home: Home) -> None:
    """A button from an old message: say so, and offer the menu instead (in private: the
    desk group gets no menu). Answered too late for Telegram to show it on the button, it
    is said in the chat; a button of an inline message (no chat) is answered in the
    person's own chat with the bot, when they have one."""
    expired = home.i18n.get("button-expired")
    if isinstance(callback, ReplyCallbackQuery):
        await answer_stale_reply_button(callback.original_message, home)
        return
    try:
        await callback.answer(expired)
        shown = True
    except TelegramBadRequest as error:
        if not query_too_old(error):
            raise
        shown = False
    inline = callback.message is None
    chat = callback.from_user.id if inline else callback.message.chat.id
    try:
        if not shown:
            await callback.bot.send_message(chat, expired)
        if inline or callback.message.chat.type == ChatType.PRIVATE:
            await home.send(chat)
    except (TelegramForbiddenError, TelegramBadRequest):
        if not inline:
            raise
        log.info("callback %s: no chat to show the menu in", callback.id)


async def answer_stale_reply_button(message: Message, home: Home) -> None:
    """A button of a reply keyboard (a dialog's step, such as the home step's "Back")
    pressed once its step was gone: it came as a message, so there is no press to answer,
    only the chat to tell, with the menu."""
    await message.answer(home.i18n.get("button-expired"))
    await home.send(message)


def build_router() -> Router:
    """Must be included last: it catches everything."""
    router = Router(name="fallback")
    # Private chats only: in the counsellors' desk group, staff talk among themselves.
    router.message.filter(F.chat.type == "private")
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(anything_else)
    router.callback_query.register(stale_button)
    return router
