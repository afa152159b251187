"""A participant's request to their counsellor ("Talk to my counsellor")."""

from __future__ import annotations

from bot.sandbox import UserClient
from tests.helpers import texts
from tests.helpers.fluent import say

TOPICS = [
    say("esc-topic-question"),
    say("esc-topic-mobility"),
    say("esc-topic-contract"),
    say("esc-topic-other"),
    say("esc-back"),
]
# What comes before a counsellor's answer in the participant's chat (Karim of `people.seed`).
HEADER = say("esc-answer-header", name="Karim")


async def ask_question(participant: UserClient) -> str:
    """/counsellor, then "A question": what the bot says once the ticket is open."""
    await participant.send_text("/counsellor")
    [ask] = await participant.replies()
    assert ask.button_texts() == TOPICS
    await participant.press(TOPICS[0], message_id=ask.message_id)
    return texts(await participant.replies())
