"""10,000 updates nobody planned for (bot/sandbox/fuzz.py, the generator of
tests/e2e/common/test_fuzz.py) through the bot's whole stack on SQLite, against the sandbox
(no flood limits), in this one process: how many it takes a second, and whether any failed,
went unanswered or unfinished, and how memory grew between the first and the second half.

    python benchmarks/bench_fuzz.py --json
prints {"updates": .., "updates_per_s": .., "errors": .., "unanswered": .., "unfinished": ..,
"rss_growth_mb": .., "slowest_kind": ..}; goal: no errors, nothing unanswered or unfinished.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import resource
import tempfile
import time
from pathlib import Path

from bot.app import create_app
from bot.config import Settings
from bot.sandbox import SandboxLimits, SandboxServer
from bot.sandbox.fuzz import Fuzzer, Observer, cast, plan

TOKEN = "700003:FUZZ"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(count: int) -> dict[str, object]:
    started = time.perf_counter()
    actions = plan(count, users=5)
    drawn_s = time.perf_counter() - started
    sandbox = SandboxServer(TOKEN, SandboxLimits(enabled=False))
    await sandbox.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            bot_token=TOKEN,
            telegram_api_url=sandbox.url,
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}",
            send_global_per_s=1e6,
            send_private_per_s=1e6,
            send_private_burst=10**6,
            send_group_per_min=1e8,
            _env_file=None,
        )
        app = create_app(settings)
        await app.start(polling_timeout=1)
        try:
            people = await cast(app.sessionmaker, sandbox.url)
            group_id = await people[0].create_group("Fuzz", is_forum=False)
            observer = Observer()
            observer.install(app.dispatcher)
            fuzzer = Fuzzer(people, observer, group_id)
            began = time.perf_counter()
            half = len(actions) // 2
            await fuzzer.run(actions[:half])
            gc.collect()
            halfway = rss_mb()
            await fuzzer.run(actions[half:])
            gc.collect()
            elapsed = time.perf_counter() - began
        finally:
            await app.close()
            await sandbox.stop()
    report = fuzzer.report
    slowest = max(report.seconds, key=lambda kind: report.seconds[kind] / report.kinds[kind])
    return {
        "actions": count,
        "updates": report.sent,
        "skipped": report.skipped,
        "updates_per_s": round(report.sent / elapsed, 1),
        "seconds": round(elapsed, 1),
        "drawing_s": round(drawn_s, 1),
        "errors": len(observer.errors),
        "unanswered": len(report.unanswered),
        "unfinished": len(report.unfinished),
        "rss_mb": round(rss_mb(), 1),
        "rss_growth_mb": round(rss_mb() - halfway, 1),
        "slowest_kind": slowest,
        "slowest_kind_ms": round(1000 * report.seconds[slowest] / report.kinds[slowest], 1),
        "first_failures": [
            *(f"{name} in update {uid}: {text}" for uid, name, text in observer.errors[:5]),
            *(f"no answer to {uid}: {a} {d}" for a, uid, d in report.unanswered[:5]),
            *(f"update {uid} not finished: {a}" for a, uid in report.unfinished[:5]),
        ],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the bot's own logs would drown the figures
    result = asyncio.run(main(args.count))
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
