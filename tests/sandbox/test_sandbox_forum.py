"""Staff forum topics, copies between chats, and the command menu."""

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
)

from bot.sandbox import SandboxServer

PARTICIPANT = 1001
CET = 2002


async def test_topic_relay_both_ways(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    group = sandbox.create_group("CET desk", is_forum=True)
    assert group < -1_000_000_000_000
    participant = sandbox.user(PARTICIPANT, "Amélie")
    cet = sandbox.user(CET, "Joke", language_code="nl")

    topic = await sandbox_bot.create_forum_topic(group, "Amélie · LRT")
    assert topic.name == "Amélie · LRT" and topic.message_thread_id > 0

    question = await participant.send_text("J'ai une question")
    copied = await sandbox_bot.copy_message(
        group, PARTICIPANT, question.message_id, message_thread_id=topic.message_thread_id
    )
    shown = await cet.messages(chat_id=group, thread_id=topic.message_thread_id)
    assert [m.service for m in shown] == ["forum_topic_created", None]
    in_topic = shown[1]
    assert in_topic.message_id == copied.message_id
    assert in_topic.text == "J'ai une question"
    assert in_topic.thread_id == topic.message_thread_id

    await sandbox_bot.get_updates()  # drop the participant's update
    await cet.send_text("Bonjour Amélie", chat_id=group, thread_id=topic.message_thread_id)
    [update] = await sandbox_bot.get_updates(offset=-1)
    staff_reply = update.message
    assert staff_reply is not None
    assert staff_reply.chat.id == group and staff_reply.chat.is_forum
    assert staff_reply.message_thread_id == topic.message_thread_id
    assert staff_reply.is_topic_message
    # Telegram's quirk: a message in a topic "replies" to the topic's creation message.
    assert staff_reply.reply_to_message is not None
    assert staff_reply.reply_to_message.forum_topic_created is not None

    await sandbox_bot.copy_message(PARTICIPANT, group, staff_reply.message_id)
    [relayed] = await participant.replies(timeout=2, settle=0.05)
    assert relayed.text == "Bonjour Amélie" and relayed.from_bot


async def test_a_copy_or_forward_says_what_it_came_from(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    """What Telegram does not show, the sandbox notes: which person's message a bot passed on
    (a relay counts as the bot's answer to it)."""
    participant, cet = sandbox.user(PARTICIPANT, "Amélie"), sandbox.user(CET, "Joke")
    await cet.send_text("/start")
    question = await participant.send_text("J'ai une question")

    await sandbox_bot.copy_message(CET, PARTICIPANT, question.message_id)
    await sandbox_bot.forward_message(CET, PARTICIPANT, question.message_id)
    await sandbox_bot.send_message(CET, "J'ai une question")
    copied, forwarded, written = await cet.messages()
    assert copied.copied_from == forwarded.copied_from == (PARTICIPANT, question.message_id)
    assert written.copied_from is None


async def test_copy_keeps_media_and_can_replace_caption(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    group = sandbox.create_group("CET desk")
    topic = await sandbox_bot.create_forum_topic(group, "T")
    sent = await sandbox.user(PARTICIPANT).send_document(b"%PDF cv", "cv.pdf", caption="CV")
    await sandbox_bot.copy_message(
        group,
        PARTICIPANT,
        sent.message_id,
        message_thread_id=topic.message_thread_id,
        caption="<b>CV</b> d'Amélie",
    )
    [copy] = sandbox.chat_messages(group, thread_id=topic.message_thread_id)[1:]
    assert copy.media is not None and copy.media.content == b"%PDF cv"
    assert copy.caption == "CV d'Amélie"


async def test_forum_errors(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    plain = sandbox.create_group("Plain", is_forum=False)
    forum = sandbox.create_group("Forum")
    with pytest.raises(TelegramBadRequest, match="Bad Request: the chat is not a forum"):
        await sandbox_bot.create_forum_topic(plain, "x")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message thread not found"):
        await sandbox_bot.send_message(forum, "x", message_thread_id=12345)
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await sandbox_bot.copy_message(forum, forum, 999)
    topic = await sandbox_bot.create_forum_topic(forum, "T")
    with pytest.raises(TelegramBadRequest, match="message can't be copied"):
        await sandbox_bot.copy_message(forum, forum, topic.message_thread_id)
    assert await sandbox_bot.close_forum_topic(forum, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await sandbox_bot.close_forum_topic(forum, topic.message_thread_id)
    assert await sandbox_bot.reopen_forum_topic(forum, topic.message_thread_id)
    chat = await sandbox_bot.get_chat(forum)
    assert chat.is_forum and chat.title == "Forum"


async def test_forward_message(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    group = sandbox.create_group("Desk", is_forum=False)
    sent = await sandbox.user(PARTICIPANT, "Amélie").send_text("hello")
    forwarded = await sandbox_bot.forward_message(group, PARTICIPANT, sent.message_id)
    assert forwarded.text == "hello"
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"


async def test_commands_per_scope_and_language(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    base = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="menu", description="Menu"),
    ]
    french = [BotCommand(command="menu", description="Le menu")]
    staff = [BotCommand(command="desk", description="Tickets")]
    await sandbox_bot.set_my_commands(base)
    await sandbox_bot.set_my_commands(
        french, scope=BotCommandScopeAllPrivateChats(), language_code="fr"
    )
    await sandbox_bot.set_my_commands(staff, scope=BotCommandScopeChat(chat_id=CET))

    assert [c.command for c in await sandbox_bot.get_my_commands()] == ["start", "menu"]
    fr = await sandbox_bot.get_my_commands(
        scope=BotCommandScopeAllPrivateChats(), language_code="fr"
    )
    assert [c.description for c in fr] == ["Le menu"]
    assert sandbox.registered_commands("all_private_chats", "fr") == [
        {"command": "menu", "description": "Le menu"}
    ]

    # What each user sees, resolved like Telegram: chat scope, then private chats, then default.
    assert [c.description for c in await sandbox.user(1, language_code="fr").commands()] == [
        "Le menu"
    ]
    assert [c.command for c in await sandbox.user(2, language_code="nl").commands()] == [
        "start",
        "menu",
    ]
    assert [c.command for c in await sandbox.user(CET, language_code="fr").commands()] == ["desk"]

    await sandbox_bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=CET))
    assert [c.command for c in await sandbox.user(CET, language_code="nl").commands()] == [
        "start",
        "menu",
    ]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await sandbox_bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])


async def test_user_media_in_topic(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    group = sandbox.create_group("Desk")
    topic = await sandbox_bot.create_forum_topic(group, "T")
    cet = sandbox.user(CET)
    await cet.send_document(b"notes", "notes.txt", chat_id=group, thread_id=topic.message_thread_id)
    [update] = await sandbox_bot.get_updates()
    assert update.message is not None and update.message.document is not None
    assert update.message.message_thread_id == topic.message_thread_id
    photo = await sandbox_bot.send_photo(
        group, BufferedInputFile(b"img", "a.png"), message_thread_id=topic.message_thread_id
    )
    assert photo.message_thread_id == topic.message_thread_id


async def test_deleting_a_topic_deletes_its_messages(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    group = sandbox.create_group("CET desk", is_forum=True)
    cet = sandbox.user(CET, "Joke")
    kept = await sandbox_bot.create_forum_topic(group, "Other")
    topic = await sandbox_bot.create_forum_topic(group, "Amélie · LRT")
    await sandbox_bot.send_message(group, "card", message_thread_id=topic.message_thread_id)
    await sandbox_bot.send_message(group, "other", message_thread_id=kept.message_thread_id)

    assert await sandbox_bot.delete_forum_topic(group, topic.message_thread_id)

    assert await cet.messages(chat_id=group, thread_id=topic.message_thread_id) == []
    assert [m.text for m in await cet.messages(chat_id=group, thread_id=kept.message_thread_id)][
        -1
    ] == "other"
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await sandbox_bot.send_message(group, "late", message_thread_id=topic.message_thread_id)
