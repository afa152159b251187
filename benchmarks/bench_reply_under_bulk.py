"""How long a person waits for the bot's reply while a bulk send uses the whole budget.

The sandbox enforces Telegram's real limits (30 messages/s overall, 1/s per chat, a burst of 3);
the bot (create_app + start: polling, its clock, its outbox sender) is configured to the same
numbers. A few people tap /menu or the menu's Help button, with pauses longer than their
chat's pace, first with nothing else being sent, then while the bot sends 3,000 outbox rows to
3,000 other chats. Reply latency: from the tap to the first message (or edit) of the reply.

Prints {"idle": {p50, p95, max, n}, "during_bulk": {...}, "bulk_rows", "bulk_per_s",
"configured_per_s", "bulk_efficiency" (bulk rows/s / the configured rate),
"bulk_efficiency_of_budget_left" (the same, of what the replies left), "all_sends_efficiency"
(bulk and replies), "http_429", ...} (seconds); goal: during the bulk send p95 <= 0.25 s and
max <= 1 s, efficiency >= 0.95, 0 429s.

    python benchmarks/bench_reply_under_bulk.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from prometheus_client import REGISTRY

from bot.app import create_app
from bot.config import Settings
from bot.delivery import outbox
from bot.sandbox import SandboxLimits, SandboxServer, UserClient

TOKEN = "700004:REPLIES"
HELP = "menu:help"
BULK_FIRST_CHAT = 200_000


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    if not ordered:
        return {"n": 0}
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(p95, 3),
        "max_s": round(ordered[-1], 3),
    }


class Person:
    def __init__(self, sandbox: SandboxServer, user_id: int, http: aiohttp.ClientSession):
        self.client = UserClient(sandbox.url, user_id=user_id, first_name=f"P{user_id}")
        self.client.http = http
        self.menu_id: int | None = None
        self.taps = 0

    async def open_menu(self) -> None:
        await self.client.send_text("/menu")
        replies = await self.client.replies(timeout=30)
        self.menu_id = next(m.message_id for m in reversed(replies) if m.buttons)

    async def tap(self) -> float:
        """/menu or Help, in turn; seconds until the reply's first message."""
        started = time.perf_counter()
        if self.taps % 2 == 0:
            await self.client.send_text("/menu")
        else:
            await self.client.press_data(HELP, message_id=self.menu_id)
        self.taps += 1
        found = await self.client.replies(timeout=30, settle=0, answer_settle=30)
        if not found:
            raise TimeoutError(f"no reply to person {self.client.user_id}")
        return time.perf_counter() - started

    async def tap_until(self, done: asyncio.Event, taps: int | None, pause: tuple[float, float]):
        latencies: list[float] = []
        while not done.is_set() and (taps is None or len(latencies) < taps):
            await asyncio.sleep(random.uniform(*pause))
            if done.is_set():
                break
            latencies.append(await self.tap())
        return latencies


def reply_waits() -> dict[str, float]:
    """The limiter's own histogram of the replies' waits (count, sum, calls by bucket)."""
    found = {}
    for metric in REGISTRY.collect():
        if metric.name != "enavant_limiter_wait_seconds":
            continue
        for sample in metric.samples:
            if sample.labels.get("lane") != "reply":
                continue
            if sample.name.endswith("_bucket"):
                found[f"le_{sample.labels['le']}"] = sample.value
            elif sample.name.endswith(("_count", "_sum")):
                found[sample.name.rsplit("_", 1)[1]] = sample.value
    return found


