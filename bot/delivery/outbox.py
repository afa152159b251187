"""Producers' side of the outbox: enqueue inside your own transaction, cancel or move by key.

A message is described, not rendered: a Fluent key and variables (rendered in the recipient's
language when it is sent), optional buttons, or a file. Rows are unique by `dedupe_key`, so
enqueuing twice is harmless.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.engine import upsert_insert
from bot.db.models import OutboxMessage, OutboxStatus

KINDS = ("text", "document", "photo", "copy")


@dataclass(frozen=True)
class OutButton:
    """A button: its label is a Fluent key (or a fixed `text`), its action a callback or URL."""

    key: str | None = None
    text: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    callback_data: str | None = None
    url: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "vars": self.variables,
            "callback_data": self.callback_data,
            "url": self.url,
        }


@dataclass(frozen=True)
class OutFile:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"

    def as_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "mime_type": self.mime_type,
            "content_b64": base64.b64encode(self.content).decode("ascii"),
        }


@dataclass(frozen=True)
class TelegramFile:
    """A file Telegram already holds (one staff sent the bot), sent again by its file_id:
    nothing is uploaded, and each row of a message to many stores a few bytes, not the file."""

    file_id: str

    def as_json(self) -> dict[str, Any]:
        return {"file_id": self.file_id}


def file_kind(file: OutFile | TelegramFile | None, as_photo: bool) -> str:
    return "text" if file is None else ("photo" if as_photo else "document")


def message_payload(
    key: str,
    variables: dict[str, Any] | None = None,
    buttons: list[list[OutButton | dict[str, Any]]] | None = None,
    link_preview: bool = True,
) -> dict[str, Any]:
    """A message as the outbox stores it (see `sender.render`). A button may be given in its
    stored form already (`OutButton.as_json()`), which bulk producers build once and copy.
    `link_preview=False`: a link in the text is shown as a link, without Telegram's preview
    (an online meeting's address, say, whose preview only hides the message)."""
    payload: dict[str, Any] = {"key": key, "vars": variables or {}}
    if buttons:
        payload["buttons"] = [
            [b if isinstance(b, dict) else b.as_json() for b in row] for row in buttons
        ]
    if not link_preview:
        payload["link_preview"] = False
    return payload


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int | None,
    dedupe_key: str,
    key: str,
    variables: dict[str, Any] | None = None,
    buttons: list[list[OutButton]] | None = None,
    file: OutFile | TelegramFile | None = None,
    as_photo: bool = False,
    not_before: datetime | None = None,
    campaign_id: str | None = None,
    locale: str | None = None,
    thread_id: int | None = None,
    link_preview: bool = True,
    reply_to: int | None = None,
    participant_id: int | None = None,
    links: dict[str, dict[str, Any]] | None = None,
) -> bool:
    """Add a message to send; `key` is the text (or the file's caption). False if the
    dedupe key was already used (the earlier row stands: each area spells its keys in
    `bot/services/<area>/keys.py`).
    `reply_to`: a message of the same chat this one answers.
    `participant_id`: the message is for that participant, by the channel chosen when it is
    sent (`bot/delivery/channels.py`); `chat_id` is then their Telegram chat if known now.
    `links`: links made when sent by SMS or e-mail (`channels.LinkMaker`)."""
    kind = file_kind(file, as_photo)
    payload = message_payload(key, variables, buttons, link_preview)
    payload["locale"] = locale
    if thread_id is not None:  # a forum topic of a group (the counsellors' desk)
        payload["thread_id"] = thread_id
    if reply_to is not None:
        payload["reply_to"] = reply_to
    if file is not None:
        payload["file"] = file.as_json()
    if links:
        payload["links"] = links
    return await _insert(
        session, chat_id, kind, payload, dedupe_key, not_before, campaign_id, participant_id
    )


@dataclass(frozen=True)
class Header:
    """A line sent just before a copy ("💬 Your counsellor Karim:"), in the reader's language."""

    key: str
    variables: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "vars": self.variables}


@dataclass(frozen=True)
class IfFailed:
    """Whom to tell, and how, when a copy cannot be delivered (the original was deleted,
    the reader blocked the bot): a message in `chat_id` (in a topic, answering a message)."""

    chat_id: int
    key: str
    locale: str | None = None
    thread_id: int | None = None
    reply_to: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "key": self.key,
            "locale": self.locale,
            "thread_id": self.thread_id,
            "reply_to": self.reply_to,
        }


