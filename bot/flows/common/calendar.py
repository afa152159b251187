"""The calendar staff pick a session's day on (`session_post`): from today, by the bot's
clock in the programme's zone, to a year ahead, its months and days named in the reader's
language."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Calendar, CalendarScope, CalendarUserConfig
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Text
from babel.dates import format_date

from bot.flows.common.steps import i18n_of, programme_today, programme_tz
from bot.services.sessions.reminders import BABEL_LOCALES

DAYS_AHEAD = 366  # how far the calendar reaches


def local_date(day: date, pattern: str, manager: DialogManager) -> str:
    """A date in the reader's language, capitalised ("Avril 2026", "Maandag 6 april")."""
    text = format_date(day, pattern, locale=BABEL_LOCALES[i18n_of(manager).locale])
    return text[:1].upper() + text[1:]


class _LocalDate(Text):
    """A calendar label in the reader's language (babel), inside `frame`."""

    def __init__(self, pattern: str, frame: str = "{}") -> None:
        super().__init__()
        self.pattern = pattern
        self.frame = frame

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        return self.frame.format(local_date(data["date"], self.pattern, manager))


class _DayNumber(Text):
    """A day of the month; today (by the bot's clock, in the programme's zone) in brackets."""

    async def _render_text(self, data: dict, manager: DialogManager) -> str:
        day: date = data["date"]
        return f"[{day.day}]" if day == programme_today(manager) else str(day.day)


class _DaysView(CalendarDaysView):
    """The month's days, without the weeks that are wholly before today (blank buttons)."""

    async def _render_days(self, config, offset, data, manager) -> list:
        rows = await super()._render_days(config, offset, data, manager)
        return [row for row in rows if any(button.text.strip() for button in row)]


class ProgrammeCalendar(Calendar):
    """Days from today to a year ahead, named in the reader's language."""

    def _init_views(self) -> dict:
        month_year = "LLLL y"
        return {
            CalendarScope.DAYS: _DaysView(
                self._item_callback_data,
                date_text=_DayNumber(),
                today_text=_DayNumber(),
                weekday_text=_LocalDate("EEEEEE"),
                header_text=_LocalDate(month_year, "🗓 {}"),
                next_month_text=_LocalDate(month_year, "{} >>"),
                prev_month_text=_LocalDate(month_year, "<< {}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=_LocalDate("LLLL"),
                this_month_text=_LocalDate("LLLL", "[ {} ]"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _get_user_config(self, data: dict, manager: DialogManager) -> CalendarUserConfig:
        today = programme_today(manager)
        return CalendarUserConfig(
            firstweekday=0,  # Monday, in France and Belgium
            timezone=programme_tz(manager),
            min_date=today,
            max_date=today + timedelta(days=DAYS_AHEAD),
        )

    async def _render_keyboard(self, data: dict, manager: DialogManager):
        # Opens on this month by the bot's clock, and never on a month already over.
        today = programme_today(manager)
        offset = self.get_offset(manager)
        if offset is None or offset < today.replace(day=1):
            self.set_offset(today, manager)
        return await super()._render_keyboard(data, manager)
