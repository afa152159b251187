"""The bot's update queue and the long-polling semantics of getUpdates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.api import ApiError

# Telegram delivers these only to bots that ask for them in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLLER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


class Pulse:
    """Wakes every waiter whenever the sandbox state changes; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.closed = False

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        self.closed = True
        self.notify()

    async def wait_until(self, ready: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until ``ready()`` holds, ``seconds`` pass (None: forever) or the sandbox stops."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not ready():
            remaining = None if deadline is None else deadline - loop.time()
            if self.closed or (remaining is not None and remaining <= 0):
                return False
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return ready()
        return True


def update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def chat_of(update: dict[str, Any]) -> tuple[str, int] | None:
    """Whose updates a webhook gets one at a time: the chat's (a pressed button's message's
    chat), else the user's; None for updates of nobody in particular (polls, say)."""
    payload = update.get(update_type(update))
    if not isinstance(payload, dict):
        return None
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if isinstance(chat, dict) and "id" in chat:
        return ("chat", chat["id"])
    user = payload.get("from") or payload.get("user")
    if isinstance(user, dict) and "id" in user:
        return ("user", user["id"])
    return None


class UpdateQueue:
    """Updates waiting for the bot, confirmed by getUpdates offsets or webhook deliveries."""

    def __init__(self, pulse: Pulse) -> None:
        self.pulse = pulse
        self.pending: list[dict[str, Any]] = []
        self.allowed: frozenset[str] | None = None  # None: Telegram's default set
        self.webhook: WebhookConfig | None = None  # while set, updates are pushed, not polled
        self._next_id = 1
        self._poller = 0
        self._handed_up_to = 0  # the last update_id a getUpdates answer carried

    @property
    def waiting(self) -> bool:
        """An update the bot has not taken yet (polled: not in a getUpdates answer so far;
        webhook: not answered yet)."""
        if self.webhook is not None:
            return bool(self.pending)
        return any(u["update_id"] > self._handed_up_to for u in self.pending)

    def accepts(self, kind: str) -> bool:
        return kind not in OPT_IN_UPDATES if self.allowed is None else kind in self.allowed

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if not self.accepts(kind):
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self.pending.append(update)
        self.pulse.notify()
        return update

    def set_allowed(self, kinds: Iterable[str] | None) -> None:
        """Like Telegram: a given list replaces the filter, an empty one restores the default."""
        if kinds is None:
            return
        self.allowed = frozenset(kinds) or None
        self.pending = [u for u in self.pending if self.accepts(update_type(u))]

    def confirm(self, offset: int) -> None:
        if offset < 0:  # a negative offset keeps only the last -offset updates
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def drop_pending(self) -> None:
        self.pending.clear()

    def remove(self, update: dict[str, Any]) -> None:
        if update in self.pending:
            self.pending.remove(update)

    async def poll(
        self, offset: int | None, limit: int, wait: float, allowed: Iterable[str] | None
    ) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self.set_allowed(allowed)
        if offset is not None:
            self.confirm(offset)
        # A newer getUpdates call ends the older one with 409, as on Telegram.
        self._poller += 1
        me = self._poller
        self.pulse.notify()
        await self.pulse.wait_until(
            lambda: bool(self.pending) or me != self._poller or self.webhook is not None,
            wait,
        )
        if me != self._poller:
            raise ApiError(409, CONFLICT_POLLER)
        if self.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        handed = self.pending[:limit]
        if handed:
            self._handed_up_to = max(self._handed_up_to, handed[-1]["update_id"])
        return handed
