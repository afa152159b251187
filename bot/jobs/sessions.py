"""Online sessions on the clock: "how was it?" once a session's attendance is settled."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.services.sessions import after_session


class SessionJobs:
    """Online sessions on the clock: "how was it?" once a session's attendance is settled."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], tz: ZoneInfo, now=utcnow
    ) -> None:
        self.sessionmaker, self.tz, self.now = sessionmaker, tz, now

    async def feedback(self) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await after_session.ask_feedback_due(session, self.now(), self.tz)
