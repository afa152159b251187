"""The only place that sends scheduled or bulk messages: claims due outbox rows, sends them
through the limiter, records each outcome (DESIGN.md §4 "Outbox and delivery").

- a claim is a lease: a row claimed by a process that died is claimed again after `lease_s`,
  so after a crash each in-flight row is sent at most twice and no row is lost; a live sender
  renews the lease of the rows it holds (every third of it), so a long 429 pause does not
  hand them to another sender;
- PostgreSQL claims with FOR UPDATE SKIP LOCKED, so several senders never take the same row;
- what a failure means is decided in `failures.classify`: 429 waits `retry_after`; 403 marks
  the user unreachable; Telegram's 400 fails with its reason; any other failure (5xx, a
  proxy's HTML page, a time-out, a dropped connection) is retried with backoff, then failed;
  each outcome is recorded by `outcomes.Outcomes`, for a participant's SMS and e-mail
  (`people.py`) as for Telegram;
- a row may say whom to tell when it finally fails (`if_failed`: a relayed message that
  could not be copied), and a message for a desk topic deleted since goes to the topic
  opened again (`thread_gone`).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageId,
    ReplyParameters,
)
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import OutboxMessage, OutboxStatus, User
from bot.delivery.channels import Channel, Channels
from bot.delivery.failures import Failure, Verdict, classify, thread_gone
from bot.delivery.outcomes import Claimed, Outcomes
from bot.delivery.people import PersonDelivery
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

# (chat, deleted topic) -> the topic opened again in its place, or None.
ThreadGone = Callable[[int, int], Awaitable[int | None]]


@dataclass(frozen=True)
class SenderConfig:
    batch_size: int = 100
    concurrency: int = 32  # chats being sent to at the same time
    lease_s: float = 45.0  # renewed while held: only a dead sender's rows wait for it
    max_attempts: int = 10  # backoff 2, 4, 8... capped: about 17 minutes of outage
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    flush_every: int = 50  # outcomes recorded per transaction


class OutboxSender:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        core: HtmlFluentCore,
        config: SenderConfig | None = None,
        clock: Callable[[], datetime] = utcnow,
        thread_gone: ThreadGone | None = None,
        channels: Channels | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._bot = bot
        self._core = core
        self.config = config or SenderConfig()
        self._clock = clock
        self._thread_gone = thread_gone
        self.outcomes = Outcomes(
            sessionmaker,
            clock,
            max_attempts=self.config.max_attempts,
            backoff_base_s=self.config.backoff_base_s,
            backoff_max_s=self.config.backoff_max_s,
            flush_every=self.config.flush_every,
        )
        self.people = PersonDelivery(
            sessionmaker, core, clock, self.outcomes, self._telegram, channels or Channels()
        )
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
        claimed = await self._claim()
        if claimed is None:
            return 0
        rows, claimed_at = claimed
        keeper = asyncio.create_task(self._keep_lease([row.id for row in rows], claimed_at))
        try:
            await self._send_rows(rows)
            await self.outcomes.flush()
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        return len(rows)

    async def _send_rows(self, rows: list[Claimed]) -> None:
        recipients = await self._recipients({row.chat_id for row in rows if row.chat_id})
        people = await self.people.contacts({r.participant_id for r in rows if r.participant_id})
        # One person's (or one chat's) messages keep their order, whatever the channel.
        by_chat: dict[tuple[str, int], list[Claimed]] = {}
        for row in rows:
            who = ("p", row.participant_id) if row.participant_id else ("c", row.chat_id or 0)
            by_chat.setdefault(who, []).append(row)
        gate = asyncio.Semaphore(self.config.concurrency)

        async def send_chat(chat_rows: list[Claimed]) -> None:
            async with gate:
                for row in chat_rows:
                    if row.participant_id:
                        await self.people.send(row, people.get(row.participant_id))
                    else:
                        await self._send_one(row, recipients.get(row.chat_id))

        await asyncio.gather(*(send_chat(chat_rows) for chat_rows in by_chat.values()))

    async def _claim(self) -> tuple[list[Claimed], datetime] | None:
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
                return None
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
                    OutboxMessage.dedupe_key,
                    OutboxMessage.participant_id,
                )
            )
            rows = [Claimed(*row) for row in claimed]
        if not rows:
            return None
        rows.sort(key=lambda row: ids.index(row.id))
        return rows, now

    async def _keep_lease(self, ids: list[int], claimed_at: datetime) -> None:
        """While the batch is out, its rows still in flight stay ours: their claim is moved
        forward every third of the lease. The claim time is the token: a row another sender
        took (after this one stalled past its lease) is left to it."""
        while True:
            await asyncio.sleep(self.config.lease_s / 3)
            now = self._clock()
            try:
                async with self._sessionmaker() as session, session.begin():
                    await session.execute(
                        update(OutboxMessage)
                        .where(
                            OutboxMessage.id.in_(ids),
                            OutboxMessage.status == OutboxStatus.SENDING,
                            OutboxMessage.claimed_at == claimed_at,
                        )
                        .values(claimed_at=now)
                    )
            except Exception as error:  # the database hiccups: try again at the next beat
                log.warning("outbox lease not renewed: %s", type(error).__name__)
                continue
            claimed_at = now

    async def _recipients(self, chat_ids: set[int]) -> dict[int, tuple[str | None, bool]]:
        async with self._sessionmaker() as session:
            found = await session.execute(
                select(User.telegram_id, User.locale, User.reachable).where(
                    User.telegram_id.in_(chat_ids)
                )
            )
            return {telegram_id: (locale, reachable) for telegram_id, locale, reachable in found}

    async def _send_one(self, row: Claimed, recipient: tuple[str | None, bool] | None) -> None:
        locale, reachable = recipient or (None, True)
        if not reachable:
            await self.outcomes.fail(row, "blocked")
            return
        assert row.chat_id is not None  # a row without a chat is a participant's
        failed = await self._telegram(row, row.chat_id, row.payload.get("locale") or locale)
        if failed is not None:
            await self.outcomes.failed(row, *failed)

    async def _telegram(
        self, row: Claimed, chat_id: int, locale: str | None
    ) -> tuple[Failure, BaseException] | None:
        """Send the row to a Telegram chat and record it sent; or the failure, not recorded
        (the caller decides: a participant who blocked the bot may be reached otherwise)."""
        for last_try in (False, True):
            try:
                message = await deliver(
                    self._bot, self._core, chat_id, row.kind, row.payload, locale
                )
                break
            except Exception as error:
                failure: Failure | None = classify(error)
                if not last_try:
                    failure, error = await self._move_topic(row, failure, error)
                if failure is not None:
                    return failure, error
        await self.outcomes.record(
            row,
            status=OutboxStatus.SENT,
            sent_at=self._clock(),
            telegram_message_id=message.message_id,
            channel=Channel.TELEGRAM.value,
            error=None,
        )
        return None

    async def _move_topic(
        self, row: Claimed, failure: Failure, error: BaseException
    ) -> tuple[Failure | None, BaseException]:
        """A desk topic deleted since is opened again, and the row goes there: (None, _)
        says try again at once. An outage while opening it makes the row wait like any."""
        thread = row.payload.get("thread_id")
        if (
            failure.verdict is not Verdict.REFUSED
            or thread is None
            or self._thread_gone is None
            or not thread_gone(failure.reason)
        ):
            return failure, error
        try:
            moved = await self._thread_gone(row.chat_id, thread)
        except Exception as opening:
            return classify(opening), opening
        if moved is None:
            return failure, error
        row.payload["thread_id"] = moved
        return None, error


async def deliver(
    bot: Bot,
    core: HtmlFluentCore,
    chat_id: int,
    kind: str,
    payload: dict[str, Any],
    locale: str | None,
) -> Message | MessageId:
    """Send one outbox message now. Handlers use it too, for a preview exactly as the
    recipients will get it. A file is uploaded, or sent by its Telegram file_id; a copy is
    Telegram's copy of a message someone sent the bot (after its header, if it has one)."""
    locale = locale or DEFAULT_LOCALE
    thread = payload.get("thread_id")  # a forum topic, when the chat is the desk group
    if kind == "copy":
        return await _copy(bot, core, chat_id, payload, locale)
    text, markup = render(core, payload, locale)
    if kind == "text":
        preview = None if payload.get("link_preview", True) else NO_PREVIEW
        reply_to = payload.get("reply_to")
        return await bot.send_message(
            chat_id,
            text,
            reply_markup=markup,
            message_thread_id=thread,
            link_preview_options=preview,
            reply_parameters=(
                ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                if reply_to
                else None
            ),
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


async def _copy(
    bot: Bot, core: HtmlFluentCore, chat_id: int, payload: dict[str, Any], locale: str
) -> MessageId:
    """The header ("💬 Your counsellor Karim:") goes once: a copy tried again after an
    outage does not repeat it (`header_sent` is kept with the row)."""
    thread = payload.get("thread_id")
    header = payload.get("header")
    if header and not payload.get("header_sent"):
        text = core.render(header["key"], locale, header.get("vars", {}))
        await bot.send_message(chat_id, text, message_thread_id=thread)
        payload["header_sent"] = True
    _, markup = render(core, payload, locale, with_text=False)
    return await bot.copy_message(
        chat_id,
        payload["from_chat_id"],
        payload["message_id"],
        message_thread_id=thread,
        reply_markup=markup,
    )


def render(
    core: HtmlFluentCore, payload: dict[str, Any], locale: str, *, with_text: bool = True
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of an outbox payload in `locale` (`text=False`: the buttons
    only). Handlers use it too, so a card answered directly looks exactly like the same
    card sent by the outbox."""
    text = core.render(payload["key"], locale, payload.get("vars", {})) if with_text else ""
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
