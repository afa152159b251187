"""The sandbox's in-memory records and their two JSON views.

``to_api`` gives Bot API JSON (what the bot sees, parsed by aiogram into its types);
``to_view`` gives the sandbox's own simpler JSON for the user-side client (plain text, buttons,
file bytes in base64).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any


def _without_none(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


@dataclass
class UserProfile:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        return _without_none(
            {
                "id": self.id,
                "is_bot": self.is_bot,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": self.language_code,
            }
        )


@dataclass
class Topic:
    thread_id: int
    name: str
    icon_color: int
    closed: bool = False

    def to_api(self) -> dict[str, Any]:
        return {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }


# What the bot is in a chat, as Telegram's ChatMember statuses say it.
BOT_IN_CHAT = frozenset({"member", "administrator"})


@dataclass
class Chat:
    id: int
    type: str  # "private", "group", "supergroup" or "channel"
    title: str | None = None
    is_forum: bool = False
    user: UserProfile | None = None  # the other party of a private chat
    topics: dict[int, Topic] = field(default_factory=dict)
    last_message_id: int = 0  # message ids grow per chat, like Telegram's
    # The bot's status in a group or channel ("left": it gets no updates and cannot post).
    bot_status: str = "administrator"

    @property
    def has_bot(self) -> bool:
        return self.user is not None or self.bot_status in BOT_IN_CHAT

    def to_api(self) -> dict[str, Any]:
        if self.user is not None:
            return _without_none(
                {
                    "id": self.id,
                    "type": "private",
                    "first_name": self.user.first_name,
                    "last_name": self.user.last_name,
                    "username": self.user.username,
                }
            )
        body: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.is_forum:
            body["is_forum"] = True
        return body


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    kind: str  # "document", "photo", "sticker" or "voice"
    content: bytes
    filename: str | None
    mime_type: str | None
    extra: dict[str, Any] = field(default_factory=dict)  # sticker emoji, voice duration

    @property
    def path(self) -> str:
        return f"{self.kind}s/file_{self.file_unique_id}"

    def to_api(self) -> dict[str, Any] | list[dict[str, Any]]:
        base = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.kind == "photo":
            # Telegram returns several sizes; the sandbox keeps the original and never decodes it.
            return [{**base, "width": 0, "height": 0}]
        if self.kind == "sticker":
            return {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": self.extra.get("emoji"),
            }
        if self.kind == "voice":
            return {**base, "duration": self.extra.get("duration", 1), "mime_type": self.mime_type}
        return _without_none({**base, "file_name": self.filename, "mime_type": self.mime_type})

    def to_view(self, caption: str | None) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "filename": self.filename,
            "mime_type": self.mime_type,
            "content": base64.b64encode(self.content).decode("ascii"),
            "caption": caption,
        }


@dataclass
class Revision:
    """A previous state of an edited message."""

    text: str | None
    caption: str | None
    reply_markup: dict[str, Any] | None
    date: int


@dataclass
class StoredMessage:
    chat: Chat
    message_id: int
    sender: UserProfile
    date: int
    thread_id: int | None = None
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    media: FileRecord | None = None
    location: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to: StoredMessage | None = None
    forward_origin: dict[str, Any] | None = None
    copied_from: tuple[int, int] | None = None  # (chat, message) a bot copied or forwarded
    service: dict[str, Any] | None = None  # e.g. {"forum_topic_created": {...}}
    link_preview_options: dict[str, Any] | None = None
    edit_date: int | None = None
    history: list[Revision] = field(default_factory=list)
    deleted: bool = False

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    def remember_revision(self, date: int) -> None:
        self.history.append(Revision(self.text, self.caption, self.reply_markup, self.date))
        self.edit_date = date

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
        }
        if self.chat.type == "channel":
            # A channel post is signed by the channel, not by the admin who wrote it.
            body["sender_chat"] = self.chat.to_api()
        else:
            body["from"] = self.sender.to_api()
        if self.thread_id is not None:
            body["message_thread_id"] = self.thread_id
            if self.chat.is_forum:
                body["is_topic_message"] = True
        if self.text is not None:
            body["text"] = self.text
            if self.entities:
                body["entities"] = self.entities
        if self.media is not None:
            body[self.media.kind] = self.media.to_api()
        if self.caption:
            body["caption"] = self.caption
            if self.caption_entities:
                body["caption_entities"] = self.caption_entities
        if self.location is not None:
            body["location"] = self.location
        if self.contact is not None:
            body["contact"] = self.contact
        # Telegram echoes only inline keyboards in Message objects.
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            body["reply_markup"] = self.reply_markup
        if self.reply_to is not None and with_reply:
            body["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.forward_origin is not None:
            body["forward_origin"] = self.forward_origin
        if self.edit_date is not None:
            body["edit_date"] = self.edit_date
        if self.service is not None:
            body.update(self.service)
        if self.link_preview_options:
            body["link_preview_options"] = self.link_preview_options
        return body

    def to_view(self) -> dict[str, Any]:
        markup = self.reply_markup or {}
        media = self.media
        view: dict[str, Any] = {
            "message_id": self.message_id,
            "chat_id": self.chat.id,
            "thread_id": self.thread_id,
            "from_bot": self.from_bot,
            "sender_id": self.sender.id,
            "date": self.date,
            "copied_from": list(self.copied_from) if self.copied_from else None,
            "text": self.text,
            "caption": self.caption,
            "buttons": [
                [
                    {
                        "text": button.get("text", ""),
                        "callback_data": button.get("callback_data"),
                        "url": button.get("url"),
                    }
                    for button in row
                ]
                for row in markup.get("inline_keyboard", [])
            ],
            "keyboard": [[button["text"] for button in row] for row in markup.get("keyboard", [])],
            "remove_keyboard": bool(markup.get("remove_keyboard")),
            "location": self.location,
            "contact": self.contact,
            "service": next(iter(self.service), None) if self.service else None,
            "edited": self.edit_date is not None,
            "deleted": self.deleted,
            "reply_to_message_id": self.reply_to.message_id if self.reply_to else None,
            "link_preview": not (self.link_preview_options or {}).get("is_disabled", False),
        }
        for kind in ("document", "photo", "sticker", "voice"):
            view[kind] = media.to_view(self.caption) if media and media.kind == kind else None
        return view


@dataclass
class Event:
    """Something that happened in a chat, for the user side to wait on."""

    seq: int
    chat_id: int
    kind: str  # "message", "edit", "delete", or "answer" (to a button press)
    message_id: int
    from_bot: bool
    view: dict[str, Any]  # the message as it was at that moment, or the answer

    def to_view(self) -> dict[str, Any]:
        key = "answer" if self.kind == "answer" else "message"
        return {"seq": self.seq, "kind": self.kind, key: self.view}


@dataclass
class CallbackAnswer:
    query_id: str
    user_id: int
    text: str | None
    show_alert: bool
    url: str | None

    def to_view(self) -> dict[str, Any]:
        return {
            "query_id": self.query_id,
            "user_id": self.user_id,
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
        }
