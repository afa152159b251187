"""Delivery fixtures: the sandbox, a real aiogram Bot with the limiter, and the outbox sender
with a controllable clock (the only fake: time)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from aiogram import Bot

from bot.app import create_bot, create_limiter
from bot.config import Settings
from bot.db.base import utcnow
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from bot.sandbox import SandboxLimits, SandboxServer, UserClient

TOKEN = "222222:DELIVERY"
FAST = SandboxLimits(global_per_s=10_000, per_chat_per_s=10_000, per_chat_burst=10_000)


class Now:
    """The sender's clock: real time, plus however far tests moved it forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def sandbox_limits() -> SandboxLimits:
    return FAST


@pytest.fixture
def limiter_settings() -> dict[str, float]:
    return {"send_global_per_s": 5000, "send_private_per_s": 5000, "send_private_burst": 5000}


@pytest.fixture
async def sandbox(sandbox_limits: SandboxLimits) -> AsyncIterator[SandboxServer]:
    server = SandboxServer(TOKEN, sandbox_limits)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settings(sandbox, database_url, limiter_settings) -> Settings:
    return Settings(
        bot_token=TOKEN,
        telegram_api_url=sandbox.url,
        database_url=database_url,
        _env_file=None,
        **limiter_settings,
    )


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Bot]:
    bot = create_bot(settings, create_limiter(settings))
    yield bot
    await bot.session.close()


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
def sender(sessionmaker, bot, now) -> OutboxSender:
    config = SenderConfig(backoff_base_s=1.0, max_attempts=3, lease_s=60)
    return OutboxSender(sessionmaker, bot, build_core(), config, clock=now)


@pytest.fixture
def meet(sandbox):
    """A person who has opened the bot (so Telegram knows their chat); returns their client."""

    async def _meet(user_id: int, language_code: str = "fr") -> UserClient:
        client = UserClient(sandbox.url, user_id=user_id, language_code=language_code)
        await client.send_text("/start")
        return client

    return _meet
