"""One bot's sandbox: its own world (chats, messages, updates, webhook) and flood limits.

Each token a sandbox accepts is a separate bot, as on Telegram: a private chat with one bot
is not a chat with another, and updates, commands and limits are per bot.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

# Importing the method modules registers their handlers.
from bot.sandbox import methods_bot, methods_messages  # noqa: F401
from bot.sandbox.api import METHODS, ApiError, Params, too_many_requests
from bot.sandbox.limits import FloodControl, SandboxLimits
from bot.sandbox.models import StoredMessage, UserProfile
from bot.sandbox.state import SandboxState
from bot.sandbox.webhook import WebhookPusher


def bot_id_of(token: str) -> int:
    return int(token.split(":", 1)[0])


class BotSandbox:
    def __init__(
        self,
        token: str,
        limits: SandboxLimits,
        *,
        username: str,
        name: str,
        callback_query_ttl: float,
        webhook_attempts: int,
        webhook_backoff: float,
    ) -> None:
        self.token = token
        profile = UserProfile(bot_id_of(token), name, username=username, is_bot=True)
        self.state = SandboxState(profile)
        self.state.callback_query_ttl = callback_query_ttl
        self.flood = FloodControl(limits)
        self.webhook = WebhookPusher(
            self.state, self.call, attempts=webhook_attempts, backoff=webhook_backoff
        )

    @property
    def bot_id(self) -> int:
        return self.state.bot.id

    @property
    def stats(self) -> Counter[str]:
        """A Counter: calls per method name, ``http_<status>`` per error, ``sent_messages``."""
        return self.state.stats

    async def call(self, name: str, params: Params) -> Any:
        """Run one Bot API method under the flood limits; raises ApiError like Telegram."""
        spec = METHODS.get(name.lower())
        if spec is None:
            raise ApiError(404, "Not Found: method not found")
        self.stats[spec.name] += 1
        chat_id = None
        if spec.limited:
            try:
                chat_id = params.integer("chat_id")
            except ApiError:
                chat_id = None  # the handler reports the bad chat id
            if (retry_after := self.flood.retry_after(chat_id)) is not None:
                raise too_many_requests(retry_after)
        result = spec.handler(self.state, params)
        if inspect.isawaitable(result):
            result = await result
        if spec.limited:
            self.flood.charge(chat_id)
        return result

    # in-process inspection for tests and the demo

    def create_group(
        self,
        title: str,
        *,
        is_forum: bool = True,
        chat_type: str = "supergroup",
        with_bot: bool = True,
    ) -> int:
        """A supergroup (negative -100... id), a forum with topics by default, with the bot as
        an administrator; or a basic group (``chat_type="group"``, ``is_forum=False``) or a
        channel. ``with_bot=False``: the bot is not in it until someone adds it."""
        status = "administrator" if with_bot else "left"
        return self.state.create_group(
            title, is_forum=is_forum, chat_type=chat_type, bot_status=status
        ).id

    def bot_status(self, chat_id: int) -> str:
        """The bot's status in a group or channel: "member", "administrator", "left"..."""
        return self.state.chats[chat_id].bot_status

    def chat_messages(
        self, chat_id: int, *, thread_id: int | None = None, include_deleted: bool = False
    ) -> list[StoredMessage]:
        """Every message of a chat, both directions, oldest first, with edit history."""
        return [
            m
            for m in self.state.messages.get(chat_id, {}).values()
            if (include_deleted or not m.deleted)
            and (thread_id is None or m.thread_id == thread_id)
        ]

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self.state.updates.pending)

    def registered_commands(
        self, scope: str = "default", language_code: str = ""
    ) -> list[dict[str, str]]:
        """Commands stored by setMyCommands; scope keys look like ``chat:<id>``."""
        return self.state.commands.get((scope, language_code), [])

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        """What setMyDescription (or setMyShortDescription) stored for a language ("" for
        everyone else): what an empty chat shows before Start."""
        kind = "short_description" if short else "description"
        return self.state.descriptions.get((kind, language_code), "")

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self.state.blocked
