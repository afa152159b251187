"""The bot outside private chats: it says once per group that it works in private. Whether
it has said so is kept in the database, so a restart (or another replica) does not say it
again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import upsert_insert
from bot.db.models import GroupNote


async def first_note(session: AsyncSession, chat_id: int, now: datetime) -> bool:
    """True the first time it is asked for this chat (the note is then to be said), False
    ever after. Atomic: two updates from the same group at once get one True."""
    insert = upsert_insert(session)
    statement = (
        insert(GroupNote)
        .values(chat_id=chat_id, said_at=now)
        .on_conflict_do_nothing(index_elements=["chat_id"])
        .returning(GroupNote.chat_id)
    )
    return (await session.execute(statement)).first() is not None
