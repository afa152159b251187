"""Programme sessions (company presentations, workshops) in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.base import utcnow
from bot.db.models import ProgrammeSession, SessionStatus

IN_A_WEEK = timedelta(days=7)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # a Friday, 11:00 in Paris


async def add_session(session, *, capacity: int = 10, starts_in=IN_A_WEEK, **extra) -> int:
    """A published session starting `starts_in` from the real now; its id."""
    programme_session = ProgrammeSession(
        kind="company_presentation",
        title_fr="Vlaamse Verpakking se présente",
        starts_at=utcnow() + starts_in,
        duration_min=60,
        url="https://meet.example/vv",
        capacity=capacity,
        status=extra.pop("status", SessionStatus.PUBLISHED),
        cutoff_hours=extra.pop("cutoff_hours", 24),
        **extra,
    )
    session.add(programme_session)
    await session.flush()
    return programme_session.id


async def a_session(session, *, capacity=10, starts_in=timedelta(days=5), **extra):
    """A session starting `starts_in` after NOW."""
    programme_session = ProgrammeSession(
        kind=extra.pop("kind", "company_presentation"),
        title_fr=extra.pop("title_fr", "Vlaamse Verpakking se présente"),
        starts_at=NOW + starts_in,
        duration_min=60,
        url="https://meet.example/vv",
        capacity=capacity,
        cutoff_hours=24,
        **extra,
    )
    session.add(programme_session)
    await session.flush()
    return programme_session
