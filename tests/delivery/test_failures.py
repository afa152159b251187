"""Telegram's failure modes, as the sandbox really answers them: nothing lost, nothing flooded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.delivery import outbox
from bot.delivery.outbox import OutButton
from bot.sandbox import SandboxLimits
from bot.services.participants import accounts as users
from tests.helpers.outbox import bot_messages, enqueue_many, rows


class TestA429Storm:
    @pytest.fixture
    def sandbox_limits(self) -> SandboxLimits:
        # Telegram much stricter than the bot believes: most sends meet a 429 first.
        return SandboxLimits(global_per_s=5, per_chat_per_s=1000, per_chat_burst=1000)

    async def test_every_message_arrives_once_after_the_storm(
        self, sessionmaker, sender, sandbox, meet
    ):
        for chat_id in range(601, 605):
            await meet(chat_id)
        for chat_id in range(601, 605):
            await enqueue_many(sessionmaker, chat_id, 3)

        assert await sender.send_due() == 12

        assert sandbox.stats["http_429"] > 0
        assert {r.status for r in await rows(sessionmaker)} == {OutboxStatus.SENT}
        for chat_id in range(601, 605):
            texts = [m.text for m in bot_messages(sandbox, chat_id)]
            assert sorted(texts) == sorted(set(texts)) and len(texts) == 3


async def test_blocked_user_is_marked_unreachable_and_gets_nothing_more(
    sessionmaker, sender, sandbox, meet
):
    client = await meet(610)
    async with sessionmaker() as session:
        await users.get_or_create_user(session, 610)
        await session.commit()
    await client.block()
    await enqueue_many(sessionmaker, 610, 2)
    await sender.send_due()
    await enqueue_many(sessionmaker, 610, 1, prefix="later")
    calls_before = sandbox.stats["sendMessage"]
    await sender.send_due()

    assert sandbox.stats["sendMessage"] == calls_before  # not even tried
    statuses = [(r.status, r.error) for r in await rows(sessionmaker)]
    assert statuses == [("failed", "blocked")] * 3
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 610))
    assert user.reachable is False and user.blocked_at is not None


async def test_server_errors_are_retried_with_backoff_until_success(
    sessionmaker, sender, sandbox, now, meet
):
    await meet(620)
    await enqueue_many(sessionmaker, 620, 1)
    sandbox.inject_failure("sendMessage", status=502, count=2)

    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING
    assert "TelegramServerError" in row.error
    assert await sender.send_due() == 0  # backing off: not due yet
    now.advance(60)
    await sender.send_due()
    now.advance(60)
    await sender.send_due()

    [row] = await rows(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    assert len(bot_messages(sandbox, 620)) == 1


async def test_a_dropped_connection_is_retried(sessionmaker, sender, sandbox, now, meet):
    await meet(621)
    await enqueue_many(sessionmaker, 621, 1)
    sandbox.inject_disconnect("sendMessage", count=1)

    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING
    assert "TelegramNetworkError" in row.error
    now.advance(60)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.SENT
    assert len(bot_messages(sandbox, 621)) == 1


async def test_the_sender_gives_up_after_the_last_attempt(sessionmaker, sender, sandbox, now, meet):
    await meet(622)
    await enqueue_many(sessionmaker, 622, 1)
    sandbox.inject_failure("sendMessage", status=500, count=10)
    for _ in range(5):
        await sender.send_due()
        now.advance(3600)
    [row] = await rows(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert bot_messages(sandbox, 622) == []


async def test_a_refused_message_fails_at_once_with_telegrams_reason(sessionmaker, sender, meet):
    await meet(623)
    async with sessionmaker() as session:
        await outbox.enqueue(
            session,
            chat_id=623,
            dedupe_key="bad-button",
            key="help",
            buttons=[[OutButton(key="menu-help", callback_data="x" * 65)]],
        )
        await session.commit()
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.error == "Bad Request: BUTTON_DATA_INVALID"


async def test_a_message_that_cannot_be_rendered_fails_and_the_others_go(
    sessionmaker, sender, sandbox, meet
):
    await meet(624)
    async with sessionmaker() as session:
        await outbox.enqueue(
            session,
            chat_id=624,
            dedupe_key="unrenderable",
            key="welcome-back",
            variables={"name": "x" * 5000},  # Fluent refuses placeables over 1000 characters
        )
        await session.commit()
    await enqueue_many(sessionmaker, 624, 1)
    await sender.send_due()
    assert [r.status for r in await rows(sessionmaker)] == ["failed", "sent"]
    assert len(bot_messages(sandbox, 624)) == 1


async def test_messages_to_one_chat_keep_their_order(sessionmaker, sender, sandbox, meet):
    await meet(630)
    await enqueue_many(sessionmaker, 630, 5)
    await sender.send_due()
    texts = [m.text for m in bot_messages(sandbox, 630)]
    assert texts == [f"Je ne connais pas la commande /m{n}." for n in range(5)]


async def test_each_row_remembers_telegrams_message_id(sessionmaker, sender, sandbox, meet):
    await meet(631)
    await enqueue_many(sessionmaker, 631, 2)
    await sender.send_due()
    async with sessionmaker() as session:
        ids = (await session.scalars(select(OutboxMessage.telegram_message_id))).all()
    assert ids == [m.message_id for m in bot_messages(sandbox, 631)]
