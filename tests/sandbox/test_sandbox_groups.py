"""Groups and channels as Telegram has them: the bot is added (my_chat_member), leaves
(leaveChat), gets nothing from a chat it is not in, channel posts, edits and inline queries."""

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import ChatMemberAdministrator, ChatMemberLeft, ChatMemberMember

from bot.sandbox import SandboxError, SandboxServer

USER = 1001


async def test_a_user_adds_the_bot_to_a_group_and_the_bot_leaves(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    group = sandbox.create_group("Friends", is_forum=False, chat_type="group", with_bot=False)
    assert -1_000_000_000_000 < group < 0  # a basic group's id is not a -100... one
    user = sandbox.user(USER, "Amélie")
    await user.send_text("hello", chat_id=group)
    assert await sandbox_bot.get_updates(timeout=0) == []  # the bot is not in it
    with pytest.raises(TelegramForbiddenError, match="bot is not a member of the group chat"):
        await sandbox_bot.send_message(group, "x")

    await user.add_bot(group)
    added, joined = await sandbox_bot.get_updates(timeout=0)
    change = added.my_chat_member
    assert change is not None and change.chat.type == "group" and change.from_user.id == USER
    assert isinstance(change.old_chat_member, ChatMemberLeft)
    assert isinstance(change.new_chat_member, ChatMemberMember)
    assert change.new_chat_member.user.id == sandbox.bot_id
    assert [m.id for m in joined.message.new_chat_members] == [sandbox.bot_id]
    assert sandbox.bot_status(group) == "member"
    await sandbox_bot.send_message(group, "Bonjour")

    assert await sandbox_bot.leave_chat(group) is True
    offset = joined.update_id + 1
    [left] = await sandbox_bot.get_updates(offset=offset, timeout=0)
    assert left.my_chat_member.from_user.id == sandbox.bot_id
    assert isinstance(left.my_chat_member.new_chat_member, ChatMemberLeft)
    shown = await user.messages(chat_id=group)
    assert [(m.text, m.service) for m in shown] == [("Bonjour", None), (None, "left_chat_member")]
    assert sandbox.bot_status(group) == "left"

    await user.send_text("/start", chat_id=group)
    assert await sandbox_bot.get_updates(offset=left.update_id + 1, timeout=0) == []
    with pytest.raises(TelegramForbiddenError, match="bot is not a member of the group chat"):
        await sandbox_bot.send_message(group, "x")
    with pytest.raises(TelegramForbiddenError, match="bot is not a member"):
        await sandbox_bot.leave_chat(group)


async def test_an_administrator_and_errors_of_leaving(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    group = sandbox.create_group("Desk", with_bot=False)
    user = sandbox.user(USER)
    await user.add_bot(group, admin=True)
    [added, _] = await sandbox_bot.get_updates(timeout=0)
    member = added.my_chat_member.new_chat_member
    assert isinstance(member, ChatMemberAdministrator) and member.can_manage_topics
    with pytest.raises(SandboxError, match="already administrator"):
        await user.add_bot(group, admin=True)
    await user.remove_bot(group)
    assert sandbox.bot_status(group) == "left"

    await user.send_text("/start")  # a private chat exists
    with pytest.raises(TelegramBadRequest, match="can't be changed in private chats"):
        await sandbox_bot.leave_chat(USER)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await sandbox_bot.leave_chat(-123)
    with pytest.raises(SandboxError, match="one of"):
        await user.create_group("x", is_forum=False, chat_type="secret")
    with pytest.raises(SandboxError, match="only a supergroup"):
        await user.create_group("x", is_forum=True, chat_type="group")


async def test_channel_posts_are_signed_by_the_channel(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    channel = await sandbox.user(USER).create_group(
        "News", is_forum=False, chat_type="channel", with_bot=False
    )
    admin = sandbox.user(USER)
    await admin.add_bot(channel)  # a bot is always an administrator of a channel
    [added] = await sandbox_bot.get_updates(timeout=0)  # no service message in a channel
    assert added.my_chat_member.chat.type == "channel"
    post = await admin.send_text("/start", chat_id=channel)
    [update] = await sandbox_bot.get_updates(offset=added.update_id + 1, timeout=0)
    assert update.channel_post is not None and update.message is None
    assert update.channel_post.from_user is None
    assert update.channel_post.sender_chat.id == channel

    await admin.edit_text(post.message_id, "/start again", chat_id=channel)
    [edited] = await sandbox_bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert edited.edited_channel_post.text == "/start again"


async def test_edits_and_inline_queries(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    group = sandbox.create_group("Plain", is_forum=False)
    user = sandbox.user(USER, "Amélie")
    sent = await user.send_text("hello", chat_id=group)
    await user.edit_text(sent.message_id, "/mydata", chat_id=group)
    _, edited = await sandbox_bot.get_updates(timeout=0)
    assert edited.edited_message.text == "/mydata"
    assert edited.edited_message.edit_date is not None
    assert edited.edited_message.entities[0].type == "bot_command"
    with pytest.raises(SandboxError, match="no text message"):
        await sandbox.user(USER + 1).edit_text(sent.message_id, "x", chat_id=group)

    query_id = await user.inline_query("jobs", chat_type="supergroup")
    [inline] = await sandbox_bot.get_updates(offset=edited.update_id + 1, timeout=0)
    assert inline.inline_query.id == query_id
    assert (inline.inline_query.query, inline.inline_query.chat_type) == ("jobs", "supergroup")
