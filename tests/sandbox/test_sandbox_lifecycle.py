"""Starting and stopping the sandbox, and using it as a separate process would be used."""

import asyncio
import socket
import time

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.sandbox import DEFAULT_TOKEN, SandboxError, SandboxServer, UserClient, run_forever


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_stop_ends_waiting_long_polls() -> None:
    server = SandboxServer()
    await server.start()
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    bot = Bot(DEFAULT_TOKEN, session=session)
    http = await session.create_session()
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await server.stop()
    assert await poll == []  # answered empty at shutdown rather than left hanging
    assert time.monotonic() - started < 1.5
    await http.close()


async def test_run_forever_serves_until_cancelled() -> None:
    port = free_port()
    serving = asyncio.create_task(run_forever("127.0.0.1", port))
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(f"{url}/bot{DEFAULT_TOKEN}/getMe") as response:
                    assert (await response.json())["result"]["is_bot"]
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.01)
    # A user client needs nothing but the URL, e.g. against `enavant sandbox --port N`.
    user = UserClient(url, 1001, "Amélie")
    group = await user.create_group("CET desk")
    await user.send_text("hello", chat_id=group)
    [seen] = await user.messages(chat_id=group, include_users=True)
    assert seen.text == "hello" and not seen.from_bot
    serving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await serving


async def test_user_side_errors_are_explicit(sandbox: SandboxServer) -> None:
    user = sandbox.user(1001)
    with pytest.raises(SandboxError, match="no group -5"):
        await user.send_text("hi", chat_id=-5)
    with pytest.raises(SandboxError, match="nothing to send"):
        await user.send_text("")
    group = sandbox.create_group("Desk")
    with pytest.raises(SandboxError, match="no topic 77"):
        await user.send_text("hi", chat_id=group, thread_id=77)
    with pytest.raises(SandboxError, match="needs a button text or callback_data"):
        await user.press()


async def test_each_token_is_a_separate_bot() -> None:
    second_token = "654321:OTHER"
    server = SandboxServer([DEFAULT_TOKEN, second_token])
    await server.start()
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    first, second = Bot(DEFAULT_TOKEN, session=session), Bot(second_token, session=session)
    http = await session.create_session()
    try:
        assert (await second.get_me()).id == 654321
        await server.user(1001).send_text("to the first bot")
        other = UserClient(server.url, 1001, bot_id=654321)
        await other.send_text("to the second bot")
        [update] = await second.get_updates()
        assert update.message is not None and update.message.text == "to the second bot"
        [update] = await first.get_updates()
        assert update.message is not None and update.message.text == "to the first bot"
        await second.send_message(1001, "reply from the second bot")
        assert [m.text for m in await other.messages()] == ["reply from the second bot"]
        assert server.chat_messages(1001)[-1].text == "to the first bot"
        assert server.bot(654321).stats["sendMessage"] == 1
    finally:
        await http.close()
        await server.stop()
