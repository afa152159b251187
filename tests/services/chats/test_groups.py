"""The note "I work in private" is said once per group, however many updates come at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.services.chats import notes as groups

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
GROUP, OTHER = -1_001_000_000_001, -4_000_000_002


async def test_the_first_ask_per_chat_says_it_then_never_again(sessionmaker) -> None:
    async with sessionmaker() as session:
        assert await groups.first_note(session, GROUP, NOW)
        assert not await groups.first_note(session, GROUP, NOW)
        assert await groups.first_note(session, OTHER, NOW)
        await session.commit()
    async with sessionmaker() as session:
        assert not await groups.first_note(session, GROUP, NOW)


async def test_updates_from_one_group_at_once_say_it_once(sessionmaker) -> None:
    async def ask() -> bool:
        async with sessionmaker() as session:
            first = await groups.first_note(session, GROUP, NOW)
            await asyncio.sleep(0.05)  # both transactions open together
            await session.commit()
            return first

    assert sorted(await asyncio.gather(*(ask() for _ in range(5)))) == [False] * 4 + [True]
