"""Handling the updates the webhook took: in the background, one chat's updates in the order
Telegram sent them, each marked done once its handlers ran. A sweeper takes over updates
whose replica died (their lease ran out), a heartbeat keeps this replica's leases, and ids
handled longer than UPDATE_DEDUPE_TTL_S ago are forgotten."""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import Update

from bot.web.inbox import Inbox

log = logging.getLogger(__name__)

LEASE_S = 10.0  # an update's lease; the heartbeat renews it every third of it
SWEEP_S = 2.0  # how often abandoned updates are looked for
PURGE_S = 300.0  # how often old ids are forgotten
# Updates handled at once by a replica: the others wait, safe in the inbox (their leases
# renewed), so the database pool (15 connections) always has one for the webhook to take
# a new update and answer Telegram at once.
HANDLING_AT_ONCE = 10
# An update waiting for an earlier one of its chat handled by another replica looks again
# after 10 ms, then twice as long each time, up to a quarter of a second.
ORDER_POLL_S, ORDER_POLL_MAX_S = 0.01, 0.25


# Set while an update taken over from a replica that died is handled again.
_taken_over: ContextVar[bool] = ContextVar("taken_over", default=False)


class LateAnswers(BaseRequestMiddleware):
    """On the bot's session: an update taken over may have had its button press answered by
    the replica that died (or it is too old now). Telegram then refuses the answer; the press
    still happened and its work is done again, so the refusal is not an error here."""

    async def __call__(self, make_request: NextRequestMiddlewareType, bot: Bot, method) -> Response:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest:
            if not (_taken_over.get() and isinstance(method, AnswerCallbackQuery)):
                raise
            log.info("press %s of a taken-over update: answered already", method.callback_query_id)
            return Response[bool](ok=True, result=True)


def chat_key(update: Update) -> int | None:
    """The chat whose updates are handled in order (its id; a user's id when there is no
    chat, as for inline queries); None for updates of nobody in particular."""
    context = UserContextMiddleware.resolve_event_context(update)
    if context.chat is not None:
        return context.chat.id
    return context.user.id if context.user is not None else None


class Feeder:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        inbox: Inbox,
        *,
        dedupe_ttl_s: float,
        sweep_s: float = SWEEP_S,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.inbox = inbox
        self.dedupe_ttl_s = dedupe_ttl_s
        self.sweep_s = sweep_s
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._chats: dict[int, dict[int, asyncio.Task[None]]] = {}  # chat -> its updates here
        self._loops: list[asyncio.Task[None]] = []
        self._slots = asyncio.Semaphore(HANDLING_AT_ONCE)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def start(self) -> None:
        self.bot.session.middleware(LateAnswers())
        self._loops = [
            asyncio.create_task(self._every(self.sweep_s, self._sweep), name="inbox-sweep"),
            asyncio.create_task(
                self._every(self.inbox.lease.total_seconds() / 3, self._heartbeat),
                name="inbox-heartbeat",
            ),
            asyncio.create_task(self._every(PURGE_S, self._purge), name="inbox-purge"),
        ]

    async def stop(self, grace_s: float) -> None:
        """Let updates being handled finish (up to `grace_s`); those cut short stay undone in
        the inbox and another replica (or this one after a restart) handles them."""
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops = []
        if self._tasks:
            await asyncio.wait(set(self._tasks.values()), timeout=grace_s)
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def handle(self, update: Update, key: int | None, *, taken_over: bool = False) -> None:
        """Handle a taken update in the background (the webhook answers meanwhile)."""
        if update.update_id in self._tasks:
            return
        update_id = update.update_id
        task = asyncio.create_task(
            self._handle(update, key, taken_over), name=f"update-{update_id}"
        )
        self._tasks[update_id] = task
        if key is not None:
            self._chats.setdefault(key, {})[update_id] = task

        def forget(_: asyncio.Task[None]) -> None:
            self._tasks.pop(update_id, None)
            if key is not None:
                chat = self._chats.get(key, {})
                chat.pop(update_id, None)
                if not chat:
                    self._chats.pop(key, None)

        task.add_done_callback(forget)

    async def _wait_turn(self, update_id: int, key: int) -> None:
        """Until every earlier update of the chat is handled, here or by another replica.

        Telegram sends a chat's next update once this one was answered, so every earlier
        update of the chat is in the inbox already. RedisEventIsolation then keeps one
        person's handlers one at a time; this keeps them in Telegram's order."""
        here = [task for uid, task in self._chats.get(key, {}).items() if uid < update_id]
        if here:  # no need to ask the database about those
            await asyncio.wait(here)
        deadline = time.monotonic() + 3 * self.inbox.lease.total_seconds()
        pause = ORDER_POLL_S
        while time.monotonic() < deadline:
            if not await self.inbox.waits_for_earlier(update_id, key):
                return
            await asyncio.sleep(pause)
            pause = min(pause * 2, ORDER_POLL_MAX_S)
        log.warning("update %s: an earlier update of its chat is still not handled", update_id)

    async def _handle(self, update: Update, key: int | None, taken_over: bool) -> None:
        _taken_over.set(taken_over)  # this task's context only
        if key is not None:
            await self._wait_turn(update.update_id, key)
        async with self._slots:
            await self._feed(update)

    async def _feed(self, update: Update) -> None:
        try:
            result = await self.dispatcher.feed_update(self.bot, update)
            if isinstance(result, TelegramMethod):
                await self.dispatcher.silent_call_request(bot=self.bot, result=result)
        except Exception:
            # Counted as failed by UpdateMetrics; not retried (it would fail the same way).
            log.exception("update %s failed", update.update_id)
        try:
            await self.inbox.done(update.update_id)
        except Exception:
            # Its lease runs out and another replica handles it again: once more at most.
            log.exception("update %s handled but not marked done", update.update_id)

    async def _every(self, seconds: float, work) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await work()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("inbox %s failed", getattr(work, "__name__", work))

    async def _sweep(self) -> None:
        for taken in await self.inbox.take_abandoned():
            if taken.update_id in self._tasks:
                continue
            try:
                update = Update.model_validate_json(taken.payload, context={"bot": self.bot})
            except ValueError:
                log.warning("update %s in the inbox cannot be read; dropped", taken.update_id)
                await self.inbox.done(taken.update_id)
                continue
            log.warning("taking over update %s (its lease ran out)", taken.update_id)
            self.handle(update, taken.chat_key, taken_over=True)

    async def _heartbeat(self) -> None:
        await self.inbox.renew(list(self._tasks))

    async def _purge(self) -> None:
        await self.inbox.purge(self.dedupe_ttl_s)
