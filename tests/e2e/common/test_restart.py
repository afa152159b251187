"""A conversation started before a restart continues after it."""

from __future__ import annotations

import os

import pytest
import redis

from bot.app import create_app
from tests.helpers import buttons, say, texts


def redis_test_url() -> str:
    """A Redis database of its own (15), emptied first; the test is skipped without Redis."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    finally:
        client.close()
    return url


async def test_language_step_started_before_a_restart_continues_after_it(start_bot, participant):
    first_process = await start_bot()
    await participant.send_text("/start")
    await participant.replies()
    await first_process.close()

    await start_bot()
    await participant.press(say("lang-button-fr"))
    replies = await participant.replies()
    assert say("about") in texts(replies)
    assert buttons(replies) == [say("reg-consent-yes"), say("reg-consent-no")]


async def test_setting_commands_failing_at_start_up_is_not_fatal(start_bot, sandbox, participant):
    sandbox.inject_failure(method="setMyCommands", status=500, count=10)
    await start_bot()
    await participant.send_text("/help")
    assert say("help") in texts(await participant.replies())


async def test_conversation_in_redis_survives_a_restart(sandbox, settings, engine, participant):
    """With REDIS_URL the conversation state lives in Redis (the multi-replica set-up)."""
    redis_url = redis_test_url()
    settings = settings.model_copy(update={"redis_url": redis_url})
    first = create_app(settings)
    await first.start(polling_timeout=1)
    try:
        await participant.send_text("/start")
        await participant.replies()
    finally:
        await first.close()
    second = create_app(settings)
    await second.start(polling_timeout=1)
    try:
        await participant.press(say("lang-button-fr"))
        assert say("about") in texts(await participant.replies())
    finally:
        await second.close()
