"""Vacancies in the database."""

from __future__ import annotations

from datetime import date

from bot.db.models import TranslationState, Vacancy
from tests.helpers.people import FORKLIFT, KORTRIJK


async def add_vacancy(session, n: int, *, occupation=FORKLIFT, km_east: float = 0.0, **extra):
    vacancy = Vacancy(
        external_id=f"VDAB-{n}",
        lang="nl",
        title_nl=f"Heftruckchauffeur {n} (m/v/x)",
        title_fr=f"Cariste {n} (h/f/x)",
        description_nl="Je rijdt met de heftruck.",
        description_fr="Vous conduisez le chariot.",
        translation=TranslationState.DONE,
        employer="Vlaamse Verpakking NV",
        occupation=occupation,
        postcode="8500",
        municipality="Kortrijk",
        lat=KORTRIJK[0],
        lon=KORTRIJK[1] + km_east / 70.0,
        dutch_level="A1",
        driving_licence=False,
        contract="permanent",
        schedule=["shifts"],
        published=date(2026, 11, 30),
        **extra,
    )
    session.add(vacancy)
    await session.flush()
    return vacancy


async def publish(sessionmaker, n: int = 1, **extra) -> int:
    """Vacancy `n` stored and committed (the alert job finds it); its id."""
    async with sessionmaker() as session:
        vacancy = await add_vacancy(session, n, **extra)
        await session.commit()
        return vacancy.id
