"""The clock's broadcast job: progress messages and final reports (skeleton: being built)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import HtmlFluentCore


class BroadcastJobs:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        core: HtmlFluentCore,
        now: Callable[[], datetime],
    ) -> None:
        self.sessionmaker, self.bot, self.core, self.now = sessionmaker, bot, core, now

    async def tick(self) -> int:
        """Edit progress messages (at most every 5 s) and send final reports."""
        return 0
