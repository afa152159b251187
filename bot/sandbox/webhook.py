"""Pushes updates to the bot's webhook as Telegram does: up to `max_connections` (setWebhook,
40 by default) deliveries at once, one chat's updates one at a time and in order (its next
update waits until the previous one is answered), retrying failed deliveries.

Like Telegram, a webhook may answer an update with a method call in its response body; the
sandbox executes it (aiogram does this when its handler returns a method).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.sandbox.api import ApiError, Params, read_params
from bot.sandbox.state import SandboxState
from bot.sandbox.updates import WebhookConfig, chat_of

logger = logging.getLogger(__name__)

Execute = Callable[[str, Params], Awaitable[Any]]


class WebhookPusher:
    def __init__(
        self,
        state: SandboxState,
        execute: Execute,
        *,
        attempts: int = 4,
        backoff: float = 0.05,
        timeout: float = 10.0,
    ) -> None:
        self.state = state
        self.execute = execute
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._delivering: dict[int, asyncio.Task[None]] = {}  # update_id -> its delivery

    def start(self) -> None:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for task in list(self._delivering.values()):
            task.cancel()
        await asyncio.gather(*self._delivering.values(), return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def _next(self) -> list[dict[str, Any]]:
        """Pending updates that may go now: free connections, and no earlier update of their
        chat still pending or being delivered."""
        queue = self.state.updates
        config = queue.webhook
        if config is None:
            return []
        free = max(config.max_connections, 1) - len(self._delivering)
        ready: list[dict[str, Any]] = []
        busy: set[Any] = set()
        for update in queue.pending:
            if free <= len(ready):
                break
            chat = chat_of(update)
            delivering = update["update_id"] in self._delivering
            if not delivering and (chat is None or chat not in busy):
                ready.append(update)
            if chat is not None:
                busy.add(chat)
        return ready

    async def _run(self) -> None:
        pulse = self.state.pulse
        ready: list[dict[str, Any]] = []

        def found() -> bool:
            ready[:] = self._next()
            return bool(ready)

        while not pulse.closed:
            if not await pulse.wait_until(found, None):
                return
            config = self.state.updates.webhook
            assert config is not None
            for update in ready:
                task = asyncio.create_task(self._push(config, update))
                self._delivering[update["update_id"]] = task

    async def _push(self, config: WebhookConfig, update: dict[str, Any]) -> None:
        try:
            if await self._deliver(config, update):
                self.state.updates.remove(update)
        finally:
            self._delivering.pop(update["update_id"], None)
            self.state.pulse.notify()

    async def _deliver(self, config: WebhookConfig, update: dict[str, Any]) -> bool:
        """True when the update is done with (delivered or given up on)."""
        assert self._session is not None
        headers = {}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        error = ""
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            if self.state.updates.webhook is not config:
                return False  # the webhook changed: the update waits for the new consumer
            try:
                async with self._session.post(
                    config.url, json=update, headers=headers, timeout=self.timeout
                ) as response:
                    if 200 <= response.status < 300:
                        await self._run_reply(response)
                        return True
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {type(exc).__name__}"
            config.last_error_date = int(time.time())
            config.last_error_message = error
        logger.warning(
            "webhook: update %s dropped after %s attempts (%s)",
            update["update_id"],
            self.attempts,
            error,
        )
        return True

    async def _run_reply(self, response: aiohttp.ClientResponse) -> None:
        try:
            params = await read_params(response.headers, response.content, {})
        except ApiError:
            return
        method = params.values.pop("method", None)
        if not isinstance(method, str):
            return
        try:
            await self.execute(method, params)
        except ApiError as exc:
            # Telegram drops errors of webhook replies silently; a log line helps debugging.
            logger.info("webhook reply %s failed: %s", method, exc.description)
