"""A broadcast on its way out: the author's progress message edited at most every 5 s, the
report once nothing waits, and a sender that dies mid-way taken over after its lease."""

from __future__ import annotations

import asyncio
import collections
import contextlib

import pytest
from sqlalchemy import func, select

from bot.db.models import Broadcast, OutboxMessage, OutboxStatus, Role, Staff, User
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.i18n import build_core
from bot.jobs.broadcasts import BroadcastJobs
from bot.services.broadcasts import sending as broadcasts
from tests.helpers.outbox import bot_messages
from tests.helpers.people import add_person

AUTHOR = 9300
TEXT = "Salon de l'emploi à Courtrai jeudi"


async def seed(sessionmaker, meet, chats, *, unreachable=(), never_met=()) -> None:
    """A coordinator (who opened the bot) and a followed participant per chat."""
    await meet(AUTHOR)
    async with sessionmaker() as session:
        session.add(User(telegram_id=AUTHOR, locale="fr"))
        session.add(
            Staff(telegram_id=AUTHOR, role=Role.COORDINATOR, name="Lies", referral_code="lies")
        )
        for n, chat in enumerate(chats, start=1):
            if chat not in never_met:
                await meet(chat)
            await add_person(session, n, telegram_id=chat, reachable=chat not in unreachable)
        await session.commit()


async def broadcast_to_everyone(sessionmaker, bot, now) -> int:
    """Sent as the flow does: queued, then the author's progress message "0 / N"."""
    async with sessionmaker() as session:
        author = await session.scalar(select(Staff).where(Staff.telegram_id == AUTHOR))
        broadcast = await broadcasts.create(session, author, "everyone", None, TEXT)
        total = await broadcasts.send(session, broadcast, now())
        progress = await bot.send_message(
            AUTHOR, build_core().get("bc-progress", "fr", sent=0, total=total)
        )
        broadcast.progress_chat_id = AUTHOR
        broadcast.progress_message_id = progress.message_id
        await session.commit()
        return broadcast.id


async def stored(sessionmaker, broadcast_id: int) -> Broadcast:
    async with sessionmaker() as session:
        return await session.get(Broadcast, broadcast_id)


def progress_message(sandbox):
    return next(m for m in bot_messages(sandbox, AUTHOR) if m.text.startswith("📤"))


def reports(sandbox) -> list[str]:
    return [m.text for m in bot_messages(sandbox, AUTHOR) if "Message envoyé" in m.text]


@pytest.fixture
def jobs(sessionmaker, bot, now) -> BroadcastJobs:
    return BroadcastJobs(sessionmaker, bot, build_core(), now)


async def test_progress_is_edited_at_most_every_5_s_then_the_report_comes(
    sandbox, sessionmaker, bot, now, meet, sender, jobs
) -> None:
    await seed(sessionmaker, meet, range(801, 804))
    broadcast_id = await broadcast_to_everyone(sessionmaker, bot, now)
    one_at_a_time = OutboxSender(sessionmaker, bot, build_core(), SenderConfig(batch_size=1))
    await one_at_a_time.send_batch()

    assert await jobs.tick() == 0  # "0 / 3" was posted less than 5 s ago
    now.advance(5)
    assert await jobs.tick() == 1
    assert progress_message(sandbox).text == "📤 Envoi : 1 / 3"
    assert await jobs.tick() == 0

    await sender.send_due()
    assert await jobs.tick() == 1  # finished: no need to wait
    assert progress_message(sandbox).text == "📤 Envoi : 3 / 3"
    assert len(progress_message(sandbox).history) == 2
    broadcast = await stored(sessionmaker, broadcast_id)
    assert broadcast.status == "done" and broadcast.finished_at is not None
    assert await jobs.tick() == 0

    await sender.send_due()
    [report] = reports(sandbox)
    assert "Reçu par : 3" in report and "Injoignables (bot bloqué) : 0" in report
    for chat in range(801, 804):
        [received] = bot_messages(sandbox, chat)
        assert received.text == f"📣 Vos conseillers\n\n{TEXT}"


