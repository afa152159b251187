"""A simulated Telegram user, talking to a sandbox over HTTP (in-process or separately started)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

# While the bot is busy, how often `replies` asks again whether it is done.
BUSY_RECHECK_S = 0.2


class SandboxError(Exception):
    """The sandbox refused a user action (unknown button, blocked bot, missing group...)."""


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None
    url: str | None


@dataclass(frozen=True)
class FileInfo:
    file_id: str
    filename: str | None
    mime_type: str | None
    content: bytes
    caption: str | None

    @classmethod
    def from_view(cls, view: dict[str, Any] | None) -> FileInfo | None:
        if view is None:
            return None
        return cls(
            file_id=view["file_id"],
            filename=view["filename"],
            mime_type=view["mime_type"],
            content=base64.b64decode(view["content"]),
            caption=view["caption"],
        )


@dataclass(frozen=True)
class BotMessage:
    """A message as the user sees it (from the bot unless ``from_bot`` is False)."""

    message_id: int
    chat_id: int
    thread_id: int | None
    from_bot: bool
    sender_id: int
    text: str | None
    caption: str | None
    buttons: list[list[Button]]
    keyboard: list[list[str]]  # reply keyboard shown under the input field
    remove_keyboard: bool
    document: FileInfo | None
    photo: FileInfo | None
    sticker: FileInfo | None
    voice: FileInfo | None
    location: dict[str, Any] | None
    contact: dict[str, Any] | None
    service: str | None  # e.g. "forum_topic_created"
    edited: bool
    deleted: bool
    reply_to_message_id: int | None
    link_preview: bool = True  # False: the bot asked Telegram for no link preview
    copied_from: tuple[int, int] | None = None  # (chat, message) of a bot's copy or forward

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> BotMessage:
        return cls(
            message_id=view["message_id"],
            chat_id=view["chat_id"],
            thread_id=view["thread_id"],
            from_bot=view["from_bot"],
            sender_id=view["sender_id"],
            text=view["text"],
            caption=view["caption"],
            buttons=[[Button(**b) for b in row] for row in view["buttons"]],
            keyboard=view["keyboard"],
            remove_keyboard=view["remove_keyboard"],
            document=FileInfo.from_view(view["document"]),
            photo=FileInfo.from_view(view["photo"]),
            sticker=FileInfo.from_view(view["sticker"]),
            voice=FileInfo.from_view(view["voice"]),
            location=view["location"],
            contact=view["contact"],
            service=view["service"],
            edited=view["edited"],
            deleted=view["deleted"],
            reply_to_message_id=view["reply_to_message_id"],
            link_preview=view.get("link_preview", True),
            copied_from=tuple(view["copied_from"]) if view.get("copied_from") else None,
        )

    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def callback_data(self) -> list[str]:
        return [b.callback_data for row in self.buttons for b in row if b.callback_data]


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> CallbackAnswer:
        return cls(view["query_id"], view["text"], view["show_alert"], view["url"])


@dataclass(frozen=True)
class Command:
    command: str
    description: str


class UserClient:
    """One Telegram user. Every action is an HTTP call to the sandbox's user side.

    Nothing to close: each call opens and closes its own HTTP session, so clients can be
    created freely in fixtures.
    """

    def __init__(
        self,
        base_url: str,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        bot_id: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.bot_id = bot_id  # None: the sandbox's first bot
        # Texts the bot answered to this user's button presses ("" for a silent answer),
        # refreshed by replies() and fetch_callback_answers().
        self.callback_answers: list[str] = []
        # Per chat, the event sequence number of this user's last action there.
        self._cursors: dict[int, int] = {}
        # Messages sent and buttons pressed so far (how much effort a journey takes).
        self.interactions = 0
        # An HTTP session to share between calls (many people acting fast); whoever sets it
        # closes it. None: each call opens and closes its own.
        self.http: aiohttp.ClientSession | None = None
        # The update the bot got for this user's last action (None: it did not ask for it).
        self.last_update_id: int | None = None

    async def _request(
        self, method: str, path: str, *, json: dict[str, Any] | None = None, **query: Any
    ) -> dict[str, Any]:
        params = {k: str(v) for k, v in {**query, "bot": self.bot_id}.items() if v is not None}
        async with contextlib.AsyncExitStack() as stack:
            session = self.http or await stack.enter_async_context(aiohttp.ClientSession())
            response = await stack.enter_async_context(
                session.request(method, f"{self.base_url}{path}", json=json, params=params)
            )
            if response.content_type != "application/json":
                text = await response.text()
                raise SandboxError(f"sandbox answered {response.status}: {text[:200]}")
            body = await response.json()
        if not body.get("ok"):
            raise SandboxError(body.get("error", f"sandbox answered {response.status}"))
        return body

    async def _act(self, action: str, chat_id: int | None, **fields: Any) -> dict[str, Any]:
        profile = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        payload = {"user": profile, "chat_id": chat_id, **fields}
        body = await self._request("POST", f"/sandbox/users/{self.user_id}/{action}", json=payload)
        if action in ("send", "press"):
            self.interactions += 1
        self._cursors[chat_id if chat_id is not None else self.user_id] = body["seq"]
        self.last_update_id = body.get("update_id")
        return body

    # actions

    async def _send(
        self,
        chat_id: int | None,
        thread_id: int | None,
        reply_to: int | None,
        **content: Any,
    ) -> BotMessage:
        body = await self._act("send", chat_id, thread_id=thread_id, reply_to=reply_to, **content)
        return BotMessage.from_view(body["message"])

    async def send_text(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> BotMessage:
        """Send text; a leading ``/command`` gets a bot_command entity, like Telegram."""
        return await self._send(chat_id, thread_id, reply_to, text=text)

    async def send_location(
        self, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> BotMessage:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send(chat_id, None, None, location=location)

    async def send_contact(
        self,
        phone_number: str,
        first_name: str,
        *,
        last_name: str | None = None,
        own: bool = True,
        chat_id: int | None = None,
    ) -> BotMessage:
        """Share a contact; ``own`` (the request_contact button) sets contact.user_id."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = self.user_id
        return await self._send(chat_id, None, None, contact=contact)

    async def send_sticker(self, emoji: str = "👍", *, chat_id: int | None = None) -> BotMessage:
        return await self._send(chat_id, None, None, sticker={"emoji": emoji})

    async def send_photo(
        self,
        content: bytes = b"\xff\xd8\xff\xe0",
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> BotMessage:
        photo = {"content": base64.b64encode(content).decode()}
        return await self._send(chat_id, thread_id, None, photo=photo, caption=caption)

    async def send_voice(
        self, content: bytes = b"", duration: int = 1, *, chat_id: int | None = None
    ) -> BotMessage:
        voice = {"content": base64.b64encode(content).decode(), "duration": duration}
        return await self._send(chat_id, None, None, voice=voice)

    async def send_document(
        self,
        content: bytes,
        filename: str,
        mime_type: str | None = None,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> BotMessage:
        document = {
            "content": base64.b64encode(content).decode(),
            "filename": filename,
            "mime_type": mime_type,
        }
        return await self._send(chat_id, thread_id, None, document=document, caption=caption)

    async def press(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
        chat_id: int | None = None,
        inaccessible: bool = False,
        wait: float = 10.0,
    ) -> str:
        """Press an inline button on ``message_id`` or on the newest bot message that has it.
        ``inaccessible``: the bot gets the message as Telegram sends one out of its reach
        (an ``InaccessibleMessage``: chat and id only).

        A person presses what is on the screen once it is there: when no message has the
        button yet (the bot is still working on the previous press), the press is tried
        again for up to ``wait`` seconds, as a person would wait for the screen.

        Returns the callback query id; raises SandboxError when no such button exists.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            try:
                body = await self._act(
                    "press",
                    chat_id,
                    text=text,
                    callback_data=callback_data,
                    message_id=message_id,
                    inaccessible=inaccessible,
                )
            except SandboxError as error:
                if not str(error).startswith("no inline button") or loop.time() >= deadline:
                    raise
                await asyncio.sleep(0.2)
                continue
            return body["query_id"]

    async def press_data(
        self,
        callback_data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
        inaccessible: bool = False,
    ) -> str:
        """Send a press with any callback_data, on ``message_id`` or the newest bot message,
        whether or not such a button exists (a keyboard left by an older bot version).
        ``inaccessible``: as for :meth:`press`; a deleted message may be pressed then (a
        device that still shows it)."""
        body = await self._act(
            "press",
            chat_id,
            callback_data=callback_data,
            message_id=message_id,
            forge=True,
            inaccessible=inaccessible,
        )
        return body["query_id"]

    async def press_inline(self, callback_data: str) -> str:
        """Press a button of an inline message (inline mode): the bot gets no message and no
        chat, only an ``inline_message_id``. Answers come in this user's chat with the bot."""
        body = await self._act("press", None, callback_data=callback_data, inline=True)
        return body["query_id"]

    async def edit_text(
        self, message_id: int, text: str, *, chat_id: int | None = None
    ) -> BotMessage:
        """Edit one's own text message: the bot gets ``edited_message``."""
        body = await self._act("edit", chat_id, message_id=message_id, text=text)
        return BotMessage.from_view(body["message"])

    async def add_bot(self, chat_id: int, *, admin: bool = False) -> None:
        """Add the bot to a group (as an administrator with ``admin``; always in a channel)."""
        await self._act("add_bot", chat_id, admin=admin)

    async def remove_bot(self, chat_id: int) -> None:
        await self._act("remove_bot", chat_id)

    async def inline_query(self, query: str, *, chat_type: str | None = "group") -> str:
        """Type ``@bot <query>`` in a chat of ``chat_type``; returns the inline query id."""
        body = await self._act("inline_query", None, query=query, chat_type=chat_type)
        return body["query_id"]

    async def push_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Any update, verbatim: what no action above makes (an edit, a channel post, an
        inline query, a reply to a message without a sender...). Returns its update id."""
        body = await self._request(
            "POST", "/sandbox/updates", json={"kind": kind, "payload": payload}
        )
        self._cursors[self.user_id] = body["seq"]
        self.last_update_id = body["update_id"]
        return self.last_update_id

    async def block(self) -> None:
        await self._act("block", None)

    async def unblock(self) -> None:
        await self._act("unblock", None)

    # observations

    def cursor(self, chat_id: int | None = None) -> int:
        """The sequence number of this user's last action in the chat (0: none yet)."""
        return self._cursors.get(chat_id if chat_id is not None else self.user_id, 0)

    async def replies(
        self,
        # Generous: it ends as soon as messages come (then `settle`), so only a test waiting
        # for nothing pays it, and a busy machine (CI runs two workers) is not a failure.
        timeout: float = 15.0,  # noqa: ASYNC109 - a waiting window, not a cancellation timeout
        settle: float = 0.3,
        *,
        chat_id: int | None = None,
        answer_settle: float = 1.0,
    ) -> list[BotMessage]:
        """Bot events (new messages, edits, deletions) since this user's last action here
        (or since the chat began, for a chat where the user has not acted yet).

        Waits up to ``timeout`` for a first event, then until ``settle`` seconds pass without
        another. Each entry is the message as it was at that event. Empty on timeout.
        Answers to button presses end the wait too, and update ``callback_answers``; a bot
        usually answers a press first and then works, so after an answer alone the wait for
        a message is ``answer_settle``.

        While the sandbox says the bot is busy (an update not taken yet, or, when the bot
        reports it, still being handled) the wait goes on, up to ``timeout``: a slow handler
        on a busy machine does not end it between its answer and its message.
        """
        chat = chat_id if chat_id is not None else self.user_id
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        found: list[BotMessage] = []
        wait = timeout
        while wait > 0:
            body = await self._request(
                "GET",
                f"/sandbox/chats/{chat}/events",
                after=self._cursors.get(chat, 0),
                timeout=wait,
                source="bot",
            )
            events = body["events"]
            if events:
                self._cursors[chat] = events[-1]["seq"]
                found += [BotMessage.from_view(e["message"]) for e in events if "message" in e]
                window = settle if found else answer_settle
                # Settling may run past the deadline by one window, not more.
                wait = min(window, deadline + window - loop.time())
            elif body.get("busy") and loop.time() < deadline:
                wait = min(BUSY_RECHECK_S, deadline - loop.time())
            else:
                break
        await self.fetch_callback_answers()
        return found

    async def replies_until(
        self,
        awaited: str | Callable[[BotMessage], bool],
        timeout: float = 15.0,  # noqa: ASYNC109 - a waiting window, not a cancellation timeout
        *,
        chat_id: int | None = None,
    ) -> list[BotMessage]:
        """`replies`, read again until one message holds `awaited` (a text, found in a
        message's text or caption, or a test such as ``lambda m: m.document``) or `timeout`
        passes: for a message that must come, however busy the machine (a button's answer
        alone may end one `replies` before the message it leads to; a calendar file comes
        through the outbox after the confirmation). Everything read on the way is returned."""

        def holds(m: BotMessage) -> bool:
            if isinstance(awaited, str):
                return awaited in (m.text or m.caption or "")
            return bool(awaited(m))

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        found: list[BotMessage] = []
        while not any(holds(m) for m in found):
            left = deadline - loop.time()
            if left <= 0:
                break
            found += await self.replies(timeout=left, chat_id=chat_id)
        return found

    async def messages(
        self,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
        include_users: bool = False,
        include_deleted: bool = False,
    ) -> list[BotMessage]:
        """The chat as it is now, oldest first: bot messages, or everyone's with include_users."""
        chat = chat_id if chat_id is not None else self.user_id
        body = await self._request(
            "GET",
            f"/sandbox/chats/{chat}/messages",
            thread_id=thread_id,
            include_users="1" if include_users else None,
            include_deleted="1" if include_deleted else None,
        )
        return [BotMessage.from_view(view) for view in body["messages"]]

    async def last_message(self, *, chat_id: int | None = None) -> BotMessage | None:
        messages = await self.messages(chat_id=chat_id)
        return messages[-1] if messages else None

    async def last_message_with_buttons(self, *, chat_id: int | None = None) -> BotMessage | None:
        with_buttons = [m for m in await self.messages(chat_id=chat_id) if m.buttons]
        return with_buttons[-1] if with_buttons else None

    async def fetch_callback_answers(self) -> list[CallbackAnswer]:
        """What the bot answered to this user's button presses, in order."""
        body = await self._request("GET", f"/sandbox/users/{self.user_id}/answers")
        answers = [CallbackAnswer.from_view(answer) for answer in body["answers"]]
        self.callback_answers = [answer.text or "" for answer in answers]
        return answers

    async def wait_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the server does the waiting
    ) -> CallbackAnswer:
        body = await self._request(
            "GET", f"/sandbox/users/{self.user_id}/answers", query_id=query_id, timeout=timeout
        )
        if not body["answers"]:
            raise SandboxError(f"the bot did not answer callback query {query_id} in {timeout}s")
        return CallbackAnswer.from_view(body["answers"][0])

    async def commands(self, *, chat_id: int | None = None) -> list[Command]:
        """The command menu this user sees, resolved by scope and language like Telegram."""
        body = await self._request(
            "GET",
            f"/sandbox/users/{self.user_id}/commands",
            chat_id=chat_id,
            language_code=self.language_code,
        )
        return [Command(**command) for command in body["commands"]]

    async def create_group(
        self,
        title: str,
        *,
        is_forum: bool = True,
        chat_type: str = "supergroup",
        with_bot: bool = True,
    ) -> int:
        """Create a supergroup (a staff forum, say), a basic group or a channel on a sandbox
        started elsewhere; ``with_bot=False``: the bot is not in it until :meth:`add_bot`."""
        body = await self._request(
            "POST",
            "/sandbox/groups",
            json={"title": title, "is_forum": is_forum, "type": chat_type, "with_bot": with_bot},
        )
        return body["chat_id"]