def wait_summary(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """How long the replies waited for the limiter during the bulk send (from the histogram:
    the share of calls within 10, 50, 100, 250 ms and the mean)."""
    delta = {key: after.get(key, 0) - before.get(key, 0) for key in after}
    calls = delta.get("count", 0)
    if not calls:
        return {"calls": 0}
    return {
        "calls": int(calls),
        "mean_s": round(delta["sum"] / calls, 4),
        **{
            f"within_{le}_s": round(delta[f"le_{le}"] / calls, 3)
            for le in ("0.01", "0.05", "0.1", "0.25")
        },
        "over_0.5_s": int(calls - delta["le_0.5"]),
    }


def bulk_delivered(sandbox: SandboxServer, chats: range) -> int:
    messages = sandbox.bot(TOKEN).state.messages
    return sum(
        1 for chat_id in chats if any(m.from_bot for m in messages.get(chat_id, {}).values())
    )


async def main(rows: int, people: int, idle_taps: int, per_s: float) -> dict:
    random.seed(15)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: already running"
    sandbox = SandboxServer(TOKEN, SandboxLimits())  # Telegram's numbers
    await sandbox.start()
    folder = tempfile.mkdtemp()
    settings = Settings(
        bot_token=TOKEN,
        telegram_api_url=sandbox.url,
        database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
        send_global_per_s=per_s,
        send_private_per_s=1.0,
        send_private_burst=3,
        outbox_tick_s=1.0,
        _env_file=None,
    )
    app = create_app(settings)
    bulk_chats = range(BULK_FIRST_CHAT, BULK_FIRST_CHAT + rows)
    pause = (1.5, 3.0)  # longer than a chat's pace
    try:
        async with aiohttp.ClientSession() as http:
            gate = asyncio.Semaphore(20)

            async def meet(chat_id: int) -> None:
                async with gate:
                    person = UserClient(sandbox.url, user_id=chat_id)
                    person.http = http
                    await person.send_text("/start")

            # Every recipient has opened the bot (before it runs: their /start is dropped).
            await asyncio.gather(*(meet(chat_id) for chat_id in bulk_chats))
            await app.prepare()
            await app.bot.delete_webhook(drop_pending_updates=True)
            await app.start(polling_timeout=1)

            crowd = [Person(sandbox, 1000 + n, http) for n in range(people)]
            for person in crowd:
                await person.open_menu()
            await asyncio.sleep(3)  # each chat's burst back

            never = asyncio.Event()
            idle = await asyncio.gather(
                *(person.tap_until(never, idle_taps, pause) for person in crowd)
            )
            await asyncio.sleep(3)

            messages = [
                outbox.OutMessage(
                    chat_id, f"bulk:{chat_id}", "fallback-command", {"command": f"/b{chat_id}"}
                )
                for chat_id in bulk_chats
            ]
            async with app.sessionmaker() as session:
                await outbox.enqueue_many(session, messages)
                await session.commit()
            samples: list[tuple[float, int, int]] = []  # (when, bulk delivered, all sent)
            bulk_done = asyncio.Event()
            bulk_started = asyncio.Event()

            async def watch() -> None:
                while True:
                    delivered = bulk_delivered(sandbox, bulk_chats)
                    samples.append((time.perf_counter(), delivered, sandbox.stats["sent_messages"]))
                    if delivered:
                        bulk_started.set()
                    if delivered >= rows:
                        bulk_done.set()
                        return
                    await asyncio.sleep(0.05)

            watcher = asyncio.ensure_future(watch())
            await bulk_started.wait()  # the sender's clock picks the rows up
            waits_before = reply_waits()
            during = await asyncio.gather(
                *(person.tap_until(bulk_done, None, pause) for person in crowd)
            )
            await asyncio.wait_for(watcher, timeout=600)
            waits_during = wait_summary(waits_before, reply_waits())
    finally:
        await app.close()
        await sandbox.stop()

    first_at, first_count, first_all = next(sample for sample in samples if sample[1] > 0)
    last_at, _, last_all = next(sample for sample in samples if sample[1] >= rows)
    bulk_per_s = (rows - first_count) / (last_at - first_at)
    all_per_s = (last_all - first_all) / (last_at - first_at)  # bulk rows and replies
    idle_all = [latency for person in idle for latency in person]
    during_all = [latency for person in during for latency in person]
    return {
        "idle": summary(idle_all),
        "during_bulk": summary(during_all),
        "reply_limiter_wait_during_bulk": waits_during,
        "bulk_rows": rows,
        "bulk_seconds": round(last_at - first_at, 1),
        "bulk_per_s": round(bulk_per_s, 2),
        "configured_per_s": per_s,
        "bulk_efficiency": round(bulk_per_s / per_s, 3),
        # The replies sent meanwhile used some of the same budget: what bulk made of the rest.
        "bulk_efficiency_of_budget_left": round(bulk_per_s / (per_s - (all_per_s - bulk_per_s)), 3),
        "all_sends_efficiency": round(all_per_s / per_s, 3),
        "http_429": sandbox.stats["http_429"],
        "lost": rows - bulk_delivered(sandbox, bulk_chats),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--people", type=int, default=3)
    parser.add_argument("--idle-taps", type=int, default=8)
    parser.add_argument("--per-s", type=float, default=30.0, help="the bot's global rate")
    options = parser.parse_args()
    result = asyncio.run(main(options.rows, options.people, options.idle_taps, options.per_s))
    print(json.dumps(result) if options.json else result)
