"""Bot API methods that send, edit, copy and delete messages."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.sandbox.api import Params, Upload, api_method, bad_request, forbidden
from bot.sandbox.html import EntityParseError, parse_html, strip_formatted
from bot.sandbox.markup import reply_markup
from bot.sandbox.models import Chat, FileRecord, StoredMessage
from bot.sandbox.state import SandboxState

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def target_chat(state: SandboxState, p: Params, name: str = "chat_id") -> Chat:
    chat = state.chat(p.integer(name, error="chat not found"))
    if chat.user is not None and chat.id in state.blocked:
        raise forbidden("bot was blocked by the user")
    if not chat.has_bot:
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        raise forbidden(f"bot is not a member of the {chat.type} chat")
    if chat.type == "channel" and chat.bot_status != "administrator":
        raise bad_request("need administrator rights in the channel chat")
    return chat


def formatted(p: Params, text_key: str, entities_key: str) -> tuple[str, list[dict[str, Any]]]:
    """Text after entity parsing and trimming, the way Telegram measures it.

    Only HTML is parsed (the bot's choice); MarkdownV2 text is taken as plain text.
    """
    raw = p.text(text_key) or ""
    if (p.text("parse_mode") or "").lower() == "html":
        try:
            text, entities = parse_html(raw)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    else:
        text = raw
        entities = p.obj(entities_key, error="can't parse entities JSON object") or []
    return strip_formatted(text, entities)


def message_text(p: Params) -> tuple[str, list[dict[str, Any]]]:
    text, entities = formatted(p, "text", "entities")
    if not text:
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text, entities


def caption(p: Params) -> tuple[str | None, list[dict[str, Any]]]:
    text, entities = formatted(p, "caption", "caption_entities")
    if len(text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return text or None, entities


def thread_of(chat: Chat, p: Params) -> int | None:
    thread = p.integer("message_thread_id", error="message thread not found")
    # Outside forums Telegram has no topics to check; the id is ignored.
    if thread is None or not chat.is_forum:
        return None
    if thread not in chat.topics:
        raise bad_request("message thread not found")
    return thread


def reply_target(state: SandboxState, chat: Chat, p: Params) -> StoredMessage | None:
    error = "can't parse reply parameters JSON object"
    reply = p.obj("reply_parameters", error=error) or {}
    if not isinstance(reply, dict):
        raise bad_request(error)
    message_id = reply.get("message_id") if reply else p.integer("reply_to_message_id")
    if message_id is None:
        return None
    try:
        target = state.message(chat.id, int(message_id))
    except (TypeError, ValueError):
        raise bad_request(error) from None
    allow_missing = reply.get("allow_sending_without_reply") or p.flag(
        "allow_sending_without_reply"
    )
    if target is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return target


def send(state: SandboxState, chat: Chat, p: Params, **content: Any) -> StoredMessage:
    """Store a bot message after every parameter has been validated."""
    thread = thread_of(chat, p)
    reply_to = reply_target(state, chat, p)
    markup = reply_markup(p)
    if reply_to is None and thread is not None:
        # Telegram makes messages in a topic replies to the topic's creation message.
        reply_to = state.message(chat.id, thread)
    return state.add_message(
        chat, state.bot, thread_id=thread, reply_to=reply_to, reply_markup=markup, **content
    )


@api_method("sendMessage", limited=True)
def send_message(state: SandboxState, p: Params) -> dict[str, Any]:
    chat = target_chat(state, p)
    text, entities = message_text(p)
    preview = p.obj("link_preview_options", error="can't parse link preview options JSON object")
    if preview is not None and not isinstance(preview, dict):
        raise bad_request("can't parse link preview options JSON object")
    return send(
        state, chat, p, text=text, entities=entities, link_preview_options=preview or None
    ).to_api()


def uploaded_file(state: SandboxState, p: Params, kind: str) -> FileRecord:
    value = p.file(kind)
    if value is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(value, Upload):
        if kind == "photo":  # Telegram re-encodes photos and drops their names
            return state.store_file(kind, value.content, None, "image/jpeg")
        mime = mimetypes.guess_type(value.filename)[0] or value.content_type
        return state.store_file(kind, value.content, value.filename, mime)
    record = state.files.get(value)
    if record is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if record.kind != kind:
        raise bad_request(f"can't use file of type {record.kind.title()} as {kind.title()}")
    return record


def send_media(state: SandboxState, p: Params, kind: str) -> dict[str, Any]:
    chat = target_chat(state, p)
    text, entities = caption(p)
    media = uploaded_file(state, p, kind)
    return send(state, chat, p, media=media, caption=text, caption_entities=entities).to_api()


@api_method("sendDocument", limited=True)
def send_document(state: SandboxState, p: Params) -> dict[str, Any]:
    return send_media(state, p, "document")


@api_method("sendPhoto", limited=True)
def send_photo(state: SandboxState, p: Params) -> dict[str, Any]:
    return send_media(state, p, "photo")


def own_message(state: SandboxState, p: Params, missing: str) -> StoredMessage:
    chat = target_chat(state, p)
    message_id = p.integer("message_id", error=missing)
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = state.message(chat.id, message_id)
    if message is None:
        raise bad_request(missing)
    return message


def apply_edit(state: SandboxState, message: StoredMessage, **changes: Any) -> dict[str, Any]:
    if not message.from_bot:
        raise bad_request("message can't be edited")
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    message.remember_revision(state.now())
    for key, value in changes.items():
        setattr(message, key, value)
    state.record("edit", message)
    return message.to_api()


@api_method("editMessageText", limited=True)
def edit_message_text(state: SandboxState, p: Params) -> dict[str, Any]:
    message = own_message(state, p, "message to edit not found")
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(p)
    # Without reply_markup the inline keyboard is removed, as on Telegram.
    return apply_edit(state, message, text=text, entities=entities, reply_markup=reply_markup(p))


@api_method("editMessageReplyMarkup")
def edit_message_reply_markup(state: SandboxState, p: Params) -> dict[str, Any]:
    message = own_message(state, p, "message to edit not found")
    return apply_edit(state, message, reply_markup=reply_markup(p))


@api_method("deleteMessage")
def delete_message(state: SandboxState, p: Params) -> bool:
    message = own_message(state, p, "message to delete not found")
    message.deleted = True
    state.record("delete", message)
    return True


def source_message(state: SandboxState, p: Params, missing: str) -> StoredMessage:
    source_chat = state.chat(p.integer("from_chat_id", error="chat not found"))
    message = state.message(source_chat.id, p.integer("message_id", error=missing))
    if message is None:
        raise bad_request(missing)
    if message.service is not None:
        raise bad_request("message can't be copied")
    return message


def copied_content(source: StoredMessage) -> dict[str, Any]:
    return {
        "text": source.text,
        "entities": source.entities,
        "caption": source.caption,
        "caption_entities": source.caption_entities,
        "media": source.media,
        "location": source.location,
        "contact": source.contact,
    }


@api_method("copyMessage", limited=True)
def copy_message(state: SandboxState, p: Params) -> dict[str, Any]:
    chat = target_chat(state, p)
    source = source_message(state, p, "message to copy not found")
    content = copied_content(source)
    if source.media is not None and p.has("caption"):
        content["caption"], content["caption_entities"] = caption(p)
    origin = (source.chat.id, source.message_id)
    return {"message_id": send(state, chat, p, copied_from=origin, **content).message_id}


@api_method("forwardMessage", limited=True)
def forward_message(state: SandboxState, p: Params) -> dict[str, Any]:
    chat = target_chat(state, p)
    source = source_message(state, p, "message to forward not found")
    origin = {"type": "user", "sender_user": source.sender.to_api(), "date": source.date}
    thread = thread_of(chat, p)
    message = state.add_message(
        chat,
        state.bot,
        thread_id=thread,
        forward_origin=origin,
        copied_from=(source.chat.id, source.message_id),
        **copied_content(source),
    )
    return message.to_api()


@api_method("getFile")
def get_file(state: SandboxState, p: Params) -> dict[str, Any]:
    record = state.files.get(p.text("file_id") or "")
    if record is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.content),
        "file_path": record.path,
    }


@api_method("sendChatAction")
def send_chat_action(state: SandboxState, p: Params) -> bool:
    target_chat(state, p)
    if p.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