async def enqueue_copy(
    session: AsyncSession,
    *,
    chat_id: int | None,
    dedupe_key: str,
    from_chat_id: int,
    message_id: int,
    thread_id: int | None = None,
    header: Header | None = None,
    buttons: list[list[OutButton]] | None = None,
    locale: str | None = None,
    if_failed: IfFailed | None = None,
    participant_id: int | None = None,
) -> bool:
    """Relay a message someone sent the bot (Telegram's copyMessage: any content, no
    "forwarded from"), after an optional header. As with `enqueue`, False if the dedupe
    key was used already. For a participant (`participant_id`) reached by SMS or e-mail,
    the copy becomes the text `sms-copy` / `mail-copy` with the header's variables."""
    payload: dict[str, Any] = {
        "from_chat_id": from_chat_id,
        "message_id": message_id,
        "locale": locale,
    }
    if thread_id is not None:
        payload["thread_id"] = thread_id
    if header is not None:
        payload["header"] = header.as_json()
    if buttons:
        payload["buttons"] = [[b.as_json() for b in row] for row in buttons]
    if if_failed is not None:
        payload["if_failed"] = if_failed.as_json()
    return await _insert(session, chat_id, "copy", payload, dedupe_key, None, None, participant_id)


async def _insert(
    session: AsyncSession,
    chat_id: int | None,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str,
    not_before: datetime | None,
    campaign_id: str | None,
    participant_id: int | None,
) -> bool:
    if chat_id is None and participant_id is None:
        raise ValueError("an outbox message needs a chat or a participant")
    now = utcnow()
    insert = upsert_insert(session)
    result = await session.execute(
        insert(OutboxMessage)
        .values(
            chat_id=chat_id,
            participant_id=participant_id,
            kind=kind,
            payload=payload,
            not_before=not_before or now,
            status=OutboxStatus.PENDING,
            attempts=0,
            dedupe_key=dedupe_key,
            campaign_id=campaign_id,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class OutMessage:
    """A message for `enqueue_many` (the arguments of `enqueue`, as a value)."""

    chat_id: int | None
    dedupe_key: str
    key: str
    variables: dict[str, Any] = field(default_factory=dict)
    buttons: list[list[OutButton | dict[str, Any]]] | None = None
    not_before: datetime | None = None
    campaign_id: str | None = None
    file: OutFile | TelegramFile | None = None
    as_photo: bool = False
    link_preview: bool = True
    participant_id: int | None = None
    links: dict[str, dict[str, Any]] | None = None

    @property
    def kind(self) -> str:
        return file_kind(self.file, self.as_photo)

    def payload(self) -> dict[str, Any]:
        """As the outbox stores it (see `sender.render`)."""
        payload = {
            **message_payload(self.key, self.variables, self.buttons, self.link_preview),
            "locale": None,
        }
        if self.file is not None:
            payload["file"] = self.file.as_json()
        if self.links:
            payload["links"] = self.links
        return payload


async def enqueue_many(session: AsyncSession, messages: Sequence[OutMessage]) -> None:
    """Many messages in one statement (a digest for everyone); as with `enqueue`, a
    dedupe key already used keeps its earlier row."""
    if not messages:
        return
    if any(m.chat_id is None and m.participant_id is None for m in messages):
        raise ValueError("an outbox message needs a chat or a participant")
    now = utcnow()
    rows = [
        {
            "chat_id": m.chat_id,
            "participant_id": m.participant_id,
            "kind": m.kind,
            "payload": m.payload(),
            "not_before": m.not_before or now,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "dedupe_key": m.dedupe_key,
            "campaign_id": m.campaign_id,
            "created_at": now,
        }
        for m in messages
    ]
    insert = upsert_insert(session)
    connection = await session.connection()  # Core: no ORM bookkeeping for bulk rows
    await connection.execute(
        insert(OutboxMessage.__table__).on_conflict_do_nothing(
            index_elements=[OutboxMessage.dedupe_key]
        ),
        rows,
    )


def undelivered(dedupe_key: str) -> str:
    """The key of the notice that the message under `dedupe_key` (a relayed copy) could not be
    delivered: its sender is told once."""
    return f"{dedupe_key}:undelivered"


async def cancel(session: AsyncSession, dedupe_key: str) -> bool:
    """Cancel a message not sent yet. False when there is none pending under that key."""
    return await _pending_update(session, [dedupe_key], status=OutboxStatus.CANCELLED) == 1


async def cancel_prefix(session: AsyncSession, prefix: str) -> int:
    """Cancel every pending message whose key starts with `prefix` (e.g. a session's reminders)."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.CANCELLED)
    )
    return result.rowcount


async def _pending_update(session: AsyncSession, keys: list[str], **values: Any) -> int:
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key.in_(keys),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(**values)
    )
    return result.rowcount