async def test_a_progress_message_telegram_refuses_to_edit_does_not_stop_the_job(
    sandbox, sessionmaker, bot, now, meet, sender, jobs
) -> None:
    await seed(sessionmaker, meet, range(801, 803))
    broadcast_id = await broadcast_to_everyone(sessionmaker, bot, now)
    now.advance(5)
    assert await jobs.tick() == 1  # "message is not modified": nothing was sent yet
    await bot.delete_message(AUTHOR, progress_message(sandbox).message_id)

    await sender.send_due()
    assert await jobs.tick() == 1  # the message to edit is gone
    assert (await stored(sessionmaker, broadcast_id)).status == "done"
    await sender.send_due()
    assert len(reports(sandbox)) == 1


async def test_two_bot_processes_edit_and_report_once(
    sandbox, sessionmaker, bot, now, meet, sender
) -> None:
    await seed(sessionmaker, meet, range(801, 803))
    await broadcast_to_everyone(sessionmaker, bot, now)
    first, second = (BroadcastJobs(sessionmaker, bot, build_core(), now) for _ in range(2))
    await sender.send_due()

    assert sum(await asyncio.gather(first.tick(), second.tick())) == 1
    await sender.send_due()
    assert len(progress_message(sandbox).history) == 1
    assert len(reports(sandbox)) == 1


async def rows_in(sessionmaker, status: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
        )


class TestABroadcastInterruptedByACrash:
    PEOPLE = range(810, 850)
    BLOCKED_BEFORE, BLOCKS_NOW, NEVER_MET = 850, 851, 852

    @pytest.fixture
    def limiter_settings(self) -> dict[str, float]:
        # Slow enough for the sender to be stopped in the middle of a batch.
        return {"send_global_per_s": 40, "send_private_per_s": 5000, "send_private_burst": 5000}

    async def test_it_resumes_after_the_lease_with_at_most_one_duplicate_in_flight(
        self, sandbox, sessionmaker, bot, now, meet, jobs
    ) -> None:
        special = (self.BLOCKED_BEFORE, self.BLOCKS_NOW, self.NEVER_MET)
        await seed(
            sessionmaker,
            meet,
            [*special, *self.PEOPLE],
            unreachable={self.BLOCKED_BEFORE},
            never_met={self.NEVER_MET},
        )
        blocker = await meet(self.BLOCKS_NOW)
        await blocker.block()
        broadcast_id = await broadcast_to_everyone(sessionmaker, bot, now)
        config = SenderConfig(batch_size=20, flush_every=5, lease_s=60)

        crashed = OutboxSender(sessionmaker, bot, build_core(), config, clock=now)
        sending = asyncio.create_task(crashed.send_due())
        deadline = asyncio.get_running_loop().time() + 20
        while asyncio.get_running_loop().time() < deadline:
            if sandbox.stats["sent_messages"] >= 15:  # the progress message, then 14
                break
            await asyncio.sleep(0.01)
        sending.cancel()  # the process dies: what it claimed stays claimed
        with contextlib.suppress(asyncio.CancelledError):
            await sending
        in_flight = await rows_in(sessionmaker, OutboxStatus.SENDING)
        assert in_flight > 0
        now.advance(5)
        await jobs.tick()
        assert (await stored(sessionmaker, broadcast_id)).status == "sending"

        restarted = OutboxSender(sessionmaker, bot, build_core(), config, clock=now)
        await restarted.send_due()  # what was never claimed; the dead sender's claims wait
        assert await rows_in(sessionmaker, OutboxStatus.SENDING) == in_flight
        now.advance(config.lease_s)
        await restarted.send_due()
        assert await rows_in(sessionmaker, OutboxStatus.SENDING) == 0

        assert await jobs.tick() == 1
        assert (await stored(sessionmaker, broadcast_id)).status == "done"
        await restarted.send_due()
        [report] = reports(sandbox)
        assert "Reçu par : 40" in report
        assert "Injoignables (bot bloqué) : 2" in report and "Échecs : 1" in report
        received = collections.Counter(
            chat
            for chat in self.PEOPLE
            for m in bot_messages(sandbox, chat)
            if m.text == (f"📣 Vos conseillers\n\n{TEXT}")
        )
        assert set(received) == set(self.PEOPLE)
        assert max(received.values()) <= 2
        assert sum(received.values()) - len(self.PEOPLE) <= in_flight
