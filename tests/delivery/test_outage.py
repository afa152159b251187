"""Telegram down for a few seconds (issue 13.4: a proxy answered 502 with an HTML page, and
118 of 1,400 alerts failed after one attempt with 253 tracebacks in the log): every message
arrives once the outage is over, none fails, and the log has warnings, not tracebacks."""

from __future__ import annotations

import asyncio
import collections
import logging

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.db.models import OutboxMessage, OutboxStatus
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from tests.helpers.outbox import bot_messages, enqueue_many, rows

CHATS = range(900, 920)
PER_CHAT = 5  # 100 alerts


async def pending(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))
        )


async def send_until_done(sender: OutboxSender, sessionmaker, patience_s: float = 30) -> None:
    """The outbox's tick, every 0.2 s, until nothing is left to send."""
    deadline = asyncio.get_running_loop().time() + patience_s
    while await pending(sessionmaker) and asyncio.get_running_loop().time() < deadline:
        await sender.send_due()
        await asyncio.sleep(0.2)


def tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.parametrize("kind", ["html502", "timeout", "disconnect"])
async def test_an_outage_of_two_seconds_loses_no_alert_and_logs_no_traceback(
    sessionmaker, bot, sandbox, meet, caplog, kind
):
    for chat_id in CHATS:
        await meet(chat_id)
        await enqueue_many(sessionmaker, chat_id, PER_CHAT)
    bot.session.timeout = 1  # the bot gives up on a call that hangs (the sandbox holds 2 s)
    config = SenderConfig(backoff_base_s=0.5)
    sender = OutboxSender(sessionmaker, bot, build_core(), config)
    caplog.set_level(logging.INFO)

    sandbox.outage(2.0, kind, hold_s=2.0)
    await send_until_done(sender, sessionmaker)

    statuses = collections.Counter(row.status for row in await rows(sessionmaker))
    assert statuses == {OutboxStatus.SENT: len(CHATS) * PER_CHAT}
    deliveries = collections.Counter(
        (chat_id, m.text) for chat_id in CHATS for m in bot_messages(sandbox, chat_id)
    )
    assert len(deliveries) == len(CHATS) * PER_CHAT and set(deliveries.values()) == {1}
    retried = [r for r in caplog.records if "tried again in" in r.getMessage()]
    assert retried and all(r.levelno == logging.WARNING for r in retried)
    assert tracebacks(caplog) == []


async def test_a_proxys_html_page_is_retried_like_a_5xx(
    sessionmaker, sender, sandbox, now, meet, caplog
):
    await meet(930)
    await enqueue_many(sessionmaker, 930, 1)
    sandbox.inject_failure("sendMessage", status=502, html=True)

    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.error.startswith("UnreadableAnswer")
    assert "<html>" not in row.error  # the page is not kept
    [warning] = [r for r in caplog.records if r.name == "bot.delivery.outcomes"]
    assert warning.getMessage().startswith(f"outbox {row.id}: UnreadableAnswer, tried again")
    now.advance(60)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.SENT
    assert len(bot_messages(sandbox, 930)) == 1


@pytest.mark.parametrize("status", [400, 403])
async def test_a_proxys_html_400_or_403_is_not_telegrams_refusal(
    sessionmaker, sender, sandbox, now, meet, status
):
    await meet(931)
    await enqueue_many(sessionmaker, 931, 1)
    sandbox.inject_failure("sendMessage", status=status, html=True)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING  # only Telegram's own JSON 400/403 are final
    now.advance(60)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.SENT


async def test_telegrams_unknown_errors_are_retried(sessionmaker, sender, sandbox, now, meet):
    await meet(932)
    await enqueue_many(sessionmaker, 932, 1)
    sandbox.inject_failure("sendMessage", status=404, description="Not Found")
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING and "TelegramNotFound" in row.error
    now.advance(60)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.SENT


async def test_a_reply_lost_to_an_outage_is_one_warning_not_a_traceback(settings, sandbox, caplog):
    app = create_app(settings)
    await app.start(polling_timeout=1)
    caplog.set_level(logging.INFO)
    person = sandbox.user(940)
    try:
        sandbox.inject_failure("sendMessage", status=502, html=True)
        await person.send_text("/help")
        assert await person.replies(timeout=1.5) == []  # Telegram is down: nothing to say
        await person.send_text("/help")
        assert await person.replies_until("Comment m'utiliser")  # back: answered again
    finally:
        await app.close()

    [warning] = [r for r in caplog.records if "Telegram unavailable" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().endswith("UnreadableAnswer")
    assert tracebacks(caplog) == []
