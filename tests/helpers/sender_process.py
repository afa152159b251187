"""One bot replica's outbox sender, alone (no polling), for multi-process tests:

    python -m tests.helpers.sender_process

Settings come from the environment (DATABASE_URL, REDIS_URL, REDIS_PREFIX, SEND_*...). The
sender is the bot's own (`create_app(settings).sender`); it sends whatever is due until
SIGTERM, then prints how many rows it handled ("handled N")."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from bot.app import create_app
from bot.config import Settings


async def main() -> None:
    app = create_app(Settings())
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    handled = 0
    print("ready", flush=True)
    try:
        while not stop.is_set():
            count = await app.sender.send_due()
            handled += count
            if not count:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=0.05)
    finally:
        print(f"handled {handled}", flush=True)
        await app.close()


if __name__ == "__main__":
    asyncio.run(main())
