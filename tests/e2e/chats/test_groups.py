"""Outside private chats the bot answers only in the counsellors' desk, and only to staff.
Anywhere else it says once that it works in private, and leaves a group it was added to by
someone who is not staff (issue 13, point 2)."""

from __future__ import annotations

import pytest
from aiogram.types import Update
from sqlalchemy import select, text

from bot.db.base import Base
from bot.db.models import GroupNote, Role, Staff
from bot.sandbox import UserClient
from tests.helpers import say
from tests.helpers.people import add_person

AMELIE, STRANGER, KARIM = 1001, 3003, 9100
NOTE_FR = say("group-private-only", link="t.me/enavant_sandbox_bot")
NOTE_NL = say("group-private-only", "nl", link="t.me/enavant_sandbox_bot")
PARTICIPANT_COMMANDS = ("/start", "/delete", "/mydata", "/jobs", "/menu", "/sessions", "/help")


@pytest.fixture
def settings(settings, request):
    # The desk's limiter scaled up like the others; a desk only for the tests that ask.
    update = {"send_group_per_min": 6000}
    if "desk" in request.fixturenames:
        update["desk_chat_id"] = request.getfixturevalue("desk")
    return settings.model_copy(update=update)


@pytest.fixture
def desk(sandbox) -> int:
    return sandbox.create_group("CET desk", is_forum=True)


async def seed(sessionmaker) -> None:
    """Karim (staff) follows Amélie (registered, consented)."""
    async with sessionmaker() as session:
        karim = Staff(
            telegram_id=KARIM, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
        )
        session.add(karim)
        await session.flush()
        await add_person(session, 1, counsellor=karim, telegram_id=AMELIE)
        await session.commit()


async def everything(sessionmaker) -> dict[str, list]:
    """Every row of every table but the bot's own note of the groups it spoke in."""
    found = {}
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            if table.name != GroupNote.__tablename__:
                rows = (await session.execute(text(f"SELECT * FROM {table.name}"))).all()
                found[table.name] = sorted(map(repr, rows))
    return found


async def notes(sessionmaker) -> list[int]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(GroupNote.chat_id)))


def the_note(message) -> bool:
    return NOTE_FR in (message.text or "") and NOTE_NL in (message.text or "")


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
async def test_in_a_group_nothing_runs_and_the_note_is_said_once_even_after_a_restart(
    start_bot, sandbox, sessionmaker, chat_type
) -> None:
    await seed(sessionmaker)
    first = await start_bot()
    group = sandbox.create_group("Amis", is_forum=False, chat_type=chat_type)
    amelie = sandbox.user(AMELIE, "Amélie")
    stranger = sandbox.user(STRANGER, "Tom", language_code="nl")
    before = await everything(sessionmaker)

    await amelie.send_text("/start", chat_id=group)
    [note] = await amelie.replies_until(the_note, chat_id=group)
    assert note.text.index(NOTE_FR) < note.text.index(NOTE_NL)  # her language first
    [[button]] = note.buttons
    assert button.url == "https://t.me/enavant_sandbox_bot"
    assert button.text == f"{say('group-open-bot')} · {say('group-open-bot', 'nl')}"

    for command in PARTICIPANT_COMMANDS[1:]:
        await amelie.send_text(command, chat_id=group)
    await amelie.send_text("Bonjour, je cherche un travail", chat_id=group)
    await stranger.send_text("/start", chat_id=group)
    await stranger.send_text("Oui, ik wil alles wissen", chat_id=group)
    # A button of a message the bot sent in a group before (a menu), pressed now.
    query = await amelie.press_data("menu:jobs", message_id=note.message_id, chat_id=group)
    answer = await amelie.wait_callback_answer(query)
    assert NOTE_FR in answer.text and NOTE_NL in answer.text and answer.show_alert
    query = await amelie.press_data("privacy:delete", message_id=note.message_id, chat_id=group)
    assert NOTE_FR in (await amelie.wait_callback_answer(query)).text

    assert await amelie.replies(chat_id=group, timeout=2) == []
    assert await stranger.replies(chat_id=group, timeout=0.5) == []
    assert await amelie.messages() == [] and await stranger.messages() == []  # no private chat
    assert await everything(sessionmaker) == before  # no account, no data touched
    assert await notes(sessionmaker) == [group]

    await first.close()
    await start_bot()
    await stranger.send_text("/start", chat_id=group)
    assert await stranger.replies(chat_id=group, timeout=2) == []
    # In private, everything as always.
    await amelie.send_text("/menu")
    assert await amelie.replies_until(say("menu-title"))


