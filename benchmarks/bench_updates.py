"""Update throughput of the bot's real handler stack vs a bare aiogram echo bot.

Both bots run on the same sandbox server code (no flood limits), in this one process, and
receive the same 2,000 updates: 100 users x 20 actions alternating `/menu` and a press on the
menu's Help button. Each update makes exactly one message, so a bot is done when it has sent
2,000 messages. Our bot runs its whole stack: SQLite, conversation storage, i18n, dialogs.

    python benchmarks/bench_updates.py --json
prints {"bot_updates_per_s": .., "echo_updates_per_s": .., "ratio": ..}; goal: ratio >= 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import create_app
from bot.config import Settings
from bot.sandbox import SandboxLimits, SandboxServer, UserClient

OUR_TOKEN = "700001:BENCH"
ECHO_TOKEN = "700002:ECHO"
HELP = "menu:help"


def echo_dispatcher() -> Dispatcher:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="?", callback_data=HELP)]]
    )
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?", reply_markup=markup)

    @dispatcher.callback_query(F.data == HELP)
    async def press(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.answer("help", reply_markup=markup)

    return dispatcher


async def drive(sandbox: SandboxServer, token: str, users: int, actions: int) -> float:
    """Warm every chat up (untimed), then fire the workload; returns updates per second."""
    bot_box = sandbox.bot(token)
    clients = [
        UserClient(sandbox.url, user_id=10_000 + n, first_name=f"U{n}", bot_id=bot_box.bot_id)
        for n in range(users)
    ]
    for client in clients:
        await client.send_text("/menu")
    await _wait_sent(bot_box, users)
    menus = [await client.last_message_with_buttons() for client in clients]

    before = bot_box.stats["sent_messages"]
    started = time.perf_counter()

    async def act(client: UserClient, menu_id: int) -> None:
        for step in range(actions):
            if step % 2 == 0:
                await client.send_text("/menu")
            else:
                await client.press_data(HELP, message_id=menu_id)

    await asyncio.gather(*(act(c, m.message_id) for c, m in zip(clients, menus, strict=True)))
    await _wait_sent(bot_box, before + users * actions)
    return users * actions / (time.perf_counter() - started)


async def _wait_sent(bot_box, target: int, limit_s: float = 300.0) -> None:
    deadline = time.monotonic() + limit_s
    while bot_box.stats["sent_messages"] < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {bot_box.stats['sent_messages']} of {target} messages sent")
        await asyncio.sleep(0.01)


async def run_ours(sandbox: SandboxServer, folder: str, users: int, actions: int) -> float:
    settings = Settings(
        bot_token=OUR_TOKEN,
        telegram_api_url=sandbox.url,
        database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
        send_global_per_s=1e6,
        send_private_per_s=1e6,
        send_private_burst=10**6,
        _env_file=None,
    )
    app = create_app(settings)
    await app.start(polling_timeout=1)
    try:
        return await drive(sandbox, OUR_TOKEN, users, actions)
    finally:
        await app.close()


async def run_echo(sandbox: SandboxServer, users: int, actions: int) -> float:
    session = AiohttpSession(api=TelegramAPIServer.from_base(sandbox.url))
    echo_bot = Bot(ECHO_TOKEN, session=session)
    dispatcher = echo_dispatcher()
    polling = asyncio.create_task(
        dispatcher.start_polling(echo_bot, handle_signals=False, polling_timeout=1)
    )
    try:
        return await drive(sandbox, ECHO_TOKEN, users, actions)
    finally:
        await dispatcher.stop_polling()
        await polling
        await session.close()


async def main(users: int, actions: int, rounds: int) -> dict[str, object]:
    """Alternates the two bots `rounds` times and keeps each one's best run (less noise)."""
    ours: list[float] = []
    echo: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            # A fresh sandbox per run: each run sends messages to fresh chats.
            for runs, run in ((ours, run_ours), (echo, run_echo)):
                sandbox = SandboxServer([OUR_TOKEN, ECHO_TOKEN], SandboxLimits(enabled=False))
                await sandbox.start()
                try:
                    args = (sandbox, folder) if run is run_ours else (sandbox,)
                    runs.append(await run(*args, users, actions))
                finally:
                    await sandbox.stop()
    best_ours, best_echo = max(ours), max(echo)
    return {
        "updates": users * actions,
        "bot_updates_per_s": round(best_ours, 1),
        "echo_updates_per_s": round(best_echo, 1),
        "ratio": round(best_ours / best_echo, 3),
        "runs": {"bot": [round(r, 1) for r in ours], "echo": [round(r, 1) for r in echo]},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    result = asyncio.run(main(options.users, options.actions, options.rounds))
    print(json.dumps(result) if options.json else result)
