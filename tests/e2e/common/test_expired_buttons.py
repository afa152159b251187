"""A very old button gets "this button has expired" and the menu, never "a problem occurred":
a press Telegram says is too old to answer, one on a message the bot can no longer see, one
on an inline message (issue 12, point 10)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import OutboxMessage, VacancyAlert
from bot.demo import midday_zone
from tests.helpers import buttons, holds, say, texts
from tests.helpers.people import add_member, seed
from tests.helpers.screens import HOME_BUTTONS, MENU, NL_TALK, PARTICIPANT_VIEW
from tests.helpers.vacancies import publish

EXPIRED = {"fr": say("button-expired"), "nl": say("button-expired", "nl")}
GENERIC = {"fr": say("error-generic"), "nl": say("error-generic", "nl")}


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_a_press_answered_too_late_says_it_expired_and_shows_the_menu(
    bot_app, sandbox, language
) -> None:
    user = sandbox.user(1003, "Amélie", language_code=language)
    await user.send_text("/menu")
    [menu] = await user.replies()
    sandbox.state.callback_query_ttl = 0  # the bot answers after Telegram gave up waiting

    await user.press(menu.button_texts()[6], message_id=menu.message_id)  # the programme
    replies = await user.replies()
    assert EXPIRED[language] in texts(replies)  # in the chat: too late for the button
    assert GENERIC[language] not in texts(replies)
    assert len(buttons(replies)) == len(MENU)
    assert (NL_TALK if language == "nl" else MENU[3]) in buttons(replies)


async def test_a_late_interest_changes_nothing(bot_app, sandbox, participant, sessionmaker):
    """The press is undone: no interest recorded, no lead for the counsellor."""
    await seed(participant, sessionmaker)
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    sandbox.state.callback_query_ttl = 0

    await participant.press(say("alert-interested"), message_id=card.message_id)
    replies = await participant.replies()
    assert EXPIRED["fr"] in texts(replies) and buttons(replies) == MENU
    assert not holds(texts(replies), "alert-interested-done", title=...)
    async with sessionmaker() as session:
        alert = await session.scalar(select(VacancyAlert))
        assert alert.response is None
        leads = select(func.count()).where(OutboxMessage.dedupe_key.startswith("lead:"))
        assert await session.scalar(leads) == 0


@pytest.mark.parametrize("language", ["fr", "nl"])
async def test_a_press_on_a_message_out_of_reach_says_it_expired(
    bot_app, sandbox, language
) -> None:
    user = sandbox.user(1003, "Amélie", language_code=language)
    await user.send_text("/start")
    [_hello, question] = await user.replies()

    await user.press(question.button_texts()[0], message_id=question.message_id, inaccessible=True)
    replies = await user.replies()
    assert EXPIRED[language] in user.callback_answers[-1]
    assert GENERIC[language] not in texts(replies)
    assert len(buttons(replies)) == len(MENU)


async def test_a_staff_button_on_a_message_out_of_reach_gives_the_staff_home(
    bot_app, sandbox, sessionmaker
) -> None:
    """The session desk edits the message its button sat on, which it cannot here."""
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/menu")
    [home] = await karim.replies()

    await karim.press(HOME_BUTTONS[0], message_id=home.message_id, inaccessible=True)
    replies = await karim.replies()
    assert EXPIRED["fr"] in karim.callback_answers[-1]
    assert GENERIC["fr"] not in texts(replies)
    assert buttons(replies) == [*HOME_BUTTONS, PARTICIPANT_VIEW]


async def test_a_button_of_an_inline_message_says_it_expired(bot_app, sandbox) -> None:
    user = sandbox.user(1003, "Amélie")
    await user.send_text("/menu")
    await user.replies()

    await user.press_inline("menu:about")
    replies = await user.replies()
    assert EXPIRED["fr"] in user.callback_answers[-1]
    assert buttons(replies) == MENU  # in the person's own chat with the bot


async def test_an_old_flows_button_pressed_too_late_says_it_expired_in_the_chat(
    bot_app, sandbox
) -> None:
    user = sandbox.user(1003, "Amélie")
    await user.send_text("/start")
    question = (await user.replies())[-1]
    await user.send_text("/cancel")
    await user.replies()
    sandbox.state.callback_query_ttl = 0

    await user.press_data(question.callback_data()[0], message_id=question.message_id)
    replies = await user.replies()
    assert EXPIRED["fr"] in texts(replies) and buttons(replies) == MENU
    assert GENERIC["fr"] not in texts(replies)
