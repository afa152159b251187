"""What staff and operators see of delivery: the outbox by status, unreachable people, the
channels set up and what went by each (`enavant outbox status`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.delivery.channels import Channel
from bot.delivery.providers import describe

STATUSES = (
    OutboxStatus.PENDING,
    OutboxStatus.SENDING,
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.CANCELLED,
)


async def outbox_by_status(session: AsyncSession) -> dict[str, int]:
    """Outbox rows by status, every status named (0 when none)."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return dict.fromkeys(STATUSES, 0) | dict(rows.all())


async def delivery_counts(session: AsyncSession) -> dict[str, int]:
    counts: dict[str, int] = dict(await outbox_by_status(session))
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


async def channel_counts(session: AsyncSession) -> dict[str, int]:
    """Messages sent by each channel (a row sent before channels existed went by Telegram),
    the SMS segments they cost, and the SMS receipts: delivered, or failed (undelivered
    included)."""
    channel = func.coalesce(OutboxMessage.channel, Channel.TELEGRAM.value)
    rows = await session.execute(
        select(channel, func.count(), func.sum(OutboxMessage.segments))
        .where(OutboxMessage.status == OutboxStatus.SENT)
        .group_by(channel)
    )
    sent = {name: (count, segments or 0) for name, count, segments in rows.all()}
    receipts = dict(
        (
            await session.execute(
                select(OutboxMessage.receipt, func.count())
                .where(OutboxMessage.channel == Channel.SMS.value)
                .where(OutboxMessage.receipt.is_not(None))
                .group_by(OutboxMessage.receipt)
            )
        ).all()
    )
    counts = {f"sent by {c.value}": sent.get(c.value, (0, 0))[0] for c in Channel}
    counts["sms segments"] = int(sent.get(Channel.SMS.value, (0, 0))[1])
    counts["sms delivered"] = receipts.get("delivered", 0)
    counts["sms failed"] = receipts.get("failed", 0) + receipts.get("undelivered", 0)
    return counts


async def outbox_report(settings: Settings) -> list[str]:
    """The lines of `enavant outbox status`: the outbox by status and unreachable people,
    the channels set up, and what went by each."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            by_status = await delivery_counts(session)
            by_channel = await channel_counts(session)
    finally:
        await engine.dispose()
    return [
        *(f"{name}: {count}" for name, count in by_status.items()),
        *describe(settings),
        *(f"{name}: {count}" for name, count in by_channel.items()),
    ]
