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


async def test_stopping_lets_a_running_tick_finish_and_logs_no_traceback(caplog) -> None:
    """A tick in the middle of its database work when the bot stops: it finishes (the stop
    waits for it), and nothing is reported as a failure. CI once saw the executor cancel it
    and APScheduler log the CancelledError as 'Job raised an exception'."""
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow_tick() -> None:
        started.set()
        await asyncio.sleep(0.3)
        finished.set()

    clock = Clock("Europe/Paris", stop_grace_s=5)
    clock.every(0.05, slow_tick, "slow")
    await clock.start()
    await asyncio.wait_for(started.wait(), 5)
    await clock.stop()

    assert finished.is_set()
    assert [r for r in caplog.records if r.levelno >= 40] == []


async def test_a_tick_that_outlasts_the_grace_is_stopped_with_one_warning(caplog) -> None:
    started = asyncio.Event()

    async def stuck_tick() -> None:
        started.set()
        await asyncio.sleep(60)

    clock = Clock("Europe/Paris", stop_grace_s=0.2)
    clock.every(0.05, stuck_tick, "stuck")
    await clock.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(clock.stop(), 5)
    await asyncio.sleep(0.05)  # the executor's done-callbacks

    assert [r for r in caplog.records if r.levelno >= 40] == []
    [warning] = [r for r in caplog.records if r.levelno == 30]
    assert "stuck" in warning.getMessage()
