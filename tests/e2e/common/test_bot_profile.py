"""What a person sees before pressing Start: after scanning a counsellor's QR code, the empty
chat shows the bot's description, in their language."""

from __future__ import annotations

from tests.helpers import say, texts


async def test_the_empty_chat_says_what_the_bot_does_and_who_is_behind_it(bot_app, sandbox):
    french = sandbox.description("fr")
    assert say("bot-description") in french
    dutch = sandbox.description("nl")
    assert say("bot-description", "nl") in dutch
    # Telegram users in any other language read French.
    assert sandbox.description("") == french
    assert say("bot-short-description") in sandbox.description("fr", short=True)
    assert say("bot-short-description", "nl") in sandbox.description("nl", short=True)


async def test_a_refused_description_does_not_stop_the_bot(start_bot, sandbox, participant):
    sandbox.inject_failure(method="setMyDescription", status=500, count=10)
    await start_bot()
    await participant.send_text("/help")
    assert say("help") in texts(await participant.replies())
