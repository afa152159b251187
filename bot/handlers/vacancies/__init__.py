"""Vacancies for a participant: `/jobs`, and the buttons under alerts and digests (interested,
not for me, stop)."""

from bot.handlers.vacancies.participant import build_router

__all__ = ["build_router"]
