"""Webhook delivery as Telegram does it with several replicas: parallel deliveries up to
setWebhook's max_connections, one chat's updates one at a time and in order; and the
round-robin balancer the tests put in front of several replicas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiohttp import web

from bot.sandbox import SandboxServer
from bot.sandbox.balancer import Balancer

HOLD_S = 0.3  # how long the receiver takes to answer a delivery


class SlowReceiver:
    """Answers every delivery after HOLD_S; records the order and how many were open at once."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.received: list[dict[str, Any]] = []
        self.open = 0
        self.most_open = 0
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._answered = asyncio.Event()

    async def wait_for(self, count: int, seconds: float = 5.0) -> None:
        """Until `count` deliveries were answered."""
        async with asyncio.timeout(seconds):
            while len(self.received) < count or self.open:
                self._answered.clear()
                await self._answered.wait()

    async def handle(self, request: web.Request) -> web.Response:
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            self.received.append(await request.json())
            await asyncio.sleep(HOLD_S)
            return web.json_response({"by": self.name})
        finally:
            self.open -= 1
            self._answered.set()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def texts_of(self, chat_id: int) -> list[str]:
        return [
            u["message"]["text"] for u in self.received if u["message"]["chat"]["id"] == chat_id
        ]


@pytest.fixture
async def receiver() -> AsyncIterator[SlowReceiver]:
    endpoint = SlowReceiver()
    await endpoint.start()
    yield endpoint
    await endpoint.stop()


async def test_chats_are_delivered_in_parallel_each_in_order(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: SlowReceiver
) -> None:
    people = [sandbox.user(1000 + n) for n in range(4)]
    for n in range(3):
        for user in people:
            await user.send_text(f"{user.user_id}-{n}")
    await sandbox_bot.set_webhook(f"{receiver.url}/hook")  # all twelve are waiting
    await receiver.wait_for(12)
    assert receiver.most_open == 4  # one delivery per chat at a time, the chats together
    for user in people:
        assert receiver.texts_of(user.user_id) == [f"{user.user_id}-{n}" for n in range(3)]


async def test_max_connections_bounds_the_parallel_deliveries(
    sandbox: SandboxServer, sandbox_bot: Bot, receiver: SlowReceiver
) -> None:
    for n in range(6):
        await sandbox.user(2000 + n).send_text("hello")
    await sandbox_bot.set_webhook(f"{receiver.url}/hook", max_connections=2)
    await receiver.wait_for(6)
    assert receiver.most_open == 2


async def test_the_balancer_takes_turns_and_skips_a_dead_upstream() -> None:
    first, second = SlowReceiver("first"), SlowReceiver("second")
    await first.start()
    await second.start()
    balancer = Balancer([first.url, second.url])
    await balancer.start()
    try:
        async with aiohttp.ClientSession() as http:

            async def post(text: str) -> str:
                update = {"update_id": 1, "message": {"chat": {"id": 1}, "text": text}}
                async with http.post(f"{balancer.url}/hook", json=update) as response:
                    assert response.status == 200
                    return (await response.json())["by"]

            assert [await post(str(n)) for n in range(4)] == ["first", "second"] * 2
            balancer.mark_dead(0)
            assert [await post("x") for _ in range(2)] == ["second", "second"]
            balancer.mark_alive(0)
            await second.stop()  # refused: marked dead, the next one answers
            assert [await post("y") for _ in range(3)] == ["first"] * 3
            assert balancer.alive == [True, False]
    finally:
        await balancer.stop()
        await first.stop()
        await second.stop()