@pytest.mark.parametrize("adder", [AMELIE, STRANGER])
async def test_a_participant_or_a_stranger_adding_the_bot_gets_the_note_and_the_bot_leaves(
    bot_app, sandbox, sessionmaker, adder
) -> None:
    await seed(sessionmaker)
    before = await everything(sessionmaker)
    group = sandbox.create_group("Famille", is_forum=False, chat_type="group", with_bot=False)
    stranger = sandbox.user(adder, "Tom", language_code="nl")
    await stranger.add_bot(group)
    shown = await stranger.replies_until(lambda m: m.service == "left_chat_member", chat_id=group)
    [note] = [m for m in shown if m.service is None]
    assert note.text.index(NOTE_NL) < note.text.index(NOTE_FR)  # the adder's language first
    assert sandbox.bot_status(group) == "left"
    assert await everything(sessionmaker) == before  # no account for a stranger either
    assert await notes(sessionmaker) == [group]

    # Added again: it leaves again, the note is not repeated.
    await stranger.add_bot(group, admin=True)
    shown = await stranger.replies_until(lambda m: m.service == "left_chat_member", chat_id=group)
    assert [m.service for m in shown] == ["left_chat_member"]
    assert sandbox.bot_status(group) == "left"


async def test_a_participant_adding_the_bot_to_a_channel_sees_it_leave(
    bot_app, sandbox, sessionmaker
) -> None:
    await seed(sessionmaker)
    channel = sandbox.create_group("Nouvelles", is_forum=False, chat_type="channel", with_bot=False)
    amelie = sandbox.user(AMELIE, "Amélie")
    await amelie.add_bot(channel)
    for _ in range(50):
        if sandbox.bot_status(channel) == "left":
            break
        await amelie.replies(chat_id=channel, timeout=0.1)
    assert sandbox.bot_status(channel) == "left"
    # Nothing posted to the channel's subscribers.
    assert await amelie.messages(chat_id=channel) == []


async def test_staff_adding_the_bot_keeps_it_silent_and_the_group_is_still_not_served(
    bot_app, sandbox, sessionmaker
) -> None:
    await seed(sessionmaker)
    group = sandbox.create_group("Nouveau bureau", with_bot=False)
    karim = sandbox.user(KARIM, "Karim")
    await karim.add_bot(group, admin=True)
    assert await karim.replies(chat_id=group, timeout=2) == []
    assert sandbox.bot_status(group) == "administrator"
    assert await notes(sessionmaker) == []

    amelie = sandbox.user(AMELIE, "Amélie")
    await amelie.send_text("/mydata", chat_id=group)
    assert [m.text for m in await amelie.replies_until(the_note, chat_id=group)] != []
    assert await amelie.messages() == []


