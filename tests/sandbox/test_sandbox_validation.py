"""Telegram's 400 rules, checked through the real aiogram Bot."""

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import SandboxServer

USER = 1001


@pytest.fixture
async def chat(sandbox: SandboxServer) -> int:
    await sandbox.user(USER).send_text("/start")
    return USER


def buttons(count: int, data: str = "x") -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text=str(i), callback_data=data)] for i in range(count)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>", "<b> </b>"])
async def test_empty_text(sandbox_bot: Bot, chat: int, text: str) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await sandbox_bot.send_message(chat, text)


async def test_length_is_measured_after_entity_parsing(sandbox_bot: Bot, chat: int) -> None:
    await sandbox_bot.send_message(chat, "é" * 4096)
    await sandbox_bot.send_message(chat, "<b>" + "a" * 4090 + "</b>&lt;&gt;&amp;&quot;")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await sandbox_bot.send_message(chat, "a" * 4097)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await sandbox_bot.send_message(chat, "<i>" + "a" * 4097 + "</i>")


async def test_caption_length(sandbox_bot: Bot, chat: int) -> None:
    pdf = BufferedInputFile(b"%PDF", filename="a.pdf")
    await sandbox_bot.send_document(chat, pdf, caption="<b>" + "c" * 1024 + "</b>")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await sandbox_bot.send_document(chat, pdf, caption="c" * 1025)


@pytest.mark.parametrize(
    ("data", "ok"),
    [("a" * 64, True), ("é" * 32, True), ("a" * 65, False), ("é" * 33, False), ("", False)],
)
async def test_callback_data_is_1_to_64_bytes(
    sandbox_bot: Bot, chat: int, data: str, ok: bool
) -> None:
    markup = buttons(1, data)
    if ok:
        await sandbox_bot.send_message(chat, "ok", reply_markup=markup)
    else:
        with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
            await sandbox_bot.send_message(chat, "ko", reply_markup=markup)


async def test_at_most_100_inline_buttons(sandbox_bot: Bot, chat: int) -> None:
    await sandbox_bot.send_message(chat, "ok", reply_markup=buttons(100))
    with pytest.raises(TelegramBadRequest, match="Bad Request: reply markup is too long"):
        await sandbox_bot.send_message(chat, "ko", reply_markup=buttons(101))


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("{not json", "can't parse reply keyboard markup JSON object"),
        ('{"inline_keyboard": [{"text": "a"}]}', "must be an Array of Arrays"),
        ('{"inline_keyboard": [[{"text": "a"}]]}', "Text buttons are unallowed"),
        ('{"inline_keyboard": [[{"text": "a", "url": "not a url"}]]}', "BUTTON_URL_INVALID"),
        ('{"something": true}', "can't parse reply keyboard markup JSON object"),
    ],
)
async def test_malformed_reply_markup(
    sandbox: SandboxServer, chat: int, markup: str, error: str
) -> None:
    form = {"chat_id": str(chat), "text": "x", "reply_markup": markup}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sandbox.url}/bot123456:TEST/sendMessage", data=form) as response,
    ):
        body = await response.json()
    assert response.status == 400
    assert body["description"].startswith("Bad Request: ")
    assert error in body["description"]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("Hello world <foo>", 'Unsupported start tag "foo" at byte offset 12'),
        ("3 < 4", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold <i>both</b></i>", 'Unmatched end tag at byte offset 15, expected "</i>"'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("stray </b>", "Unexpected end tag at byte offset 6"),
        ("é <p>", 'Unsupported start tag "p" at byte offset 3'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_html_errors_use_telegram_wording(
    sandbox_bot: Bot, chat: int, html: str, error: str
) -> None:
    with pytest.raises(TelegramBadRequest) as caught:
        await sandbox_bot.send_message(chat, html)
    assert caught.value.message.startswith("Bad Request: can't parse entities: ")
    assert error in caught.value.message


async def test_html_allowed_tags(sandbox_bot: Bot, chat: int) -> None:
    html = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike>"
        '<del>d</del><span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler>'
        '<a href="https://example.org/?a=1&amp;b=2">l</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>x</blockquote>&#233;&#x1F600;&nbsp;"
    )
    sent = await sandbox_bot.send_message(chat, html)
    assert sent.text == "bsieunskdpqlcx = 1qxé😀&nbsp;"
    types = [entity.type for entity in sent.entities or []]
    assert types.count("bold") == 2 and "expandable_blockquote" in types
    link = next(e for e in sent.entities or [] if e.type == "text_link")
    assert link.url == "https://example.org/?a=1&b=2"
    pre = next(e for e in sent.entities or [] if e.type == "pre")
    assert pre.language == "python"


async def test_markdown_is_taken_as_plain_text(sandbox_bot: Bot, chat: int) -> None:
    sent = await sandbox_bot.send_message(chat, "*a* <b>", parse_mode="MarkdownV2")
    assert sent.text == "*a* <b>"
    plain = await sandbox_bot.send_message(chat, "a < b", parse_mode=None)
    assert plain.text == "a < b"


async def test_unknown_callback_query(sandbox_bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await sandbox_bot.answer_callback_query("nope")


async def test_reply_to_missing_message(sandbox_bot: Bot, chat: int) -> None:
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await sandbox_bot.send_message(chat, "x", reply_to_message_id=999)
