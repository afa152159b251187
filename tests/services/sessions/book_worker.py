"""Bookers in processes of their own, for tests/services/sessions/test_bookings_processes.py.

    python -m tests.services.sessions.book_worker DATABASE_URL SESSION_ID GO_FD PARTICIPANT_ID...

This process imports what a booking needs, then forks one child per participant (a fork is
a separate OS process with its own database connection, and costs milliseconds where fifty
interpreters starting on two cores would take some twenty seconds). Each child connects,
writes "ready", then blocks reading GO_FD, the read end of a pipe the test holds the write
end of. The test closes it once everyone is ready: every child reads end of file at the same
moment and books at once, in its own transaction, as the bot's processes would, then writes
its outcome as one JSON line, or "failed" (the traceback on stderr) at whatever step it
failed, so the test never waits for a "ready" that will not come. Lines are written with
one `os.write` each, shorter than PIPE_BUF, so the children's lines never interleave. The
exit status is 1 if any child failed.

Only SQLAlchemy, the database driver and `bot.services.sessions.bookings` are imported: aiogram
takes seconds to import and is not needed to book.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import traceback

from sqlalchemy import text

from bot.db.base import as_utc, utcnow
from bot.db.engine import create_engine, create_sessionmaker
from bot.services.sessions import bookings


def _say(line: str) -> None:
    os.write(sys.stdout.fileno(), (line + "\n").encode())


async def book_once(url: str, session_id: int, participant_id: int, go_fd: int) -> dict:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:  # connected before the start signal
            await connection.execute(text("SELECT 1"))
        _say("ready")
        os.read(go_fd, 1)  # blocks until the test closes the pipe: end of file, go
        async with create_sessionmaker(engine)() as session, session.begin():
            outcome = await bookings.book(session, session_id, participant_id, utcnow())
            return {
                "participant": participant_id,
                "status": outcome.booking.status,
                "position": outcome.position,
                "requested_at": as_utc(outcome.booking.requested_at).isoformat(),
            }
    finally:
        await engine.dispose()


def _child(url: str, session_id: int, participant_id: int, go_fd: int) -> None:
    """The forked booker: never returns into the parent's code."""
    status = 1
    try:
        result = asyncio.run(book_once(url, session_id, participant_id, go_fd))
        _say(json.dumps(result))
        status = 0
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        _say("failed")  # never leaves the test waiting for a "ready" that will not come
    finally:
        os._exit(status)


def main(argv: list[str]) -> int:
    url, session_id, go_fd, *participant_ids = argv
    create_engine(url)  # imports the driver once, before the fork; never connected
    children = []
    for participant_id in participant_ids:
        pid = os.fork()
        if pid == 0:
            _child(url, int(session_id), int(participant_id), int(go_fd))
        children.append(pid)
    os.close(int(go_fd))
    failed = [pid for pid in children if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
    if failed:
        print(f"{len(failed)} of {len(children)} bookers failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
