"""Seats under real concurrency: fifty OS processes, each with its own connection, book a
ten-seat session at the same moment (SQLite file by default, PostgreSQL with
TEST_DATABASE_URL). The database alone keeps them from overbooking (DESIGN.md §4)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bot.db.models import Booking, BookingStatus, ProgrammeSession
from bot.services.sessions import bookings
from tests.helpers.people import people
from tests.helpers.sessions import add_session

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 50
SEATS = 10
RUN_TIMEOUT = 60  # seconds: far more than fifty bookings need, even on two slow cores


def run_workers(url: str, session_id: int, participant_ids: list[int]) -> list[dict]:
    """One booking process per participant (see book_worker): wait until all of them are
    connected, let them all go at once by closing the pipe they block on, and return their
    outcomes."""
    go_read, go_write = os.pipe()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.services.sessions.book_worker",
            url,
            str(session_id),
            str(go_read),
            *map(str, participant_ids),
        ],
        cwd=ROOT,
        pass_fds=(go_read,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(go_read)
    try:
        ready = 0
        while ready < len(participant_ids):
            if worker.stdout.readline() != "ready\n":  # a booker failed ("failed")
                break
            ready += 1
        os.close(go_write)  # every booker reads end of file now: go
        go_write = -1
        out, err = worker.communicate(timeout=RUN_TIMEOUT)
        assert (ready, worker.returncode) == (len(participant_ids), 0), err
        return [json.loads(line) for line in out.splitlines()]
    finally:
        if go_write != -1:
            os.close(go_write)  # lets bookers still waiting go, and end
        if worker.poll() is None:
            worker.kill()
            worker.wait()


async def test_fifty_processes_at_once_for_ten_seats_never_overbook(
    database_url, sessionmaker
) -> None:
    async with sessionmaker() as session:
        session_id = await add_session(session, capacity=SEATS)
        participant_ids = await people(session, WORKERS)
        await session.commit()

    outcomes = await asyncio.to_thread(run_workers, database_url, session_id, participant_ids)

    statuses = [outcome["status"] for outcome in outcomes]
    assert statuses.count(BookingStatus.CONFIRMED) == SEATS
    assert statuses.count(BookingStatus.WAITLISTED) == WORKERS - SEATS
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, session_id)).confirmed == SEATS
        stored = (
            await session.scalars(
                select(Booking)
                .where(Booking.session_id == session_id)
                .order_by(Booking.requested_at, Booking.id)
            )
        ).all()
        waiting = [b for b in stored if b.status == BookingStatus.WAITLISTED]
        positions = [await bookings.waitlist_position(session, b) for b in waiting]
    assert len(stored) == WORKERS  # one booking each, none lost, none doubled
    assert sum(b.status == BookingStatus.CONFIRMED for b in stored) == SEATS
    # Arrival order is the order of asking: the first ten to ask have the seats, the
    # waitlist is served by requested_at, and the position each was told is the one held.
    assert [b.status for b in stored[:SEATS]] == [BookingStatus.CONFIRMED] * SEATS
    assert positions == list(range(1, WORKERS - SEATS + 1))
    told = {o["participant"]: o["position"] for o in outcomes if o["position"] is not None}
    assert [told[b.participant_id] for b in waiting] == positions
    requested = [datetime.fromisoformat(outcome["requested_at"]) for outcome in outcomes]
    by_participant = {b.participant_id: b for b in stored}
    for outcome, asked in zip(outcomes, requested, strict=True):
        assert by_participant[outcome["participant"]].status == outcome["status"]
        assert by_participant[outcome["participant"]].requested_at.replace(tzinfo=None) == (
            asked.replace(tzinfo=None)
        )
