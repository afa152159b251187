"""getUpdates long polling, button presses, blocking, and what users can send."""

import asyncio
import time

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError, TelegramForbiddenError
from aiogram.filters import CommandStart
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.sandbox import SandboxError, SandboxServer

USER = 1001


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=f"lang:{t}") for t in labels]]
    )


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(sandbox_bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await sandbox.user(USER, "Amélie", language_code="fr").send_text("/start ref_abc")
    [update] = await poll
    assert time.monotonic() - started < 2

    message = update.message
    assert message is not None and message.text == "/start ref_abc"
    assert message.from_user is not None and message.from_user.language_code == "fr"
    assert message.chat.type == "private"
    [entity] = message.entities or []
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)

    # The offset confirms earlier updates; nothing is left.
    assert await sandbox_bot.get_updates(offset=update.update_id + 1, timeout=0) == []
    assert sandbox.pending_updates() == []


async def test_updates_stay_until_confirmed(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER)
    await user.send_text("one")
    await user.send_text("two")
    first = await sandbox_bot.get_updates(timeout=0)
    again = await sandbox_bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [u.update_id for u in again]
    assert [u.update_id for u in await sandbox_bot.get_updates(limit=1)] == [first[0].update_id]
    rest = await sandbox_bot.get_updates(offset=first[0].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["two"]


async def test_long_poll_times_out_empty(sandbox_bot: Bot) -> None:
    started = time.monotonic()
    assert await sandbox_bot.get_updates(timeout=1) == []
    assert 0.9 < time.monotonic() - started < 2


async def test_a_second_poller_ends_the_first_with_conflict(sandbox_bot: Bot) -> None:
    first = asyncio.create_task(sandbox_bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(sandbox_bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await first
    assert await second == []


async def test_press_reaches_get_updates_and_answer_reaches_user(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    old = await sandbox_bot.send_message(USER, "Langue ?", reply_markup=keyboard("Français"))
    await sandbox_bot.send_message(USER, "Other", reply_markup=keyboard("Nederlands"))
    updates = await sandbox_bot.get_updates()
    offset = updates[-1].update_id + 1

    query_id = await user.press("Français")
    [update] = await sandbox_bot.get_updates(offset=offset)
    query = update.callback_query
    assert query is not None and query.id == query_id
    assert query.data == "lang:Français"
    assert query.message is not None and query.message.message_id == old.message_id
    assert query.from_user.id == USER

    assert await sandbox_bot.answer_callback_query(query.id, text="Merci", show_alert=True)
    answer = await user.wait_callback_answer(query_id, timeout=1)
    assert (answer.text, answer.show_alert) == ("Merci", True)
    assert [a.text for a in await user.fetch_callback_answers()] == ["Merci"]
    assert user.callback_answers == ["Merci"]
    # A query is answered once only.
    with pytest.raises(Exception, match="query is too old"):
        await sandbox_bot.answer_callback_query(query.id)


async def test_press_by_callback_data_on_a_given_message(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    first = await sandbox_bot.send_message(USER, "1", reply_markup=keyboard("A"))
    await sandbox_bot.send_message(USER, "2", reply_markup=keyboard("A"))
    await user.press(callback_data="lang:A", message_id=first.message_id)
    updates = await sandbox_bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None and query.message is not None
    assert query.message.message_id == first.message_id


async def test_press_without_such_button_is_a_clear_error(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    await sandbox_bot.send_message(USER, "Langue ?", reply_markup=keyboard("FR", "NL"))
    with pytest.raises(SandboxError, match=r"no inline button text='DE'.*\[\['FR', 'NL'\]\]"):
        await user.press("DE", wait=0)


async def test_expired_callback_query(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    sandbox.state.callback_query_ttl = 0.05
    user = sandbox.user(USER)
    await user.send_text("/start")
    await sandbox_bot.send_message(USER, "?", reply_markup=keyboard("A"))
    query_id = await user.press("A")
    await asyncio.sleep(0.1)
    with pytest.raises(Exception, match="query is too old"):
        await sandbox_bot.answer_callback_query(query_id)


async def test_block_gives_403_and_my_chat_member_updates(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    await user.block()
    assert sandbox.is_blocked(USER)
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await sandbox_bot.send_message(USER, "hello?")
    with pytest.raises(TelegramForbiddenError):
        await sandbox_bot.send_chat_action(USER, "typing")
    with pytest.raises(SandboxError, match="blocked the bot"):
        await user.send_text("hi")

    await user.unblock()
    await sandbox_bot.send_message(USER, "welcome back")
    updates = await sandbox_bot.get_updates()
    changes = [u.my_chat_member for u in updates if u.my_chat_member]
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert changes[0].chat.id == USER and changes[0].from_user.id == USER


async def test_allowed_updates_filter(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER)
    assert await sandbox_bot.get_updates(allowed_updates=["message"]) == []
    await user.send_text("/start")
    await user.block()
    updates = await sandbox_bot.get_updates()
    assert [u.event_type for u in updates] == ["message"]


async def test_what_users_can_send(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER, "Amélie")
    await user.send_location(50.83, 3.27)
    await user.send_contact("+33600000000", "Amélie")
    await user.send_sticker()
    await user.send_photo(b"\xff\xd8jpeg", caption="photo")
    await user.send_voice()
    messages = [u.message for u in await sandbox_bot.get_updates() if u.message]
    location, contact, sticker, photo, voice = messages
    assert location.location is not None and location.location.latitude == 50.83
    assert contact.contact is not None and contact.contact.user_id == USER
    assert sticker.sticker is not None and sticker.sticker.emoji == "👍"
    assert photo.photo and photo.caption == "photo"
    assert voice.voice is not None and voice.voice.duration == 1


async def test_replies_wait_then_settle(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")

    async def answer_later() -> None:
        await asyncio.sleep(0.1)
        await sandbox_bot.send_message(USER, "one")
        await asyncio.sleep(0.05)
        await sandbox_bot.send_message(USER, "two")

    task = asyncio.create_task(answer_later())
    replies = await user.replies(timeout=2, settle=0.2)
    await task
    assert [m.text for m in replies] == ["one", "two"]
    assert await user.replies(timeout=0.1) == []


async def test_dispatcher_polling_end_to_end(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Bienvenue", reply_markup=keyboard("FR", "NL"))

    @dp.callback_query()
    async def chosen(query: CallbackQuery) -> None:
        await query.answer("OK")
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"Choisi : {query.data}")

    polling = asyncio.create_task(
        dp.start_polling(sandbox_bot, polling_timeout=1, handle_signals=False)
    )
    try:
        user = sandbox.user(USER)
        await user.send_text("/start")
        [welcome] = await user.replies(timeout=3, settle=0.05)
        assert welcome.text == "Bienvenue" and welcome.button_texts() == ["FR", "NL"]
        query_id = await user.press("NL")
        [edit] = await user.replies(timeout=3, settle=0.05)
        assert edit.edited and edit.text == "Choisi : lang:NL"
        assert (await user.wait_callback_answer(query_id, timeout=1)).text == "OK"
    finally:
        await dp.stop_polling()
        await polling


async def test_answer_alone_ends_replies_and_is_recorded(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    await sandbox_bot.send_message(USER, "Menu", reply_markup=keyboard("A"))
    [*_, last] = await sandbox_bot.get_updates()
    query_id = await user.press("A")

    async def answer_soon() -> None:
        await asyncio.sleep(0.05)
        [update] = await sandbox_bot.get_updates(offset=last.update_id + 1)
        assert update.callback_query is not None and update.callback_query.id == query_id
        await sandbox_bot.answer_callback_query(query_id, text="Ce bouton n'est plus actif")

    task = asyncio.create_task(answer_soon())
    started = time.monotonic()
    # a toast is not a message
    assert await user.replies(timeout=3, settle=0.05, answer_settle=0.05) == []
    await task
    assert time.monotonic() - started < 1
    assert user.callback_answers == ["Ce bouton n'est plus actif"]


async def test_after_an_answer_alone_replies_waits_for_the_message_it_leads_to(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    await sandbox_bot.send_message(USER, "Menu", reply_markup=keyboard("A"))
    [*_, last] = await sandbox_bot.get_updates()
    query_id = await user.press("A")

    async def answer_then_work() -> None:
        await sandbox_bot.get_updates(offset=last.update_id + 1)
        await sandbox_bot.answer_callback_query(query_id)
        await asyncio.sleep(0.6)  # longer than `settle`, shorter than `answer_settle`
        await sandbox_bot.send_message(USER, "Done")

    task = asyncio.create_task(answer_then_work())
    got = await user.replies(timeout=3)
    await task
    assert [m.text for m in got] == ["Done"]


async def test_a_bot_that_reports_it_is_still_working_is_waited_for_past_the_settle(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    """A handler slowed down by a busy machine: answer, then seconds of work, then the message.
    `replies` ends on the message, not on the quiet after the answer (CI lost a press's
    message to that twice). Without the bot's report it ends after `answer_settle`."""
    handling = False
    sandbox.state.bot_handling = lambda: handling
    user = sandbox.user(USER)
    await user.send_text("/start")
    await sandbox_bot.send_message(USER, "Menu", reply_markup=keyboard("A", "B"))
    [*_, last] = await sandbox_bot.get_updates()

    async def answer_then_work_slowly(offset: int) -> None:
        nonlocal handling
        [update] = await sandbox_bot.get_updates(offset=offset)
        handling = True
        await sandbox_bot.get_updates(offset=update.update_id + 1, timeout=0)  # taken
        await sandbox_bot.answer_callback_query(update.callback_query.id)
        await asyncio.sleep(1.5)  # longer than `answer_settle`
        await sandbox_bot.send_message(USER, "Done")
        handling = False

    await user.press("A")
    task = asyncio.create_task(answer_then_work_slowly(last.update_id + 1))
    started = asyncio.get_running_loop().time()
    got = await user.replies(timeout=5)
    await task
    assert [m.text for m in got] == ["Done"]
    assert asyncio.get_running_loop().time() - started < 3  # not the whole timeout

    sandbox.state.bot_handling = None  # a bot that says nothing: the answer's settle only
    await user.press("B")
    task = asyncio.create_task(answer_then_work_slowly(last.update_id + 2))
    assert await user.replies(timeout=5) == []
    await task


async def test_press_data_forges_a_press_of_an_outdated_button(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/menu")
    menu = await sandbox_bot.send_message(USER, "Menu", reply_markup=keyboard("A"))
    await sandbox_bot.send_message(USER, "later, no buttons")
    await user.press_data("menu:vanished", message_id=menu.message_id)
    updates = await sandbox_bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None and query.data == "menu:vanished"
    assert query.message is not None and query.message.message_id == menu.message_id
    last_with_buttons = await user.last_message_with_buttons()
    assert last_with_buttons is not None and last_with_buttons.message_id == menu.message_id


async def test_a_press_on_a_message_out_of_the_bots_reach_comes_as_inaccessible(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    old = await sandbox_bot.send_message(USER, "Langue ?", reply_markup=keyboard("FR"))
    await user.press("FR", inaccessible=True)
    query = (await sandbox_bot.get_updates())[-1].callback_query
    assert isinstance(query.message, InaccessibleMessage)
    assert (query.message.chat.id, query.message.message_id) == (USER, old.message_id)
    assert query.data == "lang:FR"
    assert await sandbox_bot.answer_callback_query(query.id, text="?")

    # Deleted since, but still shown on another device: only inaccessible there.
    await sandbox_bot.delete_message(USER, old.message_id)
    with pytest.raises(SandboxError, match="no bot message"):
        await user.press_data("lang:FR", message_id=old.message_id)
    await user.press_data("lang:FR", message_id=old.message_id, inaccessible=True)
    query = (await sandbox_bot.get_updates(offset=-1))[-1].callback_query
    assert isinstance(query.message, InaccessibleMessage)


async def test_a_press_on_an_inline_message_has_no_message(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("/start")
    await user.press_inline("lang:FR")
    query = (await sandbox_bot.get_updates())[-1].callback_query
    assert query.message is None and query.inline_message_id
    assert query.from_user.id == USER and query.data == "lang:FR"
    assert await sandbox_bot.answer_callback_query(query.id, text="Ce bouton n'est plus actif")
    await user.replies(timeout=1, settle=0.05)
    assert user.callback_answers[-1] == "Ce bouton n'est plus actif"
