"""Accounts are created once and keep the language the user chose."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.db.models import User
from bot.services.participants import accounts as users


async def test_first_contact_creates_one_account_without_language(session) -> None:
    user = await users.get_or_create_user(session, 555)
    again = await users.get_or_create_user(session, 555)
    await session.commit()
    assert user.id == again.id
    assert user.locale is None


async def test_simultaneous_first_updates_create_a_single_account(sessionmaker) -> None:
    async def touch() -> None:
        async with sessionmaker() as session:
            await users.get_or_create_user(session, 777)
            await session.commit()

    await asyncio.gather(*(touch() for _ in range(5)))
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(User))
    assert count == 1


async def test_language_choice_is_stored(session) -> None:
    user = await users.get_or_create_user(session, 556)
    await users.set_locale(session, user, "nl")
    await session.commit()
    stored = await session.scalar(select(User.locale).where(User.telegram_id == 556))
    assert stored == "nl"


async def test_unknown_language_is_refused(session) -> None:
    user = await users.get_or_create_user(session, 557)
    with pytest.raises(ValueError):
        await users.set_locale(session, user, "de")
