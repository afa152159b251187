"""What a person sees before pressing Start: after scanning a counsellor's QR code, the empty
chat shows the bot's description, in their language."""

from __future__ import annotations

from tests.helpers import texts


async def test_the_empty_chat_says_what_the_bot_does_and_who_is_behind_it(bot_app, sandbox):
    french = sandbox.description("fr")
    assert "Flandre occidentale" in french and "Interreg" in french
    assert "Département du Nord" in french and "VDAB" in french
    dutch = sandbox.description("nl")
    assert "West-Vlaanderen" in dutch and "Interreg" in dutch
    # Telegram users in any other language read French.
    assert sandbox.description("") == french
    assert "Flandre occidentale" in sandbox.description("fr", short=True)
    assert "West-Vlaanderen" in sandbox.description("nl", short=True)


async def test_a_refused_description_does_not_stop_the_bot(start_bot, sandbox, participant):
    sandbox.inject_failure(method="setMyDescription", status=500, count=10)
    await start_bot()
    await participant.send_text("/help")
    assert "Comment m'utiliser" in texts(await participant.replies())
