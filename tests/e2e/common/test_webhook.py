"""Webhook mode in one process: the sandbox posts updates to the bot's own HTTP server (as
Telegram does), which answers as soon as the update is kept, refuses a wrong secret, handles a
repeated update once, and tells operators whether it is alive, ready, and what it counted."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, create_app
from bot.config import Settings
from bot.db.models import ReceivedUpdate
from bot.sandbox import SandboxServer, UserClient
from tests.helpers import say, texts

SECRET = "w3bhook-Secret_e2e"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    port = free_port()
    return settings.model_copy(
        update={
            "webhook_url": f"http://127.0.0.1:{port}/telegram",
            "webhook_secret": SecretStr(SECRET),
            "webhook_listen_host": "127.0.0.1",
            "webhook_listen_port": port,
        }
    )


@pytest.fixture
async def start_webhook_bot(
    webhook_settings: Settings, engine
) -> AsyncIterator[Callable[..., App]]:
    """Bot processes in webhook mode on a fresh database (`engine`: the sandbox numbers its
    updates from 1 again, and the inbox would take them for repeats)."""
    apps: list[App] = []

    async def _start(**changes) -> App:
        app = create_app(webhook_settings.model_copy(update=changes))
        apps.append(app)
        await app.serve_webhook()
        return app

    yield _start
    for app in apps:
        await app.close()


@pytest.fixture
async def webhook_bot(start_webhook_bot) -> App:
    return await start_webhook_bot()


def base_of(app: App) -> str:
    return f"http://127.0.0.1:{app.web.port}"


def a_message(update_id: int, user: UserClient, text: str) -> dict:
    person = {"id": user.user_id, "is_bot": False, "first_name": user.first_name}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 90_000 + update_id,
            "date": int(time.time()),
            "chat": {"id": user.user_id, "type": "private", "first_name": user.first_name},
            "from": {**person, "language_code": "fr"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def post(app: App, update: dict, secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base_of(app)}/telegram", json=update, headers=headers) as response,
    ):
        return response.status


async def inbox_count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(ReceivedUpdate))


async def test_start_is_answered_through_the_webhook(
    webhook_bot: App, sandbox: SandboxServer, participant: UserClient, sessionmaker
) -> None:
    info = await webhook_bot.bot.get_webhook_info()
    assert info.url == webhook_bot.settings.webhook_url
    await participant.send_text("/start")
    assert say("welcome-new", name="Amélie") in texts(await participant.replies())
    async with sessionmaker() as session:
        [row] = (await session.scalars(select(ReceivedUpdate))).all()
    # Handled: kept as an id for the dedupe window, its content (personal data) cleared.
    assert row.update_id == participant.last_update_id
    assert row.done_at is not None and row.payload is None


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_handled(
    webhook_bot: App, participant: UserClient, sessionmaker
) -> None:
    await participant.send_text("/start")
    await participant.replies()
    kept = await inbox_count(sessionmaker)
    assert await post(webhook_bot, a_message(5000, participant, "/help"), "wrong") == 401
    assert await post(webhook_bot, a_message(5001, participant, "/help"), None) == 401
    assert await inbox_count(sessionmaker) == kept
    assert await participant.replies(timeout=1.0) == []
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{base_of(webhook_bot)}/telegram", data=b"{not json", headers={SECRET_HEADER: SECRET}
        ) as response,
    ):
        assert response.status == 400
    assert await inbox_count(sessionmaker) == kept


async def test_the_same_update_posted_twice_is_handled_once(
    webhook_bot: App, participant: UserClient, sessionmaker
) -> None:
    await participant.send_text("/start")
    await participant.replies()
    update = a_message(7000, participant, "/help")
    assert await post(webhook_bot, update) == 200
    assert await post(webhook_bot, update) == 200
    answers = await participant.replies()
    assert len(answers) == 1
    assert await participant.replies(timeout=1.0) == []
    async with sessionmaker() as session:
        row = await session.get(ReceivedUpdate, 7000)
    assert row is not None and row.done_at is not None


async def test_health_readiness_and_metrics(webhook_bot: App, participant: UserClient) -> None:
    await participant.send_text("/start")
    assert say("welcome-new", name="Amélie") in texts(await participant.replies())
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base_of(webhook_bot)}/healthz") as response:
            assert response.status == 200
        async with http.get(f"{base_of(webhook_bot)}/readyz") as response:
            assert response.status == 200
            body = await response.json()
        assert body["checks"] == {"database": "ok", "scheduler": "ok"}
        async with http.get(f"{base_of(webhook_bot)}/metrics") as response:
            assert response.status == 200
            metrics = await response.text()
        assert 'enavant_updates_total{outcome="handled",type="message"}' in metrics
        assert "enavant_update_seconds_bucket" in metrics

        webhook_bot.clock.shutdown()  # the clock stopped: not ready, still alive
        async with http.get(f"{base_of(webhook_bot)}/readyz") as response:
            assert response.status == 503
            assert (await response.json())["checks"]["scheduler"] == "failing"
        async with http.get(f"{base_of(webhook_bot)}/healthz") as response:
            assert response.status == 200


async def test_not_ready_while_redis_is_unreachable(start_webhook_bot) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app = await start_webhook_bot(redis_url=f"redis://127.0.0.1:{port}/0")
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base_of(app)}/readyz") as response,
    ):
        assert response.status == 503
        body = await response.json()
    assert body["checks"] == {"database": "ok", "redis": "failing", "scheduler": "ok"}


async def test_polling_mode_serves_health_on_its_own_port(settings: Settings, participant) -> None:
    port = free_port()
    app = create_app(settings.model_copy(update={"health_port": port}))
    polling = asyncio.create_task(app.run_polling(handle_signals=False))
    try:
        await participant.send_text("/start")
        assert say("welcome-new", name="Amélie") in texts(await participant.replies())
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
            async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert "enavant_updates_total" in await response.text()
    finally:
        await app.dispatcher.stop_polling()
        await polling
        await app.close()
