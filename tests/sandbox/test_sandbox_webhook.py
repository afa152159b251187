"""Webhook mode: pushed updates, the secret header, retries, replies in the response body."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.sandbox import SandboxServer

USER = 1001
SECRET = "s3cret-Token_1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Receiver:
    """A tiny webhook endpoint on 127.0.0.1 that records what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.statuses: list[int] = []  # answers to give, first come first served; then 200
        self.replies: list[dict[str, Any]] = []
        self.url = ""
        self._arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((await request.json(), request.headers.get(SECRET_HEADER)))
        self._arrived.set()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response(self.replies.pop(0) if self.replies else {}, status=status)

    async def wait_for(self, count: int, seconds: float = 2.0) -> None:
        async with asyncio.timeout(seconds):
            while len(self.received) < count:
                self._arrived.clear()
                await self._arrived.wait()


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    endpoint = Receiver()
    app = web.Application()
    app.router.add_post("/hook", endpoint.handle)
    runner, base = await serve(app)
    endpoint.url = f"{base}/hook"
    yield endpoint
    await runner.cleanup()


async def test_updates_are_pushed_with_the_secret(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: Receiver
) -> None:
    assert await sandbox_bot.set_webhook(receiver.url, secret_token=SECRET)
    await sandbox.user(USER).send_text("/start")
    await receiver.wait_for(1)
    [(update, secret)] = receiver.received
    assert secret == SECRET
    assert update["message"]["text"] == "/start"
    assert update["update_id"] == 1

    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await sandbox_bot.get_updates()
    info = await sandbox_bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (receiver.url, 0)

    assert await sandbox_bot.delete_webhook()
    await sandbox.user(USER).send_text("polling again")
    [polled] = await sandbox_bot.get_updates()
    assert polled.message is not None and polled.message.text == "polling again"


async def test_failed_deliveries_are_retried(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    await sandbox_bot.set_webhook(receiver.url)
    await sandbox.user(USER).send_text("hello")
    await receiver.wait_for(3)
    ids = [update["update_id"] for update, _ in receiver.received]
    assert ids == [1, 1, 1]
    assert receiver.received[0][1] is None  # no secret set, no header
    info = await sandbox_bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 503 Service Unavailable"


async def test_pending_updates_are_delivered_or_dropped(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: Receiver
) -> None:
    user = sandbox.user(USER)
    await user.send_text("old")
    await sandbox_bot.set_webhook(receiver.url, drop_pending_updates=True)
    await user.send_text("new")
    await receiver.wait_for(1)
    await sandbox_bot.delete_webhook()
    await user.send_text("queued")
    await sandbox_bot.set_webhook(receiver.url)
    await receiver.wait_for(2)
    texts = [update["message"]["text"] for update, _ in receiver.received]
    assert texts == ["new", "queued"]


async def test_method_in_webhook_response_is_executed(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: Receiver
) -> None:
    user = sandbox.user(USER)
    receiver.replies = [
        {"method": "sendMessage", "chat_id": USER, "text": "<b>pong</b>", "parse_mode": "HTML"}
    ]
    await sandbox_bot.set_webhook(receiver.url)
    await user.send_text("ping")
    [reply] = await user.replies(timeout=2, settle=0.05)
    assert reply.text == "pong"


async def test_aiogram_webhook_handler_end_to_end(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> SendMessage:
        # Returned, not awaited: aiogram answers in the webhook response body (multipart).
        return message.answer("Bienvenue via webhook")

    app = web.Application()
    SimpleRequestHandler(dp, sandbox_bot, secret_token=SECRET, handle_in_background=False).register(
        app, path="/tg"
    )
    runner, base = await serve(app)
    try:
        await sandbox_bot.set_webhook(f"{base}/tg", secret_token=SECRET)
        user = sandbox.user(USER)
        await user.send_text("/start")
        [reply] = await user.replies(timeout=3, settle=0.05)
        assert reply.text == "Bienvenue via webhook"
    finally:
        await runner.cleanup()
