"""What staff and operators see of delivery: the outbox by status, unreachable people."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import OutboxMessage, OutboxStatus, User

STATUSES = (
    OutboxStatus.PENDING,
    OutboxStatus.SENDING,
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.CANCELLED,
)


async def delivery_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    counts = dict.fromkeys(STATUSES, 0) | dict(rows.all())
    counts["unreachable users"] = await session.scalar(
        select(func.count()).select_from(User).where(User.reachable.is_(False))
    )
    return counts


async def outbox_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            return await delivery_counts(session)
    finally:
        await engine.dispose()
