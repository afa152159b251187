"""Fixtures for end-to-end tests against the sandbox: a running server and a real aiogram Bot."""

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.sandbox import DEFAULT_TOKEN, SandboxLimits, SandboxServer

# Generous limits: only tests about flood control should ever meet a 429.
FAST_LIMITS = SandboxLimits(
    global_per_s=10_000, per_chat_per_s=10_000, per_chat_burst=10_000, group_per_min=600_000
)


@pytest.fixture
def sandbox_limits() -> SandboxLimits:
    """Override in a test module to run the sandbox with other limits."""
    return FAST_LIMITS


@pytest.fixture
async def sandbox(sandbox_limits: SandboxLimits) -> AsyncIterator[SandboxServer]:
    server = SandboxServer(DEFAULT_TOKEN, sandbox_limits)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def sandbox_bot(sandbox: SandboxServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(sandbox.url))
    bot = Bot(DEFAULT_TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    http = await session.create_session()
    yield bot
    # AiohttpSession.close() sleeps 250 ms to let TLS connections close; plain HTTP needs none.
    await http.close()
