"""A participant's button from another message works while a flow of theirs is open: the flow
closes and its buttons go, the pressed message keeps its own, and the button does what it
says."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Participant, Ticket
from bot.sandbox import UserClient
from tests.helpers import holds, say, texts
from tests.helpers.chat import staff_member
from tests.helpers.people import seed

MENU_TALK = say("menu-talk")


async def buttons_of(user: UserClient, message_id: int) -> list[str]:
    return next(m for m in await user.messages() if m.message_id == message_id).button_texts()


async def menu_then_language_question(participant: UserClient) -> tuple[int, int]:
    """The menu, then /lang left unanswered: both message ids."""
    await participant.send_text("/menu")
    [menu] = await participant.replies()
    await participant.send_text("/lang")
    [question] = await participant.replies()
    assert say("lang-choose") in question.text
    return menu.message_id, question.message_id


async def test_talking_to_the_counsellor_closes_the_language_question(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    await staff_member(sandbox, 9100, "Karim")
    menu, question = await menu_then_language_question(participant)

    await participant.press(MENU_TALK, message_id=menu)
    [topics] = await participant.replies()
    assert say("esc-topic-ask") in topics.text
    assert MENU_TALK in await buttons_of(participant, menu)
    await participant.press(say("esc-topic-question"), message_id=topics.message_id)
    assert say("esc-write-now") in texts(await participant.replies())
    assert await buttons_of(participant, question) == []
    await participant.send_text("Bonjour")
    assert holds(texts(await participant.replies()), "esc-relayed", name="Karim", due=...)
    async with sessionmaker() as session:
        assert await session.scalar(select(Ticket).where(Ticket.participant_id == person))


async def test_announcing_a_job_closes_the_language_question(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    menu, question = await menu_then_language_question(participant)

    await participant.press(say("menu-found-job"), message_id=menu)
    assert say("out-found-ask-employer") in texts(await participant.replies())
    assert await buttons_of(participant, question) == []
    assert say("menu-found-job") in await buttons_of(participant, menu)
    await participant.send_text("Vlaamse Verpakking")
    assert say("out-found-ask-start") in texts(await participant.replies())


async def test_erasing_ones_data_closes_the_language_question(
    bot_app, participant, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    await participant.send_text("/lang")
    [question] = await participant.replies()
    await participant.send_text("/delete")
    [confirm] = await participant.replies()

    await participant.press(say("delete-yes"), message_id=confirm.message_id)
    assert say("delete-done") in texts(await participant.replies())
    assert await buttons_of(participant, question.message_id) == []
    async with sessionmaker() as session:
        assert (await session.get(Participant, person)).first_name is None
