"""Sending, editing and deleting through the real aiogram Bot, and what the user sees."""

import asyncio

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
)
from aiogram.types import KeyboardButton as ReplyButton

from bot.sandbox import SandboxServer

USER = 1001


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=f"lang:{t}") for t in labels]]
    )


async def test_get_me_describes_the_bot(sandbox_bot: Bot) -> None:
    me = await sandbox_bot.get_me()
    assert me.is_bot
    assert me.id == 123456
    assert me.username == "enavant_sandbox_bot"


async def test_unknown_token_is_unauthorized(sandbox: SandboxServer) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(sandbox.url))
    bot = Bot("999:WRONG", session=session)
    http = await session.create_session()
    with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
        await bot.get_me()
    await http.close()


async def test_unknown_method_is_not_found(sandbox: SandboxServer) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sandbox.url}/bot123456:TEST/sendTelepathy") as response,
    ):
        body = await response.json()
    assert response.status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_method_names_are_case_insensitive_and_json_bodies_work(
    sandbox: SandboxServer,
) -> None:
    user = sandbox.user(USER, "Amélie")
    await user.send_text("hi")
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{sandbox.url}/bot123456:TEST/SENDMESSAGE", json={"chat_id": USER, "text": "json"}
        ) as response,
    ):
        body = await response.json()
    assert body["ok"] and body["result"]["text"] == "json"


async def test_send_edit_delete_round_trip(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER, "Amélie", language_code="fr")
    await user.send_text("/start")

    sent = await sandbox_bot.send_message(
        USER, "<b>Bonjour</b> Amélie &amp; co", reply_markup=keyboard("FR", "NL")
    )
    assert sent.text == "Bonjour Amélie & co"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.reply_markup is not None

    [shown] = await user.replies(timeout=2, settle=0.05)
    assert shown.text == "Bonjour Amélie & co"
    assert shown.button_texts() == ["FR", "NL"]
    assert shown.callback_data() == ["lang:FR", "lang:NL"]

    edited = await sandbox_bot.edit_message_text(
        "Choisissez", chat_id=USER, message_id=sent.message_id
    )
    assert isinstance(edited, type(sent)) and edited.edit_date is not None
    [after_edit] = await user.replies(timeout=2, settle=0.05)
    assert after_edit.edited and after_edit.text == "Choisissez"
    # Without reply_markup an edit removes the inline keyboard, as on Telegram.
    assert after_edit.buttons == []

    assert await sandbox_bot.delete_message(USER, sent.message_id)
    [deleted] = await user.replies(timeout=2, settle=0.05)
    assert deleted.deleted
    assert await user.messages() == []
    assert len(sandbox.chat_messages(USER, include_deleted=True)) == 2  # /start + deleted one


async def test_message_ids_grow_per_chat(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await sandbox.user(1, "A").send_text("a")
    await sandbox.user(2, "B").send_text("b")
    first = await sandbox_bot.send_message(1, "x")
    second = await sandbox_bot.send_message(1, "y")
    other = await sandbox_bot.send_message(2, "z")
    assert (first.message_id, second.message_id, other.message_id) == (2, 3, 2)


async def test_edit_reply_markup_and_not_modified(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await sandbox.user(USER).send_text("hi")
    sent = await sandbox_bot.send_message(USER, "Choose", reply_markup=keyboard("A"))
    await sandbox_bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("B")
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new"):
        await sandbox_bot.edit_message_reply_markup(
            chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("B")
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await sandbox_bot.edit_message_text(
            "Choose", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("B")
        )
    [message] = sandbox.chat_messages(USER)[1:]
    assert len(message.history) == 1


async def test_edit_and_delete_unknown_messages(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user_message = await sandbox.user(USER).send_text("hi")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to edit not found"):
        await sandbox_bot.edit_message_text("x", chat_id=USER, message_id=99)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to delete not found"):
        await sandbox_bot.delete_message(USER, 99)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await sandbox_bot.edit_message_text("x", chat_id=USER, message_id=user_message.message_id)


async def test_unknown_chat(sandbox_bot: Bot) -> None:
    with pytest.raises(
        TelegramBadRequest, match=r"^Telegram server says - Bad Request: chat not found$"
    ):
        await sandbox_bot.send_message(424242, "hello")


async def test_reply_keyboard_is_visible_to_the_user(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER)
    await user.send_text("hi")
    markup = ReplyKeyboardMarkup(
        keyboard=[[ReplyButton(text="📍 Share location", request_location=True)]],
        resize_keyboard=True,
    )
    await sandbox_bot.send_message(USER, "Where do you live?", reply_markup=markup)
    last = await user.last_message()
    assert last is not None and last.keyboard == [["📍 Share location"]]


async def test_document_round_trip(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER)
    await user.send_text("/cv")
    payload = "BEGIN:VCALENDAR\nSUMMARY:Présentation\nEND:VCALENDAR\n".encode()
    sent = await sandbox_bot.send_document(
        USER,
        BufferedInputFile(payload, filename="session.ics"),
        caption="<i>Votre invitation</i>",
    )
    assert sent.document is not None and sent.document.file_name == "session.ics"
    assert sent.caption == "Votre invitation"

    [shown] = await user.replies(timeout=2, settle=0.05)
    assert shown.document is not None
    assert shown.document.content == payload
    assert shown.document.filename == "session.ics"
    assert shown.document.mime_type == "text/calendar"
    assert shown.document.caption == "Votre invitation"

    # Re-sending by file_id reuses the stored file, as Telegram does.
    again = await sandbox_bot.send_document(USER, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await sandbox_bot.send_document(USER, "no-such-file-id")


async def test_photo_round_trip(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    user = sandbox.user(USER)
    await user.send_text("/report")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    sent = await sandbox_bot.send_photo(USER, BufferedInputFile(png, filename="chart.png"))
    assert sent.photo and sent.photo[-1].file_size == len(png)
    [shown] = await user.replies(timeout=2, settle=0.05)
    assert shown.photo is not None and shown.photo.content == png


async def test_chat_action(sandbox: SandboxServer, sandbox_bot: Bot) -> None:
    await sandbox.user(USER).send_text("hi")
    assert await sandbox_bot.send_chat_action(USER, "typing")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await sandbox_bot.send_chat_action(USER, "dancing")


async def test_user_document_can_be_downloaded_by_the_bot(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    await sandbox.user(USER).send_document(b"%PDF-1.4 cv", "cv.pdf", caption="mon CV")
    [update] = await sandbox_bot.get_updates(timeout=0)
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "cv.pdf"
    assert update.message.document.mime_type == "application/pdf"
    assert update.message.caption == "mon CV"
    downloaded = await sandbox_bot.download(update.message.document.file_id)
    assert downloaded is not None and downloaded.read() == b"%PDF-1.4 cv"


async def test_replies_until_reads_on_until_the_awaited_message_comes(
    sandbox: SandboxServer, sandbox_bot: Bot
) -> None:
    user = sandbox.user(USER, "Amélie")
    await user.send_text("/start")

    async def answer_late() -> None:
        await sandbox_bot.send_message(USER, "first")
        await asyncio.sleep(0.8)  # longer than `replies` settles
        await sandbox_bot.send_message(USER, "second")

    task = asyncio.create_task(answer_late())
    got = await user.replies_until("second", timeout=5)
    await task
    assert [m.text for m in got] == ["first", "second"]
    assert await user.replies_until("never", timeout=0.5) == []
