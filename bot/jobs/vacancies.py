"""Vacancies on the clock: translation and instant alerts every tick, the daily and weekly
digests, and the digests missed while the bot was down."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.services.translation.translator import Translator
from bot.services.vacancies import alerts
from bot.services.vacancies.matches import FollowedIndex

DIGEST_AT = time(9, 0)


class VacancyJobs:
    """Vacancy work on the clock: the pipeline every tick, the daily digest at `DIGEST_AT`,
    the weekly one on Mondays at the same time."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        translator: Translator,
        tz: ZoneInfo,
        followed: FollowedIndex | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.translator = translator
        self.tz = tz
        self.followed = followed or FollowedIndex()

    async def pipeline(self, now: datetime | None = None) -> int:
        """Translate new vacancies and queue their instant alerts (every outbox tick)."""
        async with self.sessionmaker() as session, session.begin():
            return await alerts.process_vacancies(
                session, self.translator, now or utcnow(), self.tz, followed=self.followed
            )

    async def daily_digest(self, now: datetime | None = None) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await alerts.send_digests(session, "daily", now or utcnow(), self.tz)

    async def weekly_digest(self, now: datetime | None = None) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await alerts.send_digests(session, "weekly", now or utcnow(), self.tz)

    async def catch_up(self, now: datetime | None = None) -> None:
        """At start-up: the digests of today if the bot was down at `DIGEST_AT` (the clock
        keeps no memory of missed runs). Harmless when they went out: nobody gets a second
        digest the same day. Not during the quiet hours."""
        now = now or utcnow()
        local = now.astimezone(self.tz)
        if not DIGEST_AT <= local.time() < alerts.QUIET_FROM:
            return
        await self.daily_digest(now)
        if local.weekday() == 0:
            await self.weekly_digest(now)
