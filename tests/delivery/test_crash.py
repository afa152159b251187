"""A sender killed mid-batch loses nothing: after a restart every row is sent, with at most one
duplicate per row that was in flight when it died."""

from __future__ import annotations

import collections

from sqlalchemy import func, select

from bot.db.models import OutboxMessage, OutboxStatus
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from tests.delivery.conftest import TOKEN
from tests.helpers.outbox import bot_messages, enqueue_many, kill_a_drain_midway

CHATS = range(700, 760)
PER_CHAT = 3


async def count(sessionmaker, status: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
        )


async def test_a_killed_sender_loses_nothing_and_duplicates_only_in_flight_rows(
    sandbox, sessionmaker, database_url, bot, meet, now
):
    for chat_id in CHATS:
        await meet(chat_id)
        await enqueue_many(sessionmaker, chat_id, PER_CHAT)
    total = len(CHATS) * PER_CHAT

    settings = {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": sandbox.url,
        "DATABASE_URL": database_url,
        "SEND_GLOBAL_PER_S": "60",  # slow enough to be killed in the middle
    }
    await kill_a_drain_midway(settings, lambda: sandbox.stats["sent_messages"], total // 3)

    sent_before_crash = sandbox.stats["sent_messages"]
    in_flight = await count(sessionmaker, OutboxStatus.SENDING)
    assert 0 < sent_before_crash < total
    assert in_flight > 0

    # The restarted sender sends what was waiting, and takes over the dead one's claims
    # once their lease (under a minute) is over.
    restarted = OutboxSender(sessionmaker, bot, build_core(), SenderConfig(), clock=now)
    await restarted.send_due()
    assert await count(sessionmaker, OutboxStatus.SENDING) == in_flight
    now.advance(SenderConfig().lease_s)
    await restarted.send_due()

    assert await count(sessionmaker, OutboxStatus.SENT) == total
    texts = collections.Counter(
        (chat_id, m.text) for chat_id in CHATS for m in bot_messages(sandbox, chat_id)
    )
    assert len(texts) == total  # every row arrived
    duplicates = sum(texts.values()) - total
    assert duplicates <= in_flight
    assert max(texts.values()) <= 2
