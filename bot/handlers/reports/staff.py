"""`/report` in the bot: the period, then the programme's figures as a table and a chart, for the
territories the staff member acts on (`bot.services.reports`)."""

from __future__ import annotations

import asyncio
import html
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Now, today_in
from bot.db.models import Staff
from bot.handlers.common.staff_only import StaffOnly
from bot.services.participants.reached import ALL_SET, Providers
from bot.services.reports import programme as report
from bot.services.staff import rights


class ReportPeriod(CallbackData, prefix="report"):
    period: str


async def ask_period(message: Message, i18n: I18nContext) -> None:
    builder = InlineKeyboardBuilder()
    for period, key in (
        ("month", "this-month"),
        ("last_month", "last-month"),
        ("year", "this-year"),
    ):
        builder.button(text=i18n.get(f"report-{key}"), callback_data=ReportPeriod(period=period))
    await message.answer(i18n.get("report-ask-period"), reply_markup=builder.adjust(1).as_markup())


async def send_report(
    callback: CallbackQuery,
    callback_data: ReportPeriod,
    i18n: I18nContext,
    session: AsyncSession,
    staff_member: Staff,
    current_time: Now,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
    providers: Providers = ALL_SET,
) -> None:
    """The figures as a table (monospace), then the chart (drawn off the event loop): the
    territories the staff member acts on (`rights.report_territories`)."""
    period = report.PERIODS.get(callback_data.period)
    if period is None:
        callback_answer.text = i18n.get("button-expired")
        return
    figures = await report.build_report(
        session,
        *period(today_in(tz, current_time())),
        tz=tz,
        territories=rights.report_territories(staff_member),
        providers=providers,
    )
    text = report.texts(i18n.locale)
    table = html.escape(report.as_table(figures, text))
    await callback.message.answer(f"{i18n.get('report-title')}\n<pre>{table}</pre>")
    png = await asyncio.to_thread(report.chart_png, figures, text)
    await callback.message.answer_photo(
        BufferedInputFile(png, "report.png"),
        caption=i18n.get("report-caption", period=report.period_text(figures, text)),
    )


def build_router() -> Router:
    router = Router(name="reports")
    router.message.middleware(StaffOnly())
    router.callback_query.middleware(StaffOnly())
    router.message.register(ask_period, Command("report"))
    router.callback_query.register(send_report, ReportPeriod.filter())
    return router
