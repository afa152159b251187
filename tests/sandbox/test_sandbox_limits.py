"""Flood limits (429 with retry_after) and injected failures, seen through aiogram."""

import asyncio

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.sandbox import SandboxLimits, SandboxServer
from bot.sandbox.limits import FloodControl

# Scaled so the tests are fast: a burst of 3 then 10/s per chat, 20 per second overall,
# 4 per minute in groups.
SCALED = SandboxLimits(global_per_s=20, per_chat_per_s=10, per_chat_burst=3, group_per_min=4)


@pytest.fixture
def sandbox_limits() -> SandboxLimits:
    return SCALED


async def open_chats(sandbox: SandboxServer, *user_ids: int) -> None:
    for user_id in user_ids:
        await sandbox.user(user_id).send_text("/start")


async def test_per_chat_burst_then_429(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1, 2)
    for i in range(3):
        await sandbox_bot.send_message(1, f"burst {i}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await sandbox_bot.send_message(1, "one too many")
    assert caught.value.retry_after == 1
    assert caught.value.message.endswith("Original description: Too Many Requests: retry after 1")
    assert sandbox.stats["http_429"] == 1
    # Other chats are not affected, and the bucket refills at 10/s.
    await sandbox_bot.send_message(2, "other chat")
    await asyncio.sleep(0.12)
    await sandbox_bot.send_message(1, "after waiting")
    assert sandbox.stats["sent_messages"] == 5


# A chat's bucket that refills once a minute: what is counted does not depend on how fast a
# busy machine makes the calls.
SLOW_REFILL = SandboxLimits(global_per_s=20, per_chat_per_s=1 / 60, per_chat_burst=3)


@pytest.mark.parametrize("sandbox_limits", [SLOW_REFILL])
async def test_edits_count_but_reads_do_not(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    sent = await sandbox_bot.send_message(1, "v0")
    for i in range(2):
        await sandbox_bot.edit_message_text(f"v{i + 1}", chat_id=1, message_id=sent.message_id)
    for _ in range(5):
        await sandbox_bot.send_chat_action(1, "typing")
        await sandbox_bot.get_me()
    with pytest.raises(TelegramRetryAfter):
        await sandbox_bot.edit_message_text("v3", chat_id=1, message_id=sent.message_id)


async def test_refused_calls_cost_nothing(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    for _ in range(5):
        with pytest.raises(TelegramBadRequest):
            await sandbox_bot.send_message(1, "<bad>")
    for i in range(3):
        await sandbox_bot.send_message(1, f"still allowed {i}")


async def test_global_limit(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    users = list(range(1, 23))
    await open_chats(sandbox, *users)
    results = await asyncio.gather(
        *(sandbox_bot.send_message(u, "broadcast") for u in users), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, TelegramRetryAfter)]
    assert len(refused) == 2
    assert all(r.retry_after >= 1 for r in refused)
    assert sandbox.stats["http_429"] == 2


async def test_group_limit_per_minute(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    group = sandbox.create_group("Staff", is_forum=False)
    for i in range(3):
        await sandbox_bot.send_message(group, f"m{i}")
        await asyncio.sleep(0.11)  # stay under the per-chat rate; only the group limit bites
    await sandbox_bot.send_message(group, "m3")
    await asyncio.sleep(0.11)
    with pytest.raises(TelegramRetryAfter) as caught:
        await sandbox_bot.send_message(group, "m4")
    assert caught.value.retry_after == 15  # 4 per minute: one every 15 s


def test_telegram_default_numbers() -> None:
    now = [0.0]
    flood = FloodControl(SandboxLimits(), clock=lambda: now[0])
    for _ in range(3):
        assert flood.retry_after(7) is None
        flood.charge(7)
    assert flood.retry_after(7) == 1
    now[0] += 1.0
    assert flood.retry_after(7) is None
    group_flood = FloodControl(SandboxLimits(per_chat_burst=100, per_chat_per_s=100))
    for _ in range(20):
        assert group_flood.retry_after(-100) is None
        group_flood.charge(-100)
    assert group_flood.retry_after(-100) == 3  # 20 per minute: one every 3 s


def test_disabled_limits() -> None:
    flood = FloodControl(SandboxLimits(enabled=False))
    for _ in range(100):
        flood.charge(1)
    assert flood.retry_after(1) is None


async def test_injected_server_errors(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    sandbox.inject_failure("sendMessage", status=500, count=1)
    sandbox.inject_failure("sendMessage", status=502, count=1)
    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await sandbox_bot.send_message(1, "a")
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await sandbox_bot.send_message(1, "b")
    await sandbox_bot.send_message(1, "c")
    assert sandbox.stats["sendMessage"] == 3
    assert sandbox.stats["sent_messages"] == 1
    assert (sandbox.stats["http_500"], sandbox.stats["http_502"]) == (1, 1)


async def test_injected_client_errors(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    sandbox.inject_failure("sendmessage", status=400, description="Bad Request: chat not found")
    sandbox.inject_failure("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await sandbox_bot.send_message(1, "a")
    with pytest.raises(TelegramRetryAfter) as caught:
        await sandbox_bot.send_message(1, "b")
    assert caught.value.retry_after == 7


async def test_injected_disconnect(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    sandbox.inject_disconnect("sendMessage", count=2)
    for _ in range(2):
        with pytest.raises(TelegramNetworkError):
            await sandbox_bot.send_message(1, "lost")
    await sandbox_bot.send_message(1, "delivered")
    assert [m.text for m in sandbox.chat_messages(1)] == ["/start", "delivered"]


async def test_a_proxy_answers_502_with_an_html_page(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    await open_chats(sandbox, 1)
    sandbox.inject_failure("sendMessage", status=502, html=True)
    with pytest.raises(ClientDecodeError) as caught:
        await sandbox_bot.send_message(1, "lost")
    assert "502 Bad Gateway" in str(caught.value.data)
    await sandbox_bot.send_message(1, "delivered")
    assert [m.text for m in sandbox.chat_messages(1)] == ["/start", "delivered"]
    assert sandbox.stats["http_502"] == 1


async def test_an_injected_timeout_hangs_until_the_bot_gives_up(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    await open_chats(sandbox, 1)
    sandbox.inject_timeout("sendMessage", seconds=3)
    started = asyncio.get_running_loop().time()
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await sandbox_bot.send_message(1, "lost", request_timeout=1)
    assert 0.9 < asyncio.get_running_loop().time() - started < 2.5
    await sandbox_bot.send_message(1, "delivered")
    assert [m.text for m in sandbox.chat_messages(1)] == ["/start", "delivered"]


@pytest.mark.parametrize(
    ("kind", "error"),
    [("html502", ClientDecodeError), ("disconnect", TelegramNetworkError)],
)
async def test_an_outage_fails_every_call_until_it_ends(
    sandbox: SandboxServer, sandbox_bot: Bot, kind: str, error: type[Exception]
) -> None:
    await open_chats(sandbox, 1)
    sandbox.outage(0.5, kind)
    for _ in range(3):
        with pytest.raises(error):
            await sandbox_bot.send_message(1, "lost")
    with pytest.raises(error):
        await sandbox_bot.get_me()  # every method, not only sending ones
    await asyncio.sleep(0.6)
    await sandbox_bot.send_message(1, "delivered")
    assert [m.text for m in sandbox.chat_messages(1)] == ["/start", "delivered"]


async def test_a_timeout_outage_hangs_each_call(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await open_chats(sandbox, 1)
    sandbox.outage(0.5, "timeout", hold_s=2)
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await sandbox_bot.send_message(1, "lost", request_timeout=1)
    await asyncio.sleep(0.1)
    await sandbox_bot.send_message(1, "delivered")
    assert [m.text for m in sandbox.chat_messages(1)] == ["/start", "delivered"]
    with pytest.raises(ValueError, match="unknown outage"):
        sandbox.outage(1, "flood")
