"""The clock's broadcast job: each broadcast being sent has its author's progress message
edited (at most every 5 s), then, once none of its rows waits, its report queued.

Safe with several bot processes: a conditional update on `progress_at` (or on the status,
for the report) lets one process act per round. A progress message Telegram refuses to edit
(deleted, not modified) only costs that edit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Broadcast, BroadcastStatus, User
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore
from bot.services.broadcasts import sending as broadcasts

log = logging.getLogger(__name__)

PROGRESS_EVERY = timedelta(seconds=5)


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
        """Edit progress messages (at most every 5 s) and queue final reports; returns how
        many broadcasts were followed up."""
        async with self.sessionmaker() as session:
            sending = list(
                await session.scalars(
                    select(Broadcast.id)
                    .where(Broadcast.status == BroadcastStatus.SENDING)
                    .order_by(Broadcast.id)
                )
            )
        followed = 0
        for broadcast_id in sending:
            followed += await self._follow(broadcast_id)
        return followed

    async def _follow(self, broadcast_id: int) -> bool:
        now = self.now()
        async with self.sessionmaker() as session, session.begin():
            broadcast = await session.get(Broadcast, broadcast_id)
            counts = await broadcasts.progress(session, broadcast)
            if counts.finished:
                acted = await broadcasts.finish(session, broadcast, counts, now)
            else:
                acted = await broadcasts.claim_progress(session, broadcast, now, PROGRESS_EVERY)
            locale = await session.scalar(
                select(User.locale).where(User.telegram_id == broadcast.progress_chat_id)
            )
        if acted:
            # After the commit: no transaction is held open while Telegram answers.
            await self._edit(broadcast, counts.sent, locale or DEFAULT_LOCALE)
        return acted

    async def _edit(self, broadcast: Broadcast, sent: int, locale: str) -> None:
        if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
            return
        text = self.core.get("bc-progress", locale, sent=sent, total=broadcast.total)
        try:
            await self.bot.edit_message_text(
                text=text,
                chat_id=broadcast.progress_chat_id,
                message_id=broadcast.progress_message_id,
            )
        except TelegramAPIError as error:
            log.info("broadcast %s: progress not edited (%s)", broadcast.id, type(error).__name__)
