"""Whatever a participant sends, they get a short answer and a way on: never silence."""

from __future__ import annotations

import pytest

from bot.services.staff import members as staff_service
from tests.helpers import buttons, say, texts
from tests.helpers.screens import MENU, NL_TALK


async def last_toast(user) -> str:
    return (await user.fetch_callback_answers())[-1].text or ""


async def test_random_text_gets_a_hint_and_the_menu(bot_app, participant):
    await participant.send_text("bonjour, je cherche du travail")
    replies = await participant.replies()
    assert say("fallback-text") in texts(replies)
    assert buttons(replies) == MENU


@pytest.mark.parametrize(
    ("language", "talk"),
    [("fr", MENU[3]), ("nl", NL_TALK)],
)
async def test_twice_not_understood_shows_the_menu_with_the_counsellor_first(
    bot_app, sandbox, language, talk
):
    """The bot says "touch a button of the menu": the menu is there, the counsellor on top."""
    user = sandbox.user(1003, "Amélie", language_code=language)
    await user.send_text("bonjour")
    await user.replies()
    await user.send_text("je ne sais pas")
    said, menu = await user.replies()
    assert say("fallback-text", language) in said.text
    assert say("fallback-offer-human", language) in menu.text
    assert len(menu.button_texts()) == len(MENU)
    assert menu.button_texts()[0] == talk
    assert menu.callback_data()[0] == "menu:talk"


async def test_staff_not_understood_get_the_staff_home(bot_app, sandbox, sessionmaker):
    async with sessionmaker() as session:
        await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
        await session.commit()
    karim = sandbox.user(9100, "Karim")
    for text in ("bonjour", "je ne sais pas", "/emploi"):
        await karim.send_text(text)
        replies = await karim.replies()
        assert say("staff-home-title", name="Karim") in texts(replies)
        assert say("menu-talk") not in texts(replies)
        assert say("menu-jobs") not in buttons(replies)


async def test_unknown_command_is_named_in_the_answer(bot_app, participant):
    await participant.send_text("/emploi")
    replies = await participant.replies()
    assert say("fallback-command", command="/emploi") in texts(replies)
    assert buttons(replies) == MENU


@pytest.mark.parametrize("send", ["send_sticker", "send_voice", "send_photo"])
async def test_media_gets_an_answer(bot_app, participant, send):
    await getattr(participant, send)()
    replies = await participant.replies()
    assert say("fallback-media") in texts(replies)
    assert buttons(replies) == MENU


async def test_very_long_text_is_refused_politely(bot_app, participant):
    await participant.send_text("a" * 600)
    assert say("fallback-too-long") in texts(await participant.replies())


async def test_text_with_html_characters_does_not_break_the_reply(bot_app, sandbox, participant):
    await participant.send_text("<b>1 < 2 & 3</b>")
    assert say("fallback-text") in texts(await participant.replies())


async def test_free_text_inside_a_flow_points_back_to_its_buttons(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.send_text("français")
    replies = await participant.replies()
    assert say("flow-use-buttons") in texts(replies)
    assert buttons(replies) == [say("lang-button-fr"), say("lang-button-nl")]


async def test_button_from_an_old_flow_says_it_expired_and_shows_the_menu(bot_app, participant):
    await participant.send_text("/start")
    first = (await participant.replies())[-1]
    french = first.callback_data()[0]
    await participant.send_text("/cancel")
    await participant.replies()
    # The flow removed its keyboard; an old client (or a second device) can still send it.
    await participant.press_data(french, message_id=first.message_id)
    replies = await participant.replies()
    assert say("button-expired") in await last_toast(participant)
    assert buttons(replies) == MENU


async def test_unknown_button_data_is_answered(bot_app, participant, sandbox):
    await participant.send_text("/menu")
    menu = (await participant.replies())[-1]
    await participant.press_data("menu:vanished", message_id=menu.message_id)
    replies = await participant.replies()
    assert say("button-expired") in await last_toast(participant)
    assert buttons(replies) == MENU


async def test_cancel_leaves_a_flow_and_says_so(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.send_text("/cancel")
    replies = await participant.replies()
    assert say("cancel-done") in texts(replies)
    assert buttons(replies) == MENU


async def test_cancel_outside_a_flow_says_nothing_was_running(bot_app, participant):
    await participant.send_text("/cancel")
    assert say("cancel-nothing") in texts(await participant.replies())
