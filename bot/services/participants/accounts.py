"""Telegram accounts and their language choice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc, utcnow
from bot.db.engine import upsert_insert
from bot.db.models import User
from bot.i18n import LOCALES

# last_seen_at feeds retention (two years after the last contact): a day's precision is enough,
# and skipping the write keeps most updates read-only.
LAST_SEEN_PRECISION = timedelta(hours=1)


async def get_or_create_user(session: AsyncSession, telegram_id: int) -> User:
    """One row per Telegram account, created on first contact (safe under concurrent updates)."""
    query = select(User).where(User.telegram_id == telegram_id)
    user = (await session.execute(query)).scalar_one_or_none()
    now = utcnow()
    if user is None:
        insert = upsert_insert(session)
        await session.execute(
            insert(User)
            .values(telegram_id=telegram_id, created_at=now, last_seen_at=now)
            .on_conflict_do_nothing(index_elements=[User.telegram_id])
        )
        return (await session.execute(query)).scalar_one()
    if now - as_utc(user.last_seen_at) > LAST_SEEN_PRECISION:
        user.last_seen_at = now
    return user


async def set_locale(session: AsyncSession, user: User, locale: str) -> None:
    """A user's language is one of ours; anything else is a programming error."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    user.locale = locale
    await session.flush()


async def set_reachable(session: AsyncSession, telegram_id: int, *, reachable: bool) -> None:
    """A user who blocked the bot gets nothing more until they unblock it."""
    user = await get_or_create_user(session, telegram_id)
    user.reachable = reachable
    user.blocked_at = None if reachable else utcnow()
    await session.flush()
