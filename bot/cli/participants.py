"""`enavant participants`: a counsellor's caseload imported, the invite links of people not
on Telegram yet, and participants handed to another counsellor."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import (
    batches,
    bot_username,
    fail,
    import_file,
    in_session,
    load_settings,
    print_import,
    print_table,
    start_link,
)

app = typer.Typer(help="Participants: caseload import and invite links.", no_args_is_help=True)


@app.command("import")
def participants_import(
    file: Path = typer.Argument(
        ..., help="caseload CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or .xlsx"
    ),
    counsellor_telegram_id: int | None = typer.Option(
        None, help="assign the imported participants to this CET"
    ),
) -> None:
    """Import or update a counsellor's caseload; bad rows are reported, good rows imported."""
    from bot.services.participants.caseload import CaseloadError, import_caseload

    settings = load_settings()
    file = import_file(file)

    with batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            return await import_caseload(
                session, file, counsellor_telegram_id, on_batch=on_batch, name=file.name
            )

        report = in_session(settings, _import, CaseloadError)
    print_import(file, report)
    if report.rejected and not report.imported:
        raise typer.Exit(1)


@app.command("invites")
def participants_invites(
    territory: str = typer.Option(..., help="LRT, FM or WAPI"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    send: bool = typer.Option(
        False,
        "--send",
        help="also send each their link by SMS or e-mail (those who agreed to a contact)",
    ),
) -> None:
    """Invite links of the territory's imported participants who have not joined yet; with
    --send, queued by SMS or e-mail to those who agreed to a phone or e-mail contact (once
    per link)."""
    from bot.db.models import Territory
    from bot.services.participants.invites import (
        invite_payload,
        pending_invites,
        send_invite_links,
    )

    territory = territory.strip().upper()
    if territory not in Territory.ALL:
        raise fail(f"unknown territory {territory!r}; use one of {', '.join(Territory.ALL)}")
    settings = load_settings()
    username = bot_username(settings)

    async def _pending(session: AsyncSession):
        found = await pending_invites(session, territory)
        if send:
            sent = await send_invite_links(
                session, lambda payload: start_link(username, payload), territory=territory
            )
            typer.echo(f"{sent} invite link(s) queued by SMS or e-mail", err=True)
        return found

    invites = [
        {
            "external_id": invite.external_id,
            "first_name": invite.first_name,
            "link": start_link(username, invite_payload(invite.token)),
            "expires_at": invite.expires_at.isoformat(timespec="seconds"),
            "expires_on": invite.expires_on.isoformat(),
        }
        for invite in in_session(settings, _pending)
    ]
    if as_json:
        typer.echo(json.dumps(invites, ensure_ascii=False, indent=2))
    elif not invites:
        typer.echo(f"no participant of {territory} is waiting for an invite")
    else:
        rows = [(i["external_id"], i["first_name"], i["link"], i["expires_on"]) for i in invites]
        print_table(("external id", "first name", "link", "expires"), rows)


class _ReassignRefused(Exception):
    """A reassignment that cannot be done; the message says why, in one line."""


_REASSIGN_REFUSALS = {
    "not-counsellor": "only an active cet or coordinator can follow participants",
    "erased": "they erased their data",
    "changed": "their counsellor was changed meanwhile; check and run it again",
}


@app.command("reassign")
def participants_reassign(
    participant: str | None = typer.Argument(
        None, help="the participant's external_id, or their id (#12 as staff see it)"
    ),
    to: int = typer.Option(..., "--to", help="Telegram id of the counsellor who follows them"),
    from_: int | None = typer.Option(
        None, "--from", help="instead of one participant: everyone this staff member follows"
    ),
) -> None:
    """Hand a participant (or, with --from, everyone a counsellor who left follows) to
    another counsellor. The new counsellor, the previous one and the participant are told."""
    if (participant is None) == (from_ is None):
        raise fail("give either a PARTICIPANT or --from TELEGRAM_ID", 2)
    from sqlalchemy import select

    from bot.db.base import utcnow
    from bot.db.models import Staff
    from bot.services.participants import counsellors
    from bot.services.sessions.listings import find_participant

    settings = load_settings()

    async def _reassign(session: AsyncSession) -> list[str]:
        counsellor = await counsellors.find_staff(session, str(to))
        if counsellor is None:
            raise _ReassignRefused(f"no active staff member with Telegram id {to}")
        if participant is not None:
            person = await find_participant(session, participant.strip().lstrip("#"))
            if person is None:
                raise _ReassignRefused(
                    f"no participant {participant!r} (give their external_id or id)"
                )
            people = [person]
        else:
            former = await session.scalar(select(Staff).where(Staff.telegram_id == from_))
            if former is None:
                raise _ReassignRefused(f"no staff member with Telegram id {from_}")
            people = await counsellors.followed_by(session, former)
        lines = []
        for person in people:
            reference = person.external_id or f"#{person.id}"
            try:
                handover = await counsellors.reassign(session, person, counsellor, None, utcnow())
            except counsellors.ReassignRefused as refused:
                why = _REASSIGN_REFUSALS[refused.reason]
                raise _ReassignRefused(f"{reference} cannot be reassigned: {why}") from None
            before = handover.before.name if handover.before else "nobody"
            state = "now" if handover.changed else "already"
            lines.append(f"{reference}: {before} -> {counsellor.name} ({state})")
        return lines

    lines = in_session(settings, _reassign, _ReassignRefused)
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo(f"staff member {from_} follows nobody")


class _ContactRefused(Exception):
    pass


@app.command("contact")
def participants_contact(
    participant: str = typer.Argument(
        ..., help="the participant's external_id, or their id (#12 as staff see it)"
    ),
    stop: str | None = typer.Option(
        None, "--stop", help="record that the person said STOP: sms or email"
    ),
) -> None:
    """How a participant is reached (Telegram, SMS, e-mail or nobody), their consents and
    stops, without printing the number or the address; --stop records a STOP the person
    said (only their new consent, in the bot, lifts it)."""
    if stop is not None and stop not in ("sms", "email"):
        raise fail("--stop must be sms or email", 2)
    from bot.db.base import utcnow
    from bot.services.participants import contacts
    from bot.services.participants.reached import Providers, reach_of
    from bot.services.sessions.listings import find_participant

    settings = load_settings()

    def _day(moment) -> str:
        return moment.date().isoformat() if moment else "—"

    async def _contact(session: AsyncSession) -> list[str]:
        person = await find_participant(session, participant.strip().lstrip("#"))
        if person is None:
            raise _ContactRefused(f"no participant {participant!r} (give their external_id or id)")
        reference = person.external_id or f"#{person.id}"
        lines = []
        if stop is not None:
            stopped = contacts.stop(person, stop, utcnow())
            lines.append(f"{reference}: {stop} {'stopped now' if stopped else 'already stopped'}")
        how = await reach_of(session, person, Providers.of(settings))
        lines.append(f"{reference}: reached by {how}")
        for channel, column in (("sms", "phone"), ("email", "email")):
            _contact_column, stopped_column = contacts.COLUMNS[channel]
            if getattr(person, column) is None:
                lines.append(f"  {column}: none")
                continue
            agreed = _day(getattr(person, f"{column}_consent_at"))
            lines.append(
                f"  {column}: yes, agreed {agreed}, stopped {_day(getattr(person, stopped_column))}"
            )
        lines.append(f"  channels: {', '.join(person.channels or ())}")
        lines.append(f"  language: {person.locale or '—'}")
        return lines

    for line in in_session(settings, _contact, _ContactRefused):
        typer.echo(line)
