"""Every button press is answered once, so no button keeps spinning.

aiogram's `CallbackAnswerMiddleware` answers a press after its handler: silently, or with what
the handler put in `callback_answer` (`.text`, `.show_alert`). A handler registered with
`flags=ANSWER_FIRST` has its press answered before it runs: a press Telegram reports as too
old then changes nothing, as nothing was shown yet (`ExpiredButtons` undoes it and says it
expired); after the handler, only what it wrote in the database is undone. Participants'
buttons are answered first; staff buttons after, as a refusal or an alert may be their answer.

A press answered already while its update is handled is not answered again: aiogram-dialog
answers its own buttons, and a middleware or helper may answer itself (`StaffOnly`, `refuse`,
`answer_stale_button`); the bot's session notes every answer sent (`NoteAnswers`). A press
whose handler found its message gone is left to `ExpiredButtons` as well."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import partial
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware
from aiogram_dialog.api.internal import ReplyCallbackQuery

from bot.handlers.common.fallback import message_gone, query_too_old

# For a handler that answers with no text: its press is answered before it runs.
ANSWER_FIRST = {"callback_answer": {"pre": True}}

# The presses answered while the current update is handled (each update is its own task).
_answered: ContextVar[set[str]] = ContextVar("answered_presses")


class NoteAnswers(BaseRequestMiddleware):
    """On the bot's session: notes each press answered, whoever answered it."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        response = await make_request(bot, method)
        if isinstance(method, AnswerCallbackQuery):
            answered = _answered.get(None)
            if answered is not None:
                answered.add(method.callback_query_id)
        return response


class AnswerPresses(CallbackAnswerMiddleware):
    """Installed once, on the dispatcher's button presses (an inner middleware: it sees the
    handler's flags)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery) or isinstance(event, ReplyCallbackQuery):
            # A reply keyboard's button, which aiogram-dialog makes a press: nothing to answer.
            return await handler(event, data)
        _answered.set(set())
        return await super().__call__(partial(_expired_left_alone, handler), event, data)

    async def answer(self, event: CallbackQuery, callback_answer: CallbackAnswer) -> None:
        if event.id not in _answered.get(set()):
            await super().answer(event, callback_answer)


async def _expired_left_alone(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: CallbackQuery,
    data: dict[str, Any],
) -> Any:
    try:
        return await handler(event, data)
    except TelegramBadRequest as error:
        callback_answer: CallbackAnswer = data["callback_answer"]
        if (query_too_old(error) or message_gone(error)) and not callback_answer.answered:
            callback_answer.disable()  # `ExpiredButtons` says it expired
        raise
