"""The clock: APScheduler ticks that only read and write tables, so a restart or a second
replica neither loses nor doubles work (durable facts live in our tables, not in jobs)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.db.base import utcnow

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]
# What handlers get as `current_time`: the bot's now (a ShiftedTime in tests and the demo).
Now = Callable[[], datetime]


class Clock:
    """Periodic jobs of the bot, at local times in `tz` (Europe/Paris by default)."""

    def __init__(self, tz: str) -> None:
        self.tz = ZoneInfo(tz)
        self.scheduler = AsyncIOScheduler(timezone=self.tz)
        self._jobs: list[tuple[Job, object, str]] = []

    def every(self, seconds: float, job: Job, name: str) -> None:
        self._add(job, IntervalTrigger(seconds=seconds, timezone=self.tz), name)

    def daily(self, hour: int, minute: int, job: Job, name: str) -> None:
        self._add(job, CronTrigger(hour=hour, minute=minute, timezone=self.tz), name)

    def weekly(self, day_of_week: str, hour: int, minute: int, job: Job, name: str) -> None:
        """`day_of_week` in APScheduler's words: "mon", "tue"..."""
        trigger = CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=self.tz)
        self._add(job, trigger, name)

    def _add(self, job: Job, trigger, name: str) -> None:
        self._jobs.append((job, trigger, name))

    @property
    def job_names(self) -> list[str]:
        return [name for _, _, name in self._jobs]

    async def start(self) -> None:
        """Async on purpose: APScheduler binds to the running loop (aiogram would run a plain
        function in a worker thread)."""
        for job, trigger, name in self._jobs:
            # One run at a time per job; runs missed while busy or stopped collapse into one.
            self.scheduler.add_job(
                _logged(job, name),
                trigger,
                id=name,
                name=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                replace_existing=True,
            )
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


def _logged(job: Job, name: str) -> Job:
    async def run() -> None:
        try:
            await job()
        except Exception:
            # A failing tick must not kill the clock; the next tick tries again.
            log.exception("scheduled job %s failed", name)

    return run


class ShiftedTime:
    """Real time plus however far it was moved forward: the bot's `now` in the demo and the
    tests, which skip days (to a reminder) without waiting for them."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by
