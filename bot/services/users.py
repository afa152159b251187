"""Telegram accounts and their language choice."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import User
from bot.i18n import LOCALES


async def get_or_create_user(session: AsyncSession, telegram_id: int) -> User:
    """One row per Telegram account, created on first contact (safe under concurrent updates)."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    await session.execute(
        insert(User)
        .values(telegram_id=telegram_id, created_at=now, last_seen_at=now)
        .on_conflict_do_update(index_elements=[User.telegram_id], set_={"last_seen_at": now})
    )
    return (await session.execute(select(User).where(User.telegram_id == telegram_id))).scalar_one()


async def set_locale(session: AsyncSession, user: User, locale: str) -> None:
    """A user's language is one of ours; anything else is a programming error."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    user.locale = locale
    await session.flush()
