"""Updates the bot does not expect still get an answer, never silence or "a problem occurred":
presses on messages it cannot see or that are gone, invisible text, a reply to a message
without a sender (issue 13, point 5)."""

from __future__ import annotations

import pytest

from bot.sandbox import UserClient
from tests.helpers import buttons, texts
from tests.helpers.screens import MENU

EXPIRED = "Ce bouton n'est plus actif."
GENERIC = "un problème est survenu"
PRESSES = ["faq:open:holidays", "faq:no:holidays", "faq:yes:holidays", "del:0", "del:1"]


def press_on(user: UserClient, data: str, message: dict) -> dict:
    return {
        "id": f"q{user.interactions}-{data}",
        "from": {"id": user.user_id, "is_bot": False, "first_name": user.first_name},
        "message": message,
        "chat_instance": f"i{user.user_id}",
        "data": data,
    }


def bot_message(user: UserClient, message_id: int, bot_id: int) -> dict:
    """A message of the bot, as Telegram describes one in a press (it may be gone since)."""
    return {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": user.user_id, "type": "private", "first_name": user.first_name},
        "from": {"id": bot_id, "is_bot": True, "first_name": "Bot"},
        "text": "?",
    }


@pytest.mark.parametrize("data", PRESSES)
async def test_a_press_on_a_message_out_of_reach_is_answered(bot_app, participant, data):
    await participant.send_text("/faq")
    [listing] = await participant.replies()

    query = await participant.press_data(data, message_id=listing.message_id, inaccessible=True)
    answer = await participant.wait_callback_answer(query)
    assert answer.text == EXPIRED
    assert GENERIC not in texts(await participant.replies())


@pytest.mark.parametrize("data", PRESSES)
async def test_a_press_on_an_inline_message_is_answered(bot_app, participant, data):
    await participant.send_text("/menu")
    await participant.replies()

    query = await participant.press_inline(data)
    answer = await participant.wait_callback_answer(query)
    assert answer.text == EXPIRED
    assert GENERIC not in texts(await participant.replies())


@pytest.mark.parametrize("data", [p for p in PRESSES if not p.startswith("faq:open")])
async def test_a_press_on_a_message_gone_since_says_it_expired(bot_app, sandbox, participant, data):
    """Telegram described the message, but it was deleted before the bot could edit it."""
    await participant.send_text("/faq")
    await participant.replies()

    await participant.push_update(
        "callback_query", press_on(participant, data, bot_message(participant, 999, sandbox.bot_id))
    )
    replies = await participant.replies()
    assert GENERIC not in texts(replies)
    assert EXPIRED in participant.callback_answers[-1] or EXPIRED in texts(replies)


async def test_a_button_pressed_twice_is_answered_twice(bot_app, participant):
    """The second press finds its message already edited (Telegram: "not modified")."""
    await participant.send_text("/faq")
    [listing] = await participant.replies()
    await participant.press(listing.button_texts()[0])
    [entry] = [m for m in await participant.replies() if m.buttons]
    await participant.press_data(entry.callback_data()[0], message_id=entry.message_id)
    await participant.replies()

    query = await participant.press_data(entry.callback_data()[0], message_id=entry.message_id)
    await participant.wait_callback_answer(query)
    assert GENERIC not in texts(await participant.replies())


@pytest.mark.parametrize(
    "text",
    ["\u200b", "\u200c", "\u200c\u200d", "\U0001d17a\U0001d17a", "\u2060\u2060", "\ufeff\u200b"],
)
async def test_invisible_text_gets_an_answer_and_the_menu(bot_app, participant, text):
    await participant.send_text(text)
    replies = await participant.replies()
    assert GENERIC not in texts(replies)
    assert buttons(replies)[-len(MENU) :] == MENU


async def test_a_reply_to_a_message_without_a_sender_gets_an_answer(bot_app, participant):
    """Telegram leaves `from` out of some replied-to messages (a channel's, say)."""
    await participant.send_text("/menu")
    await participant.replies()
    chat = {"id": participant.user_id, "type": "private", "first_name": "Amélie"}
    await participant.push_update(
        "message",
        {
            "message_id": 500,
            "date": 1_700_000_000,
            "chat": chat,
            "from": {"id": participant.user_id, "is_bot": False, "first_name": "Amélie"},
            "text": "bonjour",
            "reply_to_message": {"message_id": 1, "date": 1_700_000_000, "chat": chat, "text": "x"},
        },
    )
    replies = await participant.replies()
    assert GENERIC not in texts(replies)
    assert buttons(replies)[-len(MENU) :] == MENU