async def test_in_the_desk_only_staff_are_handled(bot_app, sandbox, sessionmaker, desk) -> None:
    await seed(sessionmaker)
    karim = sandbox.user(KARIM, "Karim")
    await karim.send_text("/menu", chat_id=desk)  # staff: handled, as before
    [home] = await karim.replies_until("Karim", chat_id=desk)
    assert home.buttons

    amelie = sandbox.user(AMELIE, "Amélie")
    stranger = sandbox.user(STRANGER, "Tom")
    before = await everything(sessionmaker)
    for user in (amelie, stranger):
        await user.send_text("/start", chat_id=desk)
        await user.send_text("/mydata", chat_id=desk)
        await user.send_text("Bonjour", chat_id=desk)
        query = await user.press_data("menu:jobs", message_id=home.message_id, chat_id=desk)
        answer = await user.wait_callback_answer(query)
        assert answer.text == say("staff-only")
    assert await stranger.replies(chat_id=desk, timeout=2) == []
    assert await everything(sessionmaker) == before
    assert await notes(sessionmaker) == []  # the desk is not told it is a group


async def test_edits_channel_posts_and_inline_queries_get_nothing(
    bot_app, sandbox, sessionmaker
) -> None:
    """Whether or not the bot asks Telegram for these updates (a webhook may get them all),
    they get no answer and no failure."""
    await seed(sessionmaker)
    group = sandbox.create_group("Amis", is_forum=False)
    amelie = sandbox.user(AMELIE, "Amélie")
    said = await amelie.send_text("Bonjour", chat_id=group)
    assert await amelie.replies_until(the_note, chat_id=group)
    edited = await amelie.edit_text(said.message_id, "/mydata", chat_id=group)
    await amelie.inline_query("jobs", chat_type="supergroup")
    channel = sandbox.create_group("Nouvelles", is_forum=False, chat_type="channel")
    post = await amelie.send_text("/start", chat_id=channel)

    # The same updates handed to the bot directly, as a webhook receiving every kind would.
    def message(chat: dict, sent: UserClient | None, message_id: int, body: str) -> dict:
        found = {"message_id": message_id, "date": 1, "chat": chat, "text": body}
        found["entities"] = [{"type": "bot_command", "offset": 0, "length": len(body)}]
        if sent is None:
            found["sender_chat"] = chat
        else:
            found["from"] = {"id": sent.user_id, "is_bot": False, "first_name": "Amélie"}
            found["edit_date"] = 2
        return found

    group_chat = {"id": group, "type": "supergroup", "title": "Amis"}
    channel_chat = {"id": channel, "type": "channel", "title": "Nouvelles"}
    private = {"id": AMELIE, "type": "private", "first_name": "Amélie"}
    user = {"id": AMELIE, "is_bot": False, "first_name": "Amélie", "language_code": "fr"}
    updates = [
        {"edited_message": message(group_chat, amelie, edited.message_id, "/mydata")},
        {"channel_post": message(channel_chat, None, post.message_id, "/start")},
        {"edited_channel_post": {**message(channel_chat, None, post.message_id, "/menu")}},
        {"inline_query": {"id": "q1", "from": user, "query": "jobs", "offset": ""}},
        {"edited_message": message(private, amelie, 1, "/mydata")},
    ]
    before = await everything(sessionmaker)
    for number, body in enumerate(updates, start=10_000):
        update = Update.model_validate({"update_id": number, **body}, context={"bot": bot_app.bot})
        await bot_app.dispatcher.feed_update(bot_app.bot, update)
    assert await amelie.replies(chat_id=group, timeout=1) == []
    assert await amelie.messages(chat_id=channel) == []
    assert await amelie.messages() == []
    assert await everything(sessionmaker) == before


async def test_a_note_telegram_failed_to_take_is_said_at_the_next_message(
    bot_app, sandbox, sessionmaker
) -> None:
    group = sandbox.create_group("Amis", is_forum=False, chat_type="group")
    amelie = sandbox.user(AMELIE, "Amélie")
    sandbox.inject_failure("sendMessage", status=400, count=1)
    await amelie.send_text("/start", chat_id=group)
    assert await amelie.replies(chat_id=group, timeout=2) == []
    assert await notes(sessionmaker) == []
    await amelie.send_text("/start", chat_id=group)
    assert await amelie.replies_until(the_note, chat_id=group)
    assert await notes(sessionmaker) == [group]
