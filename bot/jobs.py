"""The clock's vacancy jobs: each opens its own transaction and calls a service."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.services import alerts
from bot.services.translation import Translator


class VacancyJobs:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        translator: Translator,
        tz: ZoneInfo,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.tz = tz

    async def pipeline(self, now: datetime | None = None) -> int:
        """Translate new vacancies and queue their instant alerts (every outbox tick)."""
        async with self.sessionmaker() as session, session.begin():
            return await alerts.process_vacancies(
                session, self.translator, now or utcnow(), self.tz
            )

    async def daily_digest(self, now: datetime | None = None) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await alerts.send_digests(session, "daily", now or utcnow(), self.tz)

    async def weekly_digest(self, now: datetime | None = None) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await alerts.send_digests(session, "weekly", now or utcnow(), self.tz)
