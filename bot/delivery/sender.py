"""The only place that sends scheduled or bulk messages: claims due outbox rows, sends them
through the limiter, records each outcome (DESIGN.md §4 "Outbox and delivery").

- a claim is a lease: a row claimed by a process that died is claimed again after `lease_s`,
  so after a crash each in-flight row is sent at most twice and no row is lost;
- PostgreSQL claims with FOR UPDATE SKIP LOCKED, so several senders never take the same row;
- 429: the limiter paused everyone and retried; if Telegram still refuses, the row waits;
- 403: the user blocked the bot: they are marked unreachable and nothing more is sent to them;
- 400: failed with Telegram's reason, never retried;
- network errors and 5xx: retried with exponential backoff and jitter, then failed.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True)
class SenderConfig:
    batch_size: int = 100
    concurrency: int = 32  # chats being sent to at the same time
    lease_s: float = 300.0
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    flush_every: int = 50  # outcomes recorded per transaction


@dataclass(frozen=True)
class _Claimed:
    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class _Outcome:
    row_id: int
    values: dict[str, Any]
    blocked_chat: int | None = None


class OutboxSender:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        core: HtmlFluentCore,
        config: SenderConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._bot = bot
        self._core = core
        self.config = config or SenderConfig()
        self._clock = clock
        self._outcomes: list[_Outcome] = []
        self._running = asyncio.Lock()
        self._stopped = False

    async def send_due(self) -> int:
        """Send everything due now, batch after batch; returns how many rows were handled."""
        handled = 0
        async with self._running:
            while not self._stopped:
                count = await self.send_batch()
                handled += count
                if count < self.config.batch_size:
                    break
        return handled

    async def stop(self) -> None:
        """Let the batch being sent finish and record its outcomes; send nothing after."""
        async with self._running:
            self._stopped = True

    async def send_batch(self) -> int:
        rows = await self._claim()
        if not rows:
            return 0
        recipients = await self._recipients({row.chat_id for row in rows})
        by_chat: dict[int, list[_Claimed]] = {}
        for row in rows:
            by_chat.setdefault(row.chat_id, []).append(row)
        gate = asyncio.Semaphore(self.config.concurrency)

        async def send_chat(chat_rows: list[_Claimed]) -> None:
            async with gate:
                for row in chat_rows:  # one chat's messages keep their order
                    await self._send_one(row, recipients.get(row.chat_id))

        await asyncio.gather(*(send_chat(chat_rows) for chat_rows in by_chat.values()))
        await self._flush()
        return len(rows)

    async def _claim(self) -> list[_Claimed]:
        now = self._clock()
        due = or_(
            and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now),
            and_(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < now - timedelta(seconds=self.config.lease_s),
            ),
        )
        async with self._sessionmaker() as session, session.begin():
            ids = (
                await session.scalars(
                    select(OutboxMessage.id)
                    .where(due)
                    .order_by(OutboxMessage.not_before, OutboxMessage.id)
                    .limit(self.config.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not ids:
                return []
            # `due` again: on SQLite the select ran before the write lock was taken.
            claimed = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), due)
                .values(
                    status=OutboxStatus.SENDING,
                    claimed_at=now,
                    attempts=OutboxMessage.attempts + 1,
                )
                .returning(
                    OutboxMessage.id,
                    OutboxMessage.chat_id,
                    OutboxMessage.kind,
                    OutboxMessage.payload,
                    OutboxMessage.attempts,
                )
            )
            rows = [_Claimed(*row) for row in claimed]
        rows.sort(key=lambda row: ids.index(row.id))
        return rows

    async def _recipients(self, chat_ids: set[int]) -> dict[int, tuple[str | None, bool]]:
        async with self._sessionmaker() as session:
            found = await session.execute(
                select(User.telegram_id, User.locale, User.reachable).where(
                    User.telegram_id.in_(chat_ids)
                )
            )
            return {telegram_id: (locale, reachable) for telegram_id, locale, reachable in found}

    async def _send_one(self, row: _Claimed, recipient: tuple[str | None, bool] | None) -> None:
        locale, reachable = recipient or (None, True)
        if not reachable:
            await self._record(row, status=OutboxStatus.FAILED, error="blocked")
            return
        try:
            message = await self._deliver(row, row.payload.get("locale") or locale)
        except TelegramRetryAfter as error:
            delay = timedelta(seconds=error.retry_after)
            await self._record(
                row,
                status=OutboxStatus.PENDING,
                not_before=self._clock() + delay,
                attempts=row.attempts - 1,  # Telegram's pace, not the message's fault
            )
        except TelegramForbiddenError:
            log.info("outbox %s: chat %s blocked the bot", row.id, row.chat_id)
            await self._record(row, status=OutboxStatus.FAILED, error="blocked", blocked=True)
        except TelegramBadRequest as error:
            log.warning("outbox %s: refused: %s", row.id, error.message)
            await self._record(row, status=OutboxStatus.FAILED, error=error.message[:500])
        except (TelegramNetworkError, TelegramServerError) as error:
            await self._retry_later(row, f"{type(error).__name__}: {error.message}"[:500])
        except TelegramAPIError as error:
            log.warning("outbox %s: %s", row.id, type(error).__name__)
            await self._record(row, status=OutboxStatus.FAILED, error=error.message[:500])
        except Exception as error:
            # A row that cannot even be rendered must not stop the rows after it.
            log.exception("outbox %s: cannot be sent", row.id)
            await self._record(row, status=OutboxStatus.FAILED, error=type(error).__name__)
        else:
            await self._record(
                row,
                status=OutboxStatus.SENT,
                sent_at=self._clock(),
                telegram_message_id=message.message_id,
                error=None,
            )

    async def _deliver(self, row: _Claimed, locale: str | None):
        return await deliver(self._bot, self._core, row.chat_id, row.kind, row.payload, locale)

    async def _retry_later(self, row: _Claimed, error: str) -> None:
        if row.attempts >= self.config.max_attempts:
            log.warning("outbox %s: giving up after %s attempts", row.id, row.attempts)
            await self._record(row, status=OutboxStatus.FAILED, error=error)
            return
        delay = min(self.config.backoff_max_s, self.config.backoff_base_s * 2 ** (row.attempts - 1))
        delay *= random.uniform(0.5, 1.5)  # jitter: retries of one outage do not stampede
        await self._record(
            row,
            status=OutboxStatus.PENDING,
            not_before=self._clock() + timedelta(seconds=delay),
            error=error,
        )

    async def _record(self, row: _Claimed, *, blocked: bool = False, **values: Any) -> None:
        self._outcomes.append(_Outcome(row.id, values, row.chat_id if blocked else None))
        if len(self._outcomes) >= self.config.flush_every:
            await self._flush()

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        now = self._clock()
        async with self._sessionmaker() as session, session.begin():
            for outcome in outcomes:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == outcome.row_id)
                    .values(**outcome.values)
                )
                if outcome.blocked_chat is not None:
                    await session.execute(
                        update(User)
                        .where(User.telegram_id == outcome.blocked_chat)
                        .values(reachable=False, blocked_at=now)
                    )


async def deliver(
    bot: Bot,
    core: HtmlFluentCore,
    chat_id: int,
    kind: str,
    payload: dict[str, Any],
    locale: str | None,
) -> Message:
    """Send one outbox message now. Handlers use it too, for a preview exactly as the
    recipients will get it. A file is uploaded, or sent by its Telegram file_id."""
    text, markup = render(core, payload, locale or DEFAULT_LOCALE)
    thread = payload.get("thread_id")  # a forum topic, when the chat is the desk group
    if kind == "text":
        preview = None if payload.get("link_preview", True) else NO_PREVIEW
        return await bot.send_message(
            chat_id,
            text,
            reply_markup=markup,
            message_thread_id=thread,
            link_preview_options=preview,
        )
    file = payload["file"]
    if "file_id" in file:
        media: str | BufferedInputFile = file["file_id"]
    else:
        media = BufferedInputFile(base64.b64decode(file["content_b64"]), file["filename"])
    if kind == "photo":
        return await bot.send_photo(
            chat_id, media, caption=text, reply_markup=markup, message_thread_id=thread
        )
    return await bot.send_document(
        chat_id, media, caption=text, reply_markup=markup, message_thread_id=thread
    )


def render(
    core: HtmlFluentCore, payload: dict[str, Any], locale: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of an outbox payload in `locale`. Handlers use it too, so a card
    answered directly looks exactly like the same card sent by the outbox."""
    text = core.render(payload["key"], locale, payload.get("vars", {}))
    rows = payload.get("buttons")
    if not rows:
        return text, None
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=button.get("text")
                    or core.render(button["key"], locale, button.get("vars", {})),
                    callback_data=button.get("callback_data"),
                    url=button.get("url"),
                )
                for button in row
            ]
            for row in rows
        ]
    )
    return text, markup
