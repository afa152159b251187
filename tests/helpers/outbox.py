"""The outbox's rows and what the sandbox received from the sender."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.delivery import outbox


def bot_messages(sandbox, chat_id: int) -> list:
    return [m for m in sandbox.chat_messages(chat_id) if m.from_bot]


async def rows(sessionmaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def enqueue_many(sessionmaker, chat_id: int, count: int, prefix: str = "m") -> None:
    async with sessionmaker() as session:
        for n in range(count):
            await outbox.enqueue(
                session,
                chat_id=chat_id,
                dedupe_key=f"{prefix}:{chat_id}:{n}",
                key="fallback-command",
                variables={"command": f"/{prefix}{n}"},
            )
        await session.commit()
