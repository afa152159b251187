"""Bot API methods about the bot itself: identity, updates, webhook, commands, callbacks, topics,
leaving a chat."""

from __future__ import annotations

import re
import time
from typing import Any

from bot.sandbox.api import Params, api_method, bad_request, forbidden
from bot.sandbox.models import CallbackAnswer, Topic
from bot.sandbox.state import SandboxState
from bot.sandbox.updates import WebhookConfig

QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
COMMAND = re.compile(r"[a-z0-9_]{1,32}")
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
DEFAULT_TOPIC_COLOR = 0x6FB9F0


@api_method("getMe")
def get_me(state: SandboxState, p: Params) -> dict[str, Any]:
    return {
        **state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def _allowed_updates(p: Params) -> list[str] | None:
    return p.obj("allowed_updates", error="can't parse allowed updates JSON array")


@api_method("getUpdates")
async def get_updates(state: SandboxState, p: Params) -> list[dict[str, Any]]:
    limit = min(max(p.integer("limit") or 100, 1), 100)
    timeout = max(p.integer("timeout") or 0, 0)
    return await state.updates.poll(p.integer("offset"), limit, timeout, _allowed_updates(p))


@api_method("setWebhook")
def set_webhook(state: SandboxState, p: Params) -> bool:
    queue = state.updates
    url = p.text("url") or ""
    # Plain http is accepted (Telegram demands https) so local test receivers work.
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token")
    if secret is not None and not SECRET_TOKEN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    if p.flag("drop_pending_updates"):
        queue.drop_pending()
    queue.set_allowed(_allowed_updates(p))
    queue.webhook = WebhookConfig(url, secret, p.integer("max_connections") or 40) if url else None
    state.pulse.notify()
    return True


@api_method("deleteWebhook")
def delete_webhook(state: SandboxState, p: Params) -> bool:
    if p.flag("drop_pending_updates"):
        state.updates.drop_pending()
    state.updates.webhook = None
    state.pulse.notify()
    return True


@api_method("getWebhookInfo")
def get_webhook_info(state: SandboxState, p: Params) -> dict[str, Any]:
    queue = state.updates
    info: dict[str, Any] = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": len(queue.pending),
    }
    if queue.webhook is not None:
        info.update(url=queue.webhook.url, max_connections=queue.webhook.max_connections)
        if queue.webhook.last_error_date is not None:
            info["last_error_date"] = queue.webhook.last_error_date
            info["last_error_message"] = queue.webhook.last_error_message
    if queue.allowed is not None:
        info["allowed_updates"] = sorted(queue.allowed)
    return info


@api_method("answerCallbackQuery")
def answer_callback_query(state: SandboxState, p: Params) -> bool:
    # A query can be answered once, and only while it is fresh.
    query = state.queries.pop(p.text("callback_query_id") or "", None)
    if query is None or time.monotonic() - query.created > state.callback_query_ttl:
        raise bad_request(QUERY_EXPIRED)
    answer = CallbackAnswer(
        query.query_id, query.user_id, p.text("text"), p.flag("show_alert"), p.text("url")
    )
    state.record_answer(query, answer)
    return True


def command_key(p: Params) -> tuple[str, str]:
    """Commands are stored per scope and language, exactly as given."""
    scope = p.obj("scope", error="can't parse BotCommandScope JSON object") or {}
    if not isinstance(scope, dict) or scope.get("type", "default") not in COMMAND_SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    parts = [scope.get("type", "default")]
    parts += [str(scope[key]) for key in ("chat_id", "user_id") if key in scope]
    return ":".join(parts), p.text("language_code") or ""


@api_method("setMyCommands")
def set_my_commands(state: SandboxState, p: Params) -> bool:
    commands = p.obj("commands", error="can't parse commands JSON array")
    if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
        raise bad_request("can't parse commands JSON array")
    for command in commands:
        if not COMMAND.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = command_key(p)
    if commands:
        state.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
    else:
        state.commands.pop(key, None)
    return True


