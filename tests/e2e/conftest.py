"""End-to-end fixtures: the real bot (aiogram over HTTP) against the sandbox Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.app import App, create_app
from bot.config import Settings
from bot.sandbox import SandboxLimits, SandboxServer, UserClient
from bot.scheduler import ShiftedTime

TOKEN = "123456:E2E-TEST"


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    # Telegram's limits scaled up so tests are not slowed down; dedicated tests lower them.
    server = SandboxServer(
        token=TOKEN, limits=SandboxLimits(global_per_s=1000, per_chat_per_s=100, per_chat_burst=100)
    )
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


@pytest.fixture
def settings(sandbox: SandboxServer, database_url: str) -> Settings:
    return Settings(
        bot_token=TOKEN,
        telegram_api_url=sandbox.url,
        database_url=database_url,
        # The bot's limiter scaled like the sandbox's, so replies are not spaced by seconds.
        send_global_per_s=1000,
        send_private_per_s=100,
        send_private_burst=100,
        _env_file=None,
    )


@pytest.fixture
def clock() -> ShiftedTime:
    """The bot's `now`: tests move it forward with `clock.advance(timedelta(...))`."""
    return ShiftedTime()


@pytest.fixture
async def start_bot(
    settings: Settings, engine, clock: ShiftedTime, sandbox: SandboxServer
) -> AsyncIterator[Callable[[], App]]:
    """Starts a bot process (several calls = restarts); every one is stopped at the end.
    Its handlers and its outbox sender read `clock`. The sandbox knows when the bot is still
    handling an update, so `replies` waits for a slow handler (see `SandboxState.busy`)."""
    apps: list[App] = []
    sandbox.state.bot_handling = lambda: any(app.updates_in_flight for app in apps)

    async def _start() -> App:
        app = create_app(settings, now=clock)
        await app.start(polling_timeout=1)
        apps.append(app)
        return app

    yield _start
    for app in apps:
        await app.close()


@pytest.fixture
async def bot_app(start_bot) -> App:
    return await start_bot()


@pytest.fixture
def participant(sandbox: SandboxServer) -> UserClient:
    return UserClient(sandbox.url, user_id=1001, first_name="Amélie", language_code="fr")
