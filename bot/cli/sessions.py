"""`enavant sessions`: online sessions imported from a file, listed with their seats, and
a seat booked for someone (a phone call, someone not on Telegram)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import (
    batches,
    import_file,
    in_session,
    load_settings,
    print_import,
    print_table,
    programme_tz,
)

app = typer.Typer(
    help="Online sessions: company presentations, coaching, information.", no_args_is_help=True
)


class _SessionsRefused(Exception):
    """A `sessions` command that cannot be done; the message says why, in one line."""


@app.command("import")
def sessions_import(
    file: Path = typer.Argument(
        ..., help="CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or .xlsx, with header"
    ),
    draft: bool = typer.Option(
        False, "--draft", help="keep new sessions as drafts: nobody is invited yet"
    ),
) -> None:
    """Create or update sessions, known by kind, title_fr and starts_at; new ones are
    published (invitations queued) unless --draft. Bad rows are reported, good rows kept."""
    from bot.db.base import utcnow
    from bot.services.sessions.imports import SessionImportError, import_sessions

    settings = load_settings()
    file = import_file(file)
    tz = programme_tz(settings)

    with batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            return await import_sessions(
                session, file, utcnow(), tz, draft=draft, on_batch=on_batch, name=file.name
            )

        report = in_session(settings, _import, SessionImportError)
    print_import(file, report, f"invitations queued {report.invitations}")


@app.command("list")
def sessions_list(
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    include_past: bool = typer.Option(
        False, "--all", help="also the sessions that have already started"
    ),
) -> None:
    """Sessions still to come (all with --all), soonest first, with their seats and
    waitlist; times in the programme's time zone (TZ)."""
    from bot.db.base import as_utc, utcnow
    from bot.services.sessions.listings import summaries

    settings = load_settings()
    tz = programme_tz(settings)

    async def _list(session: AsyncSession):
        found = await summaries(session, since=None if include_past else utcnow())
        return [
            {
                "id": s.session.id,
                "title": s.session.title_fr,
                "starts_at": as_utc(s.session.starts_at).astimezone(tz).isoformat("T", "seconds"),
                "capacity": s.session.capacity,
                "confirmed": s.confirmed,
                "waitlisted": s.waitlisted,
                "status": s.session.status,
                "kind": s.session.kind,
            }
            for s in found
        ]

    rows = in_session(settings, _list)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no session to come: import some with `enavant sessions import`")
        return
    print_table(
        ("id", "starts", "kind", "status", "seats", "waiting", "title"),
        [
            (
                r["id"],
                r["starts_at"][:16].replace("T", " "),
                r["kind"],
                r["status"],
                f"{r['confirmed']}/{r['capacity']}",
                r["waitlisted"],
                r["title"],
            )
            for r in rows
        ],
    )


_BOOKING_REFUSALS = {
    "cancelled": "it was cancelled",
    "closed": "it is not published",
    "past": "it has already started",
    "cutoff": "bookings have closed (cut-off before the start)",
}


@app.command("book")
def sessions_book(
    session_id: int = typer.Argument(..., help="the session's id (see `enavant sessions list`)"),
    participant: str = typer.Argument(..., help="the participant's external_id, or their id"),
) -> None:
    """Book a seat for a participant (a phone call, someone not on Telegram): a seat if one
    is free, else the waitlist. People on Telegram get the .ics and the reminders."""
    from bot.db.base import utcnow
    from bot.db.models import ProgrammeSession
    from bot.services.sessions.bookings import BookingRefused
    from bot.services.sessions.common import ID_MAX
    from bot.services.sessions.listings import find_participant
    from bot.services.sessions.seating import take_seat

    settings = load_settings()
    tz = programme_tz(settings)

    async def _book(session: AsyncSession):
        # Ids are 32-bit on PostgreSQL: a larger number names nothing (and must not reach
        # the database as an id, which would fail with an overflow instead of "no ...").
        programme_session = (
            await session.get(ProgrammeSession, session_id) if 0 < session_id <= ID_MAX else None
        )
        if programme_session is None:
            raise _SessionsRefused(f"no session {session_id} (see `enavant sessions list`)")
        person = await find_participant(session, participant.strip())
        if person is None:
            raise _SessionsRefused(f"no participant {participant!r} (give their external_id or id)")
        try:
            return await take_seat(session, programme_session, person.id, utcnow(), tz)
        except BookingRefused as refused:
            why = _BOOKING_REFUSALS.get(refused.reason, refused.reason)
            raise _SessionsRefused(f"session {session_id} cannot be booked: {why}") from None

    outcome = in_session(settings, _book, _SessionsRefused)
    already = "already " if outcome.already else ""
    if outcome.position is None:
        typer.echo(f"{already}confirmed")
    else:
        typer.echo(f"{already}waitlisted, position {outcome.position}")
