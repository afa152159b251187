"""The user side of the sandbox over HTTP: what people do in Telegram and what they see.

Routes (JSON in, JSON out; errors are ``{"ok": false, "error": "..."}``). Every route takes an
optional ``?bot=<bot id>`` to talk to another bot than the sandbox's first one.

- ``POST /sandbox/users/{user_id}/send``    a message: text, location, contact, sticker, photo,
  voice or document, optionally into a group (``chat_id``) and forum topic (``thread_id``)
- ``POST /sandbox/users/{user_id}/press``   press an inline button (by ``text`` or
  ``callback_data``, on ``message_id`` or the newest bot message that has it); with
  ``"forge": true`` any ``callback_data`` is sent, as an outdated keyboard would; with
  ``"inaccessible": true`` the bot gets the message as an ``InaccessibleMessage`` (chat,
  message id, date 0), as Telegram sends a message deleted or otherwise out of the bot's
  reach (a deleted one can be pressed then, as on a device that still shows it); with
  ``"inline": true`` the press comes from an inline message: no ``message``, an
  ``inline_message_id`` instead
- ``POST /sandbox/users/{user_id}/edit``    edit one's own message (``chat_id``,
  ``message_id``, ``text``): the bot gets ``edited_message`` (``edited_channel_post``)
- ``POST /sandbox/users/{user_id}/add_bot``  add the bot to a group or channel (``chat_id``;
  ``"admin": true`` makes it an administrator), or ``/remove_bot``: the bot gets
  ``my_chat_member`` from that user
- ``POST /sandbox/users/{user_id}/inline_query``  type ``@bot query`` (``query``,
  ``chat_type``): the bot gets ``inline_query``
- ``POST /sandbox/users/{user_id}/block`` and ``/unblock``
- ``POST /sandbox/updates``   any update, verbatim (``kind`` and ``payload``): what no person's
  action above makes (an edit, a channel post, an inline query, a reply to a message without
  a sender...); the sandbox keeps no trace of it but the update
- ``GET  /sandbox/users/{user_id}/answers?query_id=&timeout=``   callback query answers
- ``GET  /sandbox/users/{user_id}/commands?chat_id=&language_code=``   the command menu the
  user would see
- ``GET  /sandbox/chats/{chat_id}/events?after=SEQ&timeout=S&source=bot``   long poll; the
  answer's ``busy`` says an update still waits for the bot or is being handled (see
  ``SandboxState.busy``)
- ``GET  /sandbox/chats/{chat_id}/messages?thread_id=&include_users=1&include_deleted=1``
- ``POST /sandbox/groups``   create a chat (``title``, ``is_forum``; ``type``: ``supergroup``
  by default, ``group`` or ``channel``; ``"with_bot": false``: the bot is not in it yet)

In a group or channel the bot has left (or was never added to), people's messages reach
nobody but the chat; in a channel a post comes as ``channel_post``, signed by the channel.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import secrets
import time
from typing import Any

from aiohttp import web

from bot.sandbox.models import Chat, FileRecord, StoredMessage, UserProfile
from bot.sandbox.state import PendingQuery, SandboxState

COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?(?=\s|$)")
MAX_WAIT = 60.0
# A few bytes standing in for media the sandbox never decodes.
STICKER_BYTES = b"RIFF\x00\x00\x00\x00WEBPVP8 "
VOICE_BYTES = b"OggS\x00\x02"


class UserSideError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _ok(**body: Any) -> web.Response:
    return web.json_response({"ok": True, **body})


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UserSideError(400, f"{name} must be an integer") from None


def _optional_int(value: Any, name: str) -> int | None:
    return None if value in (None, "") else _int(value, name)


def _wait(request: web.Request) -> float:
    try:
        seconds = float(request.query.get("timeout", 0))
    except ValueError:
        raise UserSideError(400, "timeout must be a number of seconds") from None
    return min(max(seconds, 0.0), MAX_WAIT)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise UserSideError(400, "the body must be JSON") from None
    if not isinstance(body, dict):
        raise UserSideError(400, "the body must be a JSON object")
    return body


def _update_id(update: dict[str, Any] | None) -> int | None:
    """None: the bot did not ask for this kind of update (allowed_updates)."""
    return None if update is None else update["update_id"]


class UserApi:
    def __init__(self, states: dict[int, SandboxState], default_bot: int) -> None:
        self.states = states
        self.default_bot = default_bot

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/sandbox/users/{user_id}/send", self.send),
            web.post("/sandbox/users/{user_id}/press", self.press),
            web.post("/sandbox/users/{user_id}/edit", self.edit),
            web.post("/sandbox/users/{user_id}/add_bot", self.add_bot),
            web.post("/sandbox/users/{user_id}/remove_bot", self.remove_bot),
            web.post("/sandbox/users/{user_id}/inline_query", self.inline_query),
            web.post("/sandbox/users/{user_id}/block", self.block),
            web.post("/sandbox/users/{user_id}/unblock", self.unblock),
            web.get("/sandbox/users/{user_id}/answers", self.answers),
            web.get("/sandbox/users/{user_id}/commands", self.commands),
            web.get("/sandbox/chats/{chat_id}/events", self.events),
            web.get("/sandbox/chats/{chat_id}/messages", self.messages),
            web.post("/sandbox/groups", self.create_group),
            web.post("/sandbox/updates", self.raw_update),
        ]

    @web.middleware
    async def errors(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            return await handler(request)
        except UserSideError as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=exc.status)

    # helpers

    def _state(self, request: web.Request) -> SandboxState:
        bot_id = _optional_int(request.query.get("bot"), "bot") or self.default_bot
        if bot_id not in self.states:
            raise UserSideError(404, f"no bot {bot_id} in this sandbox")
        return self.states[bot_id]

    @staticmethod
    def _user(state: SandboxState, request: web.Request, body: dict[str, Any]) -> UserProfile:
        user_id = _int(request.match_info["user_id"], "user_id")
        profile = body.get("user")
        if profile is None:
            known = state.users.get(user_id)
            return known or state.upsert_user(UserProfile(user_id, f"User {user_id}"))
        return state.upsert_user(
            UserProfile(
                id=user_id,
                first_name=profile.get("first_name") or f"User {user_id}",
                last_name=profile.get("last_name"),
                username=profile.get("username"),
                language_code=profile.get("language_code"),
            )
        )

    @staticmethod
    def _chat(state: SandboxState, user: UserProfile, body: dict[str, Any]) -> Chat:
        chat_id = _optional_int(body.get("chat_id"), "chat_id")
        if chat_id is None or chat_id == user.id:
            chat = state.private_chat(user)
            if user.id in state.blocked:
                raise UserSideError(409, f"user {user.id} blocked the bot: unblock first")
            return chat
        chat = state.chats.get(chat_id)
        if chat is None or chat.user is not None:
            raise UserSideError(404, f"no group {chat_id}: create it with create_group()")
        return chat

    # actions

    async def send(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        user = self._user(state, request, body)
        chat = self._chat(state, user, body)
        thread = _optional_int(body.get("thread_id"), "thread_id")
        if thread is not None and thread not in chat.topics:
            raise UserSideError(404, f"no topic {thread} in chat {chat.id}")
        reply_id = _optional_int(body.get("reply_to"), "reply_to")
        # In a topic, Telegram makes a message a reply to the topic's creation message.
        reply_to = state.message(chat.id, reply_id if reply_id is not None else thread)
        if reply_id is not None and reply_to is None:
            raise UserSideError(404, f"no message {reply_id} in chat {chat.id}")
        content = self._content(state, body)
        message = state.add_message(chat, user, thread_id=thread, reply_to=reply_to, **content)
        update = None
        if chat.has_bot:
            kind = "channel_post" if chat.type == "channel" else "message"
            update = state.updates.push(kind, message.to_api())
        return _ok(message=message.to_view(), seq=state.seq, update_id=_update_id(update))

    async def edit(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        user = self._user(state, request, body)
        chat = self._chat(state, user, body)
        message = state.message(chat.id, _optional_int(body.get("message_id"), "message_id"))
        if message is None or message.sender.id != user.id or message.text is None:
            raise UserSideError(404, f"no text message of user {user.id} to edit in {chat.id}")
        text = body.get("text")
        if not isinstance(text, str) or not text:
            raise UserSideError(400, "edit() needs the new text")
        message.remember_revision(state.now())
        message.text = text
        match = COMMAND.match(text)
        message.entities = (
            [{"type": "bot_command", "offset": 0, "length": match.end()}] if match else []
        )
        state.record("edit", message)
        if chat.has_bot:
            kind = "edited_channel_post" if chat.type == "channel" else "edited_message"
            state.updates.push(kind, message.to_api())
        return _ok(message=message.to_view(), seq=state.seq)

    async def add_bot(self, request: web.Request) -> web.Response:
        return await self._membership(request, add=True)

    async def remove_bot(self, request: web.Request) -> web.Response:
        return await self._membership(request, add=False)

    async def _membership(self, request: web.Request, *, add: bool) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        user = self._user(state, request, body)
        chat = self._chat(state, user, body)
        if chat.user is not None:
            raise UserSideError(400, "the bot is added to groups and channels, not private chats")
        if add:
            status = "administrator" if body.get("admin") or chat.type == "channel" else "member"
        else:
            status = "left"
        if chat.bot_status == status:
            raise UserSideError(409, f"the bot is already {status} in chat {chat.id}")
        state.change_bot_status(chat, user, status)
        return _ok(seq=state.seq)

    async def inline_query(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        user = self._user(state, request, body)
        chat_type = body.get("chat_type")
        if chat_type not in (None, "sender", "private", "group", "supergroup", "channel"):
            raise UserSideError(400, f"unknown chat_type {chat_type!r}")
        query_id = secrets.token_hex(8)
        payload = {
            "id": query_id,
            "from": user.to_api(),
            "query": str(body.get("query") or ""),
            "offset": "",
        }
        if chat_type is not None:
            payload["chat_type"] = chat_type
        state.updates.push("inline_query", payload)
        return _ok(query_id=query_id, seq=state.seq)

    def _content(self, state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
        if isinstance(body.get("text"), str) and body["text"]:
            text = body["text"]
            entities = []
            if match := COMMAND.match(text):
                entities.append({"type": "bot_command", "offset": 0, "length": match.end()})
            return {"text": text, "entities": entities}
        if "location" in body:
            return {"location": body["location"]}
        if "contact" in body:
            return {"contact": body["contact"]}
        if "sticker" in body:
            emoji = body["sticker"].get("emoji")
            return {
                "media": state.store_file("sticker", STICKER_BYTES, None, "image/webp", emoji=emoji)
            }
        for kind in ("photo", "voice", "document"):
            if kind in body:
                return {
                    "media": self._media(state, kind, body[kind]),
                    "caption": body.get("caption"),
                }
        raise UserSideError(400, "nothing to send: give text, location, contact or a file")

    @staticmethod
    def _media(state: SandboxState, kind: str, media: dict[str, Any]) -> FileRecord:
        content = base64.b64decode(media.get("content", ""))
        if kind == "photo":
            return state.store_file(kind, content, None, "image/jpeg")
        if kind == "voice":
            duration = media.get("duration", 1)
            return state.store_file(
                kind, content or VOICE_BYTES, None, "audio/ogg", duration=duration
            )
        filename = media.get("filename") or "file"
        mime = media.get("mime_type") or mimetypes.guess_type(filename)[0]
        return state.store_file(kind, content, filename, mime or "application/octet-stream")

    async def press(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        user = self._user(state, request, body)
        chat = self._chat(state, user, body)
        if body.get("inline"):
            return self._press_inline(state, user, body)
        if body.get("forge"):
            message, data = self._forged(state, chat, body)
        else:
            message, data = self._find_button(state, chat, body)
        query = PendingQuery(
            secrets.token_hex(8), user.id, chat.id, message.message_id, time.monotonic()
        )
        state.queries[query.query_id] = query
        seen = message.to_api()
        if body.get("inaccessible"):
            seen = {"chat": chat.to_api(), "message_id": message.message_id, "date": 0}
        update = state.updates.push(
            "callback_query",
            {
                "id": query.query_id,
                "from": user.to_api(),
                "message": seen,
                "chat_instance": f"sbx{chat.id}",
                "data": data,
            },
        )
        return _ok(
            query_id=query.query_id,
            message_id=message.message_id,
            seq=state.seq,
            update_id=_update_id(update),
        )

    @staticmethod
    def _press_inline(state: SandboxState, user: UserProfile, body: dict[str, Any]) -> web.Response:
        """A button of an inline message (sent through inline mode, in any chat): Telegram
        names the message by an opaque id and gives no chat."""
        data = body.get("callback_data")
        if not isinstance(data, str):
            raise UserSideError(400, "an inline press needs callback_data")
        # Answers are recorded in the user's chat with the bot, where they wait for them.
        query = PendingQuery(secrets.token_hex(8), user.id, user.id, 0, time.monotonic())
        state.queries[query.query_id] = query
        update = state.updates.push(
            "callback_query",
            {
                "id": query.query_id,
                "from": user.to_api(),
                "inline_message_id": f"sbxinline{secrets.token_hex(6)}",
                "chat_instance": f"sbxinline{user.id}",
                "data": data,
            },
        )
        return _ok(
            query_id=query.query_id, message_id=None, seq=state.seq, update_id=_update_id(update)
        )

    @staticmethod
    def _bot_messages(
        state: SandboxState, chat: Chat, message_id: int | None, *, deleted: bool = False
    ) -> list[StoredMessage]:
        """Candidate messages for a press, newest first (deleted ones too, when asked)."""
        return [
            m
            for m in reversed(state.messages.get(chat.id, {}).values())
            if m.from_bot and (deleted or not m.deleted) and message_id in (None, m.message_id)
        ]

    def _forged(
        self, state: SandboxState, chat: Chat, body: dict[str, Any]
    ) -> tuple[StoredMessage, str]:
        data = body.get("callback_data")
        if not isinstance(data, str):
            raise UserSideError(400, "a forged press needs callback_data")
        message_id = _optional_int(body.get("message_id"), "message_id")
        deleted = bool(body.get("inaccessible"))
        candidates = self._bot_messages(state, chat, message_id, deleted=deleted)
        if not candidates:
            raise UserSideError(404, f"no bot message {message_id or ''} in chat {chat.id}")
        return candidates[0], data

    def _find_button(
        self, state: SandboxState, chat: Chat, body: dict[str, Any]
    ) -> tuple[StoredMessage, str]:
        text = body.get("text")
        data = body.get("callback_data")
        if text is None and data is None:
            raise UserSideError(400, "press() needs a button text or callback_data")
        message_id = _optional_int(body.get("message_id"), "message_id")
        candidates = self._bot_messages(state, chat, message_id)
        wanted = f"text={text!r}" if text is not None else f"callback_data={data!r}"
        for message in candidates:
            for row in (message.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if text not in (None, button["text"]):
                        continue
                    if data not in (None, button.get("callback_data")):
                        continue
                    if "callback_data" not in button:
                        raise UserSideError(
                            400, f"button {wanted} is not a callback button: {button}"
                        )
                    return message, button["callback_data"]
        shown = []
        if candidates:
            markup = candidates[0].reply_markup or {}
            shown = [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]
        where = f"message {message_id}" if message_id is not None else "any bot message"
        raise UserSideError(
            404,
            f"no inline button {wanted} on {where} in chat {chat.id}; "
            f"buttons on the newest candidate: {shown}",
        )

    async def block(self, request: web.Request) -> web.Response:
        return await self._set_blocked(request, blocked=True)

    async def unblock(self, request: web.Request) -> web.Response:
        return await self._set_blocked(request, blocked=False)

    async def _set_blocked(self, request: web.Request, *, blocked: bool) -> web.Response:
        state = self._state(request)
        user = self._user(state, request, await _body(request))
        chat = state.private_chat(user)
        if (user.id in state.blocked) != blocked:
            if blocked:
                state.blocked.add(user.id)
            else:
                state.blocked.discard(user.id)
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            state.updates.push(
                "my_chat_member",
                {
                    "chat": chat.to_api(),
                    "from": user.to_api(),
                    "date": state.now(),
                    "old_chat_member": state.bot_member(old),
                    "new_chat_member": state.bot_member(new),
                },
            )
        return _ok(seq=state.seq)

    async def raw_update(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        kind, payload = body.get("kind"), body.get("payload")
        if not isinstance(kind, str) or not isinstance(payload, dict):
            raise UserSideError(400, "an update needs a kind and a JSON object as its payload")
        if kind == "callback_query" and "id" in payload:
            # A press the bot may answer: its answer is recorded like any other.
            chat_id = (payload.get("message") or {}).get("chat", {}).get("id")
            sender = payload.get("from", {}).get("id", 0)
            state.queries[payload["id"]] = PendingQuery(
                payload["id"], sender, chat_id or sender, 0, time.monotonic()
            )
        update = state.updates.push(kind, payload)
        return _ok(seq=state.seq, update_id=_update_id(update))

    async def create_group(self, request: web.Request) -> web.Response:
        state = self._state(request)
        body = await _body(request)
        title = str(body.get("title") or "Sandbox group")
        try:
            chat = state.create_group(
                title,
                is_forum=bool(body.get("is_forum", True)),
                chat_type=str(body.get("type") or "supergroup"),
                bot_status="administrator" if body.get("with_bot", True) else "left",
            )
        except ValueError as error:
            raise UserSideError(400, str(error)) from None
        return _ok(chat_id=chat.id)

    # observations

    async def events(self, request: web.Request) -> web.Response:
        state = self._state(request)
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        after = _int(request.query.get("after", 0), "after")
        from_bot = request.query.get("source") == "bot"
        await state.pulse.wait_until(
            lambda: bool(state.chat_events(chat_id, after, from_bot=from_bot)), _wait(request)
        )
        events = state.chat_events(chat_id, after, from_bot=from_bot)
        return _ok(events=[event.to_view() for event in events], seq=state.seq, busy=state.busy)

    async def messages(self, request: web.Request) -> web.Response:
        state = self._state(request)
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        thread = _optional_int(request.query.get("thread_id"), "thread_id")
        include_users = request.query.get("include_users") == "1"
        include_deleted = request.query.get("include_deleted") == "1"
        messages = [
            m.to_view()
            for m in state.messages.get(chat_id, {}).values()
            if (include_users or m.from_bot)
            and (include_deleted or not m.deleted)
            and thread in (None, m.thread_id)
        ]
        return _ok(messages=messages)

    async def answers(self, request: web.Request) -> web.Response:
        state = self._state(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        query_id = request.query.get("query_id")

        def found() -> list[dict[str, Any]]:
            return [
                a.to_view()
                for a in state.answers
                if a.user_id == user_id and query_id in (None, a.query_id)
            ]

        await state.pulse.wait_until(lambda: bool(found()), _wait(request))
        return _ok(answers=found())

    async def commands(self, request: web.Request) -> web.Response:
        """Resolve the command menu in Telegram's documented order of scopes."""
        state = self._state(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        chat_id = _optional_int(request.query.get("chat_id"), "chat_id") or user_id
        user = state.users.get(user_id)
        language = request.query.get("language_code") or (user and user.language_code) or ""
        if chat_id == user_id:
            scopes = [f"chat:{chat_id}", "all_private_chats", "default"]
        else:
            scopes = [f"chat_member:{chat_id}:{user_id}", f"chat:{chat_id}", "all_group_chats"]
            scopes.append("default")
        for scope in scopes:
            for lang in dict.fromkeys((language, "")):
                if (scope, lang) in state.commands:
                    return _ok(commands=state.commands[(scope, lang)])
        return _ok(commands=[])
