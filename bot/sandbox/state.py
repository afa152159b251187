"""Everything the sandbox remembers: users, chats, messages, files, events and updates."""

from __future__ import annotations

import bisect
import itertools
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.api import bad_request
from bot.sandbox.models import (
    BOT_IN_CHAT,
    CallbackAnswer,
    Chat,
    Event,
    FileRecord,
    StoredMessage,
    UserProfile,
)
from bot.sandbox.updates import Pulse, UpdateQueue

# A bot made administrator gets these rights (what the counsellors' desk needs: topics).
ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": False,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_manage_topics": True,
}

# Supergroup and channel ids look like -100xxxxxxxxxx on Telegram; basic groups' are short.
SUPERGROUP_BASE = -1_001_000_000_000
GROUP_BASE = -4_000_000_000
CHAT_TYPES = frozenset({"group", "supergroup", "channel"})


@dataclass
class PendingQuery:
    """A button press waiting for answerCallbackQuery."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    created: float


class SandboxState:
    def __init__(self, bot: UserProfile) -> None:
        self.bot = bot
        self.users: dict[int, UserProfile] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, dict[int, StoredMessage]] = {}
        self.files: dict[str, FileRecord] = {}
        self.blocked: set[int] = set()
        self.events: list[Event] = []
        self._events_by_chat: dict[int, list[Event]] = {}  # long polls read one chat's
        self.queries: dict[str, PendingQuery] = {}
        self.answers: list[CallbackAnswer] = []
        # (scope key, language code) -> commands, as setMyCommands stores them
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # ("description" | "short_description", language code) -> text, as set by the bot
        self.descriptions: dict[tuple[str, str], str] = {}
        self.stats: Counter[str] = Counter()
        self.callback_query_ttl = 15.0  # seconds a bot has to answer a button press
        self.pulse = Pulse()
        self.updates = UpdateQueue(self.pulse)
        # Whether the bot is still handling updates it took, when the bot says so (a test
        # running the bot in the same process sets it): see `busy`.
        self.bot_handling: Callable[[], bool] | None = None
        self._group_numbers = itertools.count(1)
        self._file_numbers = itertools.count(1)

    @staticmethod
    def now() -> int:
        return int(time.time())

    @property
    def seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    # users and chats

    def upsert_user(self, profile: UserProfile) -> UserProfile:
        known = self.users.get(profile.id)
        if known is None:
            self.users[profile.id] = profile
            return profile
        # Keep the record shared by chats and messages, refreshing what the user changed.
        known.first_name = profile.first_name
        known.last_name = profile.last_name
        known.username = profile.username
        known.language_code = profile.language_code
        return known

    def private_chat(self, user: UserProfile) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user=user)
            self.chats[user.id] = chat
            self.messages[user.id] = {}
        return chat

    def create_group(
        self,
        title: str,
        *,
        is_forum: bool,
        chat_type: str = "supergroup",
        bot_status: str = "administrator",
    ) -> Chat:
        """A group, supergroup or channel; the bot is in it as `bot_status` ("left": not
        yet, someone adds it later)."""
        if chat_type not in CHAT_TYPES:
            raise ValueError(f"a chat type is one of {sorted(CHAT_TYPES)}")
        if is_forum and chat_type != "supergroup":
            raise ValueError("only a supergroup can be a forum")
        base = GROUP_BASE if chat_type == "group" else SUPERGROUP_BASE
        chat_id = base - next(self._group_numbers)
        chat = Chat(
            id=chat_id, type=chat_type, title=title, is_forum=is_forum, bot_status=bot_status
        )
        self.chats[chat_id] = chat
        self.messages[chat_id] = {}
        return chat

    def chat(self, chat_id: int | None) -> Chat:
        if chat_id is None:
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def bot_member(self, status: str) -> dict[str, Any]:
        """The bot as a ChatMember of the given status."""
        member: dict[str, Any] = {"status": status, "user": self.bot.to_api()}
        if status == "kicked":
            member["until_date"] = 0
        if status == "administrator":
            member.update(ADMIN_RIGHTS)
        return member

    def change_bot_status(self, chat: Chat, by: UserProfile, status: str) -> None:
        """Someone adds the bot to a group or channel, removes it, or the bot leaves (`by` is
        then the bot): as on Telegram, the bot gets my_chat_member; in a group everyone sees a
        service message, which the bot gets too when it joins."""
        old = chat.bot_status
        chat.bot_status = status
        self.updates.push(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": by.to_api(),
                "date": self.now(),
                "old_chat_member": self.bot_member(old),
                "new_chat_member": self.bot_member(status),
            },
        )
        joined, was_in = status in BOT_IN_CHAT, old in BOT_IN_CHAT
        if chat.type == "channel" or joined == was_in:
            return
        if joined:
            message = self.add_message(chat, by, service={"new_chat_members": [self.bot.to_api()]})
            self.updates.push("message", message.to_api())
        else:
            self.add_message(chat, by, service={"left_chat_member": self.bot.to_api()})

    # messages and events

    def add_message(self, chat: Chat, sender: UserProfile, **fields: Any) -> StoredMessage:
        chat.last_message_id += 1
        message = StoredMessage(
            chat=chat, message_id=chat.last_message_id, sender=sender, date=self.now(), **fields
        )
        self.messages[chat.id][message.message_id] = message
        if sender.is_bot and message.service is None:
            self.stats["sent_messages"] += 1
        self.record("message", message)
        return message

    def message(self, chat_id: int, message_id: int | None) -> StoredMessage | None:
        """A message that still exists, or None."""
        if message_id is None:
            return None
        message = self.messages.get(chat_id, {}).get(message_id)
        return None if message is None or message.deleted else message

    def record(self, kind: str, message: StoredMessage) -> None:
        """Log a message event with a snapshot of the message as it is now."""
        self._append(kind, message.chat.id, message.message_id, message.from_bot, message.to_view())

    def record_answer(self, query: PendingQuery, answer: CallbackAnswer) -> None:
        """Answers are events too, so a user waiting for the bot's reaction wakes up."""
        self.answers.append(answer)
        self._append("answer", query.chat_id, query.message_id, True, answer.to_view())

    def _append(
        self, kind: str, chat_id: int, message_id: int, from_bot: bool, view: dict[str, Any]
    ) -> None:
        event = Event(self.seq + 1, chat_id, kind, message_id, from_bot, view)
        self.events.append(event)
        self._events_by_chat.setdefault(chat_id, []).append(event)
        self.pulse.notify()

    @property
    def busy(self) -> bool:
        """An update is waiting for the bot, or (when the bot reports it) being handled: a
        message may still come, however long the bot takes on a busy machine."""
        handling = self.bot_handling
        return self.updates.waiting or (handling is not None and handling())

    def chat_events(self, chat_id: int, after: int, *, from_bot: bool) -> list[Event]:
        chat_events = self._events_by_chat.get(chat_id, [])
        start = bisect.bisect_right(chat_events, after, key=lambda event: event.seq)
        return [event for event in chat_events[start:] if event.from_bot or not from_bot]

    # files

    def store_file(
        self,
        kind: str,
        content: bytes,
        filename: str | None,
        mime_type: str | None,
        **extra: Any,
    ) -> FileRecord:
        number = next(self._file_numbers)
        record = FileRecord(
            file_id=f"SBX{kind[:3].upper()}{number}_{secrets.token_urlsafe(12)}",
            file_unique_id=f"U{number}",
            kind=kind,
            content=content,
            filename=filename,
            mime_type=mime_type,
            extra=extra,
        )
        self.files[record.file_id] = record
        return record
