"""A claim is a lease: a live sender keeps the rows it holds, however long Telegram makes it
wait; a dead sender's rows go again within a minute."""

from __future__ import annotations

import asyncio
import collections

from bot.app import create_bot, create_limiter
from bot.config import Settings
from bot.db.models import OutboxStatus
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from tests.helpers.outbox import bot_messages, enqueue_many, rows


def test_a_crashed_senders_messages_wait_at_most_a_minute() -> None:
    assert Settings(_env_file=None).outbox_lease_s <= 60
    assert SenderConfig().lease_s <= 60


async def test_a_sender_paused_by_telegram_past_its_lease_keeps_its_rows(
    sessionmaker, bot, settings, sandbox, meet
):
    await meet(950)
    await enqueue_many(sessionmaker, 950, 3)
    lease = SenderConfig(lease_s=0.6)
    paused = OutboxSender(sessionmaker, bot, build_core(), lease)
    other_bot = create_bot(settings, create_limiter(settings))  # another replica
    other = OutboxSender(sessionmaker, other_bot, build_core(), lease)
    # Telegram asks the first sender to wait 2 s: more than three leases.
    sandbox.inject_failure("sendMessage", status=429, retry_after=2)

    async def meanwhile() -> int:
        taken = 0
        for _ in range(20):
            await asyncio.sleep(0.1)
            taken += await other.send_due()
        return taken

    try:
        handled, taken = await asyncio.gather(paused.send_due(), meanwhile())
    finally:
        await other_bot.session.close()

    assert (handled, taken) == (3, 0)
    assert [r.status for r in await rows(sessionmaker)] == [OutboxStatus.SENT] * 3
    texts = collections.Counter(m.text for m in bot_messages(sandbox, 950))
    assert len(texts) == 3 and set(texts.values()) == {1}


async def test_rows_of_a_sender_that_died_go_again_once_its_lease_is_over(
    sessionmaker, bot, sandbox, meet, now
):
    await meet(951)
    await enqueue_many(sessionmaker, 951, 2)
    dead = OutboxSender(sessionmaker, bot, build_core(), SenderConfig(), clock=now)
    claimed = await dead._claim()  # it claimed its batch, then the process was killed
    assert claimed is not None

    restarted = OutboxSender(sessionmaker, bot, build_core(), SenderConfig(), clock=now)
    assert await restarted.send_due() == 0  # still leased
    now.advance(SenderConfig().lease_s)
    assert await restarted.send_due() == 2
    assert [r.status for r in await rows(sessionmaker)] == [OutboxStatus.SENT] * 2
    assert len(bot_messages(sandbox, 951)) == 2
