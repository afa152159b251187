"""The clock's vacancy jobs: a bot that was down at nine still sends the day's digests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.db.models import OutboxMessage
from bot.jobs.vacancies import VacancyJobs
from bot.services.translation.translator import Translator
from tests.helpers.people import PARIS, add_person
from tests.helpers.vacancies import add_vacancy


async def digests(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).where(OutboxMessage.dedupe_key.startswith("digest:"))
        )


async def seed(sessionmaker, mode: str) -> None:
    async with sessionmaker() as session:
        await add_person(session, 1, mode=mode)
        await add_vacancy(session, 1)
        await session.commit()


async def test_a_start_after_nine_sends_the_missed_daily_digest_once(sessionmaker) -> None:
    await seed(sessionmaker, "daily")
    jobs = VacancyJobs(sessionmaker, Translator([]), PARIS)
    eleven = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tuesday 11:00 in Paris
    await jobs.catch_up(eleven)
    await jobs.catch_up(eleven)  # a second restart the same day
    assert await digests(sessionmaker) == 1


async def test_a_start_in_the_quiet_hours_waits_for_the_next_morning(sessionmaker) -> None:
    await seed(sessionmaker, "daily")
    jobs = VacancyJobs(sessionmaker, Translator([]), PARIS)
    await jobs.catch_up(datetime(2026, 12, 1, 21, 30, tzinfo=UTC))  # 22:30 in Paris
    await jobs.catch_up(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00 in Paris
    assert await digests(sessionmaker) == 0


async def test_a_monday_start_also_sends_the_weekly_digest(sessionmaker) -> None:
    await seed(sessionmaker, "weekly")
    jobs = VacancyJobs(sessionmaker, Translator([]), PARIS)
    await jobs.catch_up(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))  # Monday 13:00
    await jobs.catch_up(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # Tuesday: not weekly
    assert await digests(sessionmaker) == 1
