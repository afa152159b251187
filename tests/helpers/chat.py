"""A person's conversation with the bot through the sandbox: one step, the registration,
waiting for what the outbox sends."""

from __future__ import annotations

import asyncio

from bot.sandbox import UserClient
from tests.helpers.fluent import holds

SECRET_NAME = "Zoélie"


async def answer(user: UserClient, *, press: str | None = None, text: str | None = None):
    """Press a button or send a text; the bot's replies."""
    if press is not None:
        await user.press(press)
    else:
        await user.send_text(text)
    return await user.replies()


async def begin(user: UserClient, language: str) -> list:
    """/start and the language: what the programme offers, then the consent."""
    await user.send_text("/start")
    await user.replies()
    await user.press("🇫🇷 Français" if language == "fr" else "🇧🇪 Nederlands")
    return await user.replies()


async def register_in_french(user, counsellor_code: str | None = None) -> None:
    """Registers `user` in French under the first name SECRET_NAME (typed in the profile
    afterwards when it is not their Telegram name)."""
    if counsellor_code:
        await user.send_text(f"/start ref_{counsellor_code}")
        await user.replies()
        await user.press("🇫🇷 Français")
        await user.replies()
    else:
        await begin(user, "fr")
    await answer(user, press="✅ J'accepte")
    if not counsellor_code:
        await answer(user, press="Lille-Roubaix-Tourcoing")
    await answer(user, text="carist")
    await answer(user, press="👍 Oui : Cariste")
    await answer(user, press="A2 : phrases simples")
    await answer(user, press="🚶 Pas de permis")
    await answer(user, press="15 km")
    await answer(user, text="59100")
    await answer(user, press="Suivant ▶️")
    await answer(user, press="Une fois par semaine")
    await answer(user, text="/profile")
    await answer(user, press="Prénom")
    await answer(user, text=SECRET_NAME)


def reply_keyboard_shown(chat) -> bool:
    """Whether a reply keyboard is still under the input field: one came with a message
    still there (not deleted), and no later message took it away."""
    shown = False
    for message in chat:
        if message.keyboard:
            shown = True
        elif message.remove_keyboard:
            shown = False
    return shown


async def staff_member(sandbox, telegram_id: int, name: str) -> UserClient:
    """A staff member with their private chat with the bot open."""
    member = sandbox.user(telegram_id, name)
    await member.send_text("/menu")
    await member.replies()
    return member


async def collect(user: UserClient, count: int, *, chat_id: int | None = None) -> list:
    """The bot's next `count` messages to `user` (they may come in several updates)."""
    found: list = []
    for _ in range(10):
        found += [m for m in await user.replies(chat_id=chat_id) if not m.edited]
        if len(found) >= count:
            break
    return found


async def inbox(user: UserClient, needle: str, rounds: int = 150) -> str:
    """The texts of `user`'s chat once one of them contains `needle` (the outbox sends)."""
    for _ in range(rounds):
        chat = "\n".join(m.text or "" for m in await user.messages())
        if needle in chat:
            return chat
        await asyncio.sleep(0.1)
    raise AssertionError(f"no message with {needle!r} in {chat!r}")


async def inbox_holding(user: UserClient, key: str, locale: str = "fr", /, **variables) -> str:
    """The texts of `user`'s chat once they hold message `key` (see `holds`)."""
    for _ in range(150):
        chat = "\n".join(m.text or "" for m in await user.messages())
        if holds(chat, key, locale, **variables):
            return chat
        await asyncio.sleep(0.1)
    raise AssertionError(f"no message {key} {variables!r} in {chat!r}")
