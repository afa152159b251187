"""The clock runs jobs at Paris time, one run at a time, and survives a failing job."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.scheduler import Clock

PARIS = ZoneInfo("Europe/Paris")


async def nothing() -> None:
    return None


async def test_daily_and_weekly_jobs_run_at_paris_local_time() -> None:
    clock = Clock("Europe/Paris")
    clock.daily(9, 0, nothing, "digest")
    clock.weekly("mon", 9, 0, nothing, "weekly-digest")
    await clock.start()
    try:
        daily = clock.scheduler.get_job("digest").next_run_time.astimezone(PARIS)
        weekly = clock.scheduler.get_job("weekly-digest").next_run_time.astimezone(PARIS)
    finally:
        clock.shutdown()
    assert (daily.hour, daily.minute) == (9, 0)
    assert (weekly.weekday(), weekly.hour) == (0, 9)
    assert daily > datetime.now(PARIS)


async def test_a_failing_job_does_not_stop_the_clock() -> None:
    runs: list[int] = []

    async def flaky() -> None:
        runs.append(1)
        raise RuntimeError("boom")

    clock = Clock("Europe/Paris")
    clock.every(0.05, flaky, "flaky")
    await clock.start()
    try:
        for _ in range(100):
            if len(runs) >= 3:
                break
            await asyncio.sleep(0.02)
    finally:
        clock.shutdown()
    assert len(runs) >= 3
