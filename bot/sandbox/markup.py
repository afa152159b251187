"""Validation of reply_markup with Telegram's limits and error wording."""

from __future__ import annotations

from typing import Any

from bot.sandbox.api import Params, bad_request

MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
MARKUP_JSON_ERROR = "can't parse reply keyboard markup JSON object"
# An inline button must do something; one of these fields says what.
INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
URL_SCHEMES = ("http://", "https://", "tg://")


def reply_markup(params: Params) -> dict[str, Any] | None:
    """The validated, normalised reply_markup of a call, or None when absent."""
    if not params.has("reply_markup"):
        return None
    markup = params.obj("reply_markup", error=MARKUP_JSON_ERROR)
    if not isinstance(markup, dict):
        raise bad_request(MARKUP_JSON_ERROR)
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_keyboard(markup["inline_keyboard"])}
    if "keyboard" in markup:
        return {**markup, "keyboard": _reply_keyboard(markup["keyboard"])}
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request(MARKUP_JSON_ERROR)


def _rows(value: Any, field: str, kind: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{field}" of the {kind} must be an Array of Arrays')
    return value


def _inline_keyboard(value: Any) -> list[list[dict[str, Any]]]:
    rows = _rows(value, "inline_keyboard", "InlineKeyboardMarkup")
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            _check_inline_button(button)
    return rows


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not any(action in button for action in INLINE_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(URL_SCHEMES) or " " in url:
            raise bad_request("BUTTON_URL_INVALID")


def _reply_keyboard(value: Any) -> list[list[dict[str, Any]]]:
    rows = _rows(value, "keyboard", "ReplyKeyboardMarkup")
    normalised = []
    for row in rows:
        buttons = []
        for button in row:
            # Telegram accepts a bare string for a plain text button.
            button = {"text": button} if isinstance(button, str) else button
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            buttons.append(button)
        normalised.append(buttons)
    return normalised
