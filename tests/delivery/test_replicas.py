"""Two senders on one PostgreSQL database (two replicas) never send the same row."""

from __future__ import annotations

import asyncio
import collections

import pytest

from bot.db.engine import create_engine, create_sessionmaker
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from tests.conftest import TEST_DATABASE_URL
from tests.helpers.outbox import bot_messages, enqueue_many

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="replicas share PostgreSQL; on SQLite one process sends (set TEST_DATABASE_URL)",
)

CHATS = range(800, 880)


async def test_two_senders_split_the_work_and_never_send_a_row_twice(
    sandbox, sessionmaker, database_url, bot, meet
):
    for chat_id in CHATS:
        await meet(chat_id)
        await enqueue_many(sessionmaker, chat_id, 2)
    other_engine = create_engine(database_url)
    try:
        config = SenderConfig(batch_size=10, concurrency=4)
        first = OutboxSender(sessionmaker, bot, build_core(), config)
        second = OutboxSender(create_sessionmaker(other_engine), bot, build_core(), config)
        handled = await asyncio.gather(first.send_due(), second.send_due())
    finally:
        await other_engine.dispose()

    assert sum(handled) == len(CHATS) * 2
    assert min(handled) > 0  # both really worked
    deliveries = collections.Counter(
        (chat_id, m.text) for chat_id in CHATS for m in bot_messages(sandbox, chat_id)
    )
    assert len(deliveries) == len(CHATS) * 2
    assert set(deliveries.values()) == {1}
