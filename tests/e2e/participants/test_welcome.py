"""A first-time participant meets the bot: greeting, language, programme, menu."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import User
from bot.sandbox import UserClient
from tests.helpers import buttons, say, texts


async def test_start_greets_by_first_name_and_asks_for_the_language(bot_app, participant):
    await participant.send_text("/start")
    replies = await participant.replies()
    assert say("welcome-new", name="Amélie") in texts(replies)
    assert buttons(replies) == [say("lang-button-fr"), say("lang-button-nl")]


async def test_choosing_french_explains_the_programme_and_asks_for_consent_below(
    bot_app, participant
):
    await participant.send_text("/start")
    await participant.replies()
    await participant.press(say("lang-button-fr"))
    replies = await participant.replies()
    about, consent = (await participant.messages())[-2:]
    assert say("about") in about.text and not about.buttons
    assert say("reg-consent") in consent.text
    assert buttons(replies) == [say("reg-consent-yes"), say("reg-consent-no")]


async def test_dutch_speaker_gets_dutch_and_the_choice_is_stored(bot_app, sandbox, sessionmaker):
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl-BE")
    await jan.send_text("/start")
    assert say("welcome-new", "nl", name="Jan") in texts(await jan.replies())
    await jan.press(say("lang-button-nl"))
    assert say("about", "nl") in texts(await jan.replies())
    async with sessionmaker() as session:
        locale = await session.scalar(select(User.locale).where(User.telegram_id == 2002))
    assert locale == "nl"


async def test_returning_participant_is_welcomed_back_in_their_language(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.press(say("lang-button-nl"))
    await participant.replies()
    await participant.send_text("/start")
    replies = await participant.replies()
    assert say("welcome-back", "nl", name="Amélie") in texts(replies)
    # not registered yet: the registration resumes
    assert say("reg-consent", "nl") in texts(replies)


async def test_lang_switches_the_language_of_every_later_message(bot_app, participant):
    await participant.send_text("/start")
    await participant.replies()
    await participant.press(say("lang-button-fr"))
    await participant.replies()
    await participant.send_text("/lang")
    await participant.replies()
    await participant.press(say("lang-button-nl"))
    replies = await participant.replies()
    assert say("lang-set", "nl") in texts(replies)
    await participant.send_text("/help")
    assert say("help", "nl") in texts(await participant.replies())


async def test_help_warns_never_to_send_sensitive_data(bot_app, participant):
    await participant.send_text("/help")
    assert say("help") in texts(await participant.replies())  # its last paragraph warns


async def test_menu_buttons_answer(bot_app, participant):
    await participant.send_text("/menu")
    await participant.replies()
    await participant.press(say("menu-help"))
    assert say("help") in texts(await participant.replies())
    await participant.press(say("menu-about"))
    assert say("about") in texts(await participant.replies())
    await participant.press(say("menu-profile"))
    assert say("reg-consent") in texts(await participant.replies())


async def test_commands_are_registered_in_both_languages(bot_app, sandbox):
    commands = sandbox.registered_commands(language_code="nl")
    assert [c["command"] for c in commands] == [
        "start",
        "menu",
        "jobs",
        "sessions",
        "faq",
        "counsellor",
        "close",
        "profile",
        "help",
        "lang",
        "cancel",
        "mydata",
        "delete",
    ]
    assert commands[1]["description"] == say("cmd-menu", "nl")
    assert sandbox.registered_commands(language_code="fr")[1]["description"] == say("cmd-menu")
