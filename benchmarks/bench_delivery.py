"""Outbox throughput against Telegram-like limits, scaled in time.

3,000 messages to 1,000 chats through the sandbox, which enforces 300 messages/s overall and
10/s per chat (Telegram's 30/s and 1/s, ten times faster); the bot's limiter is configured to
the same numbers. Prints
{"sent", "limit_per_s", "achieved_per_s", "efficiency", "http_429", "duplicates", "lost"};
goal: efficiency >= 0.95 with 0 429s, 0 duplicates, 0 lost.

    python benchmarks/bench_delivery.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import tempfile
import time
from pathlib import Path

from bot.app import create_bot, create_limiter
from bot.config import Settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.delivery import outbox
from bot.delivery.sender import OutboxSender
from bot.i18n import build_core
from bot.sandbox import SandboxLimits, SandboxServer, UserClient

TOKEN = "700003:DELIVERY"


async def main(messages: int, chats: int, global_per_s: float, per_chat_per_s: float) -> dict:
    limits = SandboxLimits(global_per_s=global_per_s, per_chat_per_s=per_chat_per_s)
    sandbox = SandboxServer(TOKEN, limits)
    await sandbox.start()
    folder = tempfile.mkdtemp()
    settings = Settings(
        bot_token=TOKEN,
        telegram_api_url=sandbox.url,
        database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
        send_global_per_s=global_per_s,
        send_private_per_s=per_chat_per_s,
        send_private_burst=limits.per_chat_burst,
        _env_file=None,
    )
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    sessionmaker = create_sessionmaker(engine)
    bot = create_bot(settings, create_limiter(settings))
    try:
        chat_ids = [100_000 + n for n in range(chats)]
        for chat_id in chat_ids:  # every recipient has opened the bot
            await UserClient(sandbox.url, user_id=chat_id).send_text("/start")
        async with sessionmaker() as session:
            for n in range(messages):
                await outbox.enqueue(
                    session,
                    chat_id=chat_ids[n % chats],
                    dedupe_key=f"bench:{n}",
                    key="fallback-command",
                    variables={"command": f"/m{n}"},
                )
            await session.commit()

        sender = OutboxSender(sessionmaker, bot, build_core())
        started = time.perf_counter()
        await sender.send_due()
        elapsed = time.perf_counter() - started

        delivered = collections.Counter(
            message.text
            for chat_id in chat_ids
            for message in sandbox.chat_messages(chat_id)
            if message.from_bot
        )
        sent = sum(delivered.values())
        achieved = sent / elapsed
        return {
            "sent": sent,
            "limit_per_s": global_per_s,
            "achieved_per_s": round(achieved, 1),
            "efficiency": round(achieved / global_per_s, 3),
            "http_429": sandbox.stats["http_429"],
            "duplicates": sum(count - 1 for count in delivered.values()),
            "lost": messages - len(delivered),
        }
    finally:
        await bot.session.close()
        await engine.dispose()
        await sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--global-per-s", type=float, default=300.0)
    parser.add_argument("--per-chat-per-s", type=float, default=10.0)
    options = parser.parse_args()
    result = asyncio.run(
        main(options.messages, options.chats, options.global_per_s, options.per_chat_per_s)
    )
    print(json.dumps(result) if options.json else result)