@api_method("getMyCommands")
def get_my_commands(state: SandboxState, p: Params) -> list[dict[str, str]]:
    return state.commands.get(command_key(p), [])


@api_method("deleteMyCommands")
def delete_my_commands(state: SandboxState, p: Params) -> bool:
    state.commands.pop(command_key(p), None)
    return True


@api_method("createForumTopic")
def create_forum_topic(state: SandboxState, p: Params) -> dict[str, Any]:
    chat = state.chat(p.integer("chat_id", error="chat not found"))
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    name = p.text("name") or ""
    topic = Topic(chat.last_message_id + 1, name, p.integer("icon_color") or DEFAULT_TOPIC_COLOR)
    # The topic's id is the id of its creation service message.
    created = {"forum_topic_created": {"name": topic.name, "icon_color": topic.icon_color}}
    state.add_message(chat, state.bot, thread_id=topic.thread_id, service=created)
    chat.topics[topic.thread_id] = topic
    return topic.to_api()


def _topic(state: SandboxState, p: Params) -> Topic:
    chat = state.chat(p.integer("chat_id", error="chat not found"))
    topic = chat.topics.get(p.integer("message_thread_id", error="message thread not found") or 0)
    if topic is None:
        raise bad_request("message thread not found")
    return topic


@api_method("editForumTopic")
def edit_forum_topic(state: SandboxState, p: Params) -> bool:
    topic = _topic(state, p)
    topic.name = p.text("name") or topic.name
    return True


@api_method("closeForumTopic")
def close_forum_topic(state: SandboxState, p: Params) -> bool:
    topic = _topic(state, p)
    if topic.closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.closed = True
    return True


@api_method("reopenForumTopic")
def reopen_forum_topic(state: SandboxState, p: Params) -> bool:
    topic = _topic(state, p)
    if not topic.closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic.closed = False
    return True


@api_method("deleteForumTopic")
def delete_forum_topic(state: SandboxState, p: Params) -> bool:
    """The topic goes with every message in it, as in Telegram."""
    chat = state.chat(p.integer("chat_id", error="chat not found"))
    topic = _topic(state, p)
    del chat.topics[topic.thread_id]
    for message in state.messages.get(chat.id, {}).values():
        if message.thread_id == topic.thread_id and not message.deleted:
            message.deleted = True
            state.record("delete", message)
    return True


@api_method("getChat")
def get_chat(state: SandboxState, p: Params) -> dict[str, Any]:
    chat = state.chat(p.integer("chat_id", error="chat not found"))
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@api_method("leaveChat")
def leave_chat(state: SandboxState, p: Params) -> bool:
    """The bot leaves a group or channel: it gets my_chat_member (from itself), the group
    sees it leave, and nothing more comes from there."""
    chat = state.chat(p.integer("chat_id", error="chat not found"))
    if chat.user is not None:
        raise bad_request("chat member status can't be changed in private chats")
    if not chat.has_bot:
        raise forbidden(f"bot is not a member of the {chat.type} chat")
    state.change_bot_status(chat, state.bot, "left")
    return True


def _accept(state: SandboxState, p: Params) -> bool:
    return True


# Telegram's limits: 512 characters for the description, 120 for the short one.
DESCRIPTION_MAX = {"description": 512, "short_description": 120}


def _describe(kind: str):
    def set_description(state: SandboxState, p: Params) -> bool:
        text = p.text(kind) or ""
        if len(text) > DESCRIPTION_MAX[kind]:
            raise bad_request(f"{kind.upper()}_INVALID")
        key = (kind, p.text("language_code") or "")
        if text:
            state.descriptions[key] = text
        else:
            state.descriptions.pop(key, None)
        return True

    return set_description


api_method("setMyDescription")(_describe("description"))
api_method("setMyShortDescription")(_describe("short_description"))

# Accepted so a bot's start-up and shutdown calls work; the sandbox has nothing to change.
for _name in ("setChatMenuButton", "close", "logOut"):
    api_method(_name)(_accept)
