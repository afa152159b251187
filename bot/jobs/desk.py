"""The counsellors' desk (escalations) on the clock: first-answer deadlines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.services.desk import tickets


class DeskJobs:
    """The counsellors' desk on the clock: first-answer deadlines (nudge, then backup)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        tz: ZoneInfo,
        desk_chat_id: int | None = None,
        now=utcnow,
    ) -> None:
        self.sessionmaker, self.tz, self.desk_chat_id, self.now = (
            sessionmaker,
            tz,
            desk_chat_id,
            now,
        )

    async def deadlines(self) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await tickets.check_deadlines(session, self.now(), self.tz, self.desk_chat_id)
