"""The vacancies' buttons as aiogram reads them, built from the format services use too
(`bot.services.vacancies.callbacks`)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.services.vacancies.callbacks import VacancyCallback


class VacancyAction(CallbackData, VacancyCallback, prefix=VacancyCallback.__prefix__):
    """`VacancyCallback` as aiogram packs, parses and filters it."""
