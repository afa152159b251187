"""One replica's clock, as a process of its own (the leadership tests start two and kill one).

    python tests/helpers/clock_replica.py RUNS_FILE --redis URL --key KEY --lease 1
    python tests/helpers/clock_replica.py RUNS_FILE --database URL --key KEY --lease 1

Run as a script, not with `-m`: the `tests.helpers` package imports the whole bot (seconds on
a busy machine). A singleton job appends "<pid> <time>" to RUNS_FILE every `--every` seconds
while this process holds the leadership; "elected <pid> <time>" when it takes it."""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from bot.scheduler import Clock, Leadership, PostgresLeadership, RedisLeadership


def note(path: str, line: str) -> None:
    # One write per line on a file opened for appending: lines of two processes never mix.
    with open(path, "a", encoding="utf-8") as runs:
        runs.write(line + "\n")


async def main(options: argparse.Namespace) -> None:
    leadership: Leadership
    if options.redis:
        leadership = RedisLeadership(options.redis, options.key, lease_s=options.lease)
    else:
        leadership = PostgresLeadership(options.database, options.key, lease_s=options.lease)
    clock = Clock("Europe/Paris", leadership)
    pid = os.getpid()

    async def singleton() -> None:
        note(options.runs, f"{pid} {time.time():.3f}")

    async def elected() -> None:
        note(options.runs, f"elected {pid} {time.time():.3f}")

    clock.every(options.every, singleton, "singleton")
    clock.when_elected(elected)
    await clock.start()
    note(options.runs, f"started {pid} {time.time():.3f}")
    try:
        await asyncio.Event().wait()
    finally:
        await clock.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("runs")
    parser.add_argument("--redis")
    parser.add_argument("--database")
    parser.add_argument("--key", required=True)
    parser.add_argument("--lease", type=float, default=1.0)
    parser.add_argument("--every", type=float, default=0.1)
    asyncio.run(main(parser.parse_args()))
