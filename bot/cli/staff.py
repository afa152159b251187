"""`enavant staff`: counsellors, VDAB consultants and coordinators added, listed,
removed, covered for while away, and their referral links."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import bot_username, fail, in_session, load_settings, print_table, start_link

app = typer.Typer(
    help="Counsellors (CET), VDAB consultants and coordinators.", no_args_is_help=True
)


@app.command("add")
def staff_add(
    telegram_id: int = typer.Option(..., help="their Telegram user id"),
    role: str = typer.Option(..., help="cet, vdab or coordinator"),
    name: str = typer.Option(..., help="name shown to participants and colleagues"),
    territory: str | None = typer.Option(None, help="LRT, FM or WAPI (required for a cet)"),
) -> None:
    """Add a staff member, or update them (same Telegram id); their referral code is kept."""
    from bot.services.staff.members import StaffError, add_staff

    settings = load_settings()

    async def _add(session: AsyncSession) -> tuple[int, str, str | None]:
        staff = await add_staff(session, telegram_id, role, name, territory)
        return staff.id, staff.role, staff.territory

    staff_id, saved_role, saved_territory = in_session(settings, _add, StaffError)
    where = f" ({saved_territory})" if saved_territory else ""
    typer.echo(f"staff {staff_id} saved: {saved_role}{where}, Telegram id {telegram_id}")


@app.command("list")
def staff_list() -> None:
    """Everyone who is or was staff."""
    from bot.services.staff.members import list_staff

    settings = load_settings()

    async def _list(session: AsyncSession) -> list[tuple[object, ...]]:
        return [
            (s.id, s.telegram_id, s.role, s.territory or "-", s.name, "yes" if s.active else "no")
            for s in await list_staff(session)
        ]

    rows = in_session(settings, _list)
    if not rows:
        typer.echo("no staff yet: add them with `enavant staff add`")
        return
    print_table(("id", "telegram id", "role", "territory", "name", "active"), rows)


@app.command("remove")
def staff_remove(telegram_id: int = typer.Option(..., help="their Telegram user id")) -> None:
    """Deactivate a staff member: no more staff rights, their referral link stops working."""
    from bot.services.staff.members import StaffError, deactivate_staff

    settings = load_settings()

    async def _remove(session: AsyncSession) -> int:
        return (await deactivate_staff(session, telegram_id)).participants_without_counsellor

    left = in_session(settings, _remove, StaffError)
    typer.echo(
        f"staff member {telegram_id} deactivated; {left} participant(s) they followed "
        "now have no active counsellor"
    )
    if left:
        typer.echo(
            f"hand them to another counsellor: enavant participants reassign --from {telegram_id}"
            " --to TELEGRAM_ID"
        )


@app.command("cover")
def staff_cover(
    telegram_id: int = typer.Option(..., help="the staff member's Telegram user id"),
    backup: int | None = typer.Option(None, help="Telegram id of who answers when they cannot"),
    away_until: str | None = typer.Option(None, help="away until this date (YYYY-MM-DD)"),
    back: bool = typer.Option(False, "--back", help="they are back: no longer away"),
) -> None:
    """Set a staff member's backup and absence: questions they leave unanswered past one
    working day (or at once, while they are away) go to the backup."""
    from datetime import date

    from bot.services.staff.members import StaffError, set_cover

    settings = load_settings()
    until = None
    if away_until is not None:
        try:
            until = date.fromisoformat(away_until)
        except ValueError:
            raise fail(f"--away-until: not a date (YYYY-MM-DD): {away_until!r}") from None

    async def _cover(session: AsyncSession) -> tuple[str, str | None, str | None]:
        staff = await set_cover(
            session, telegram_id, backup_telegram_id=backup, away_until=until, back=back
        )
        backup_name = None
        if staff.backup_id is not None:
            from bot.db.models import Staff

            backup_name = (await session.get(Staff, staff.backup_id)).name
        return staff.name, backup_name, staff.away_until and staff.away_until.isoformat()

    name, backup_name, away = in_session(settings, _cover, StaffError)
    typer.echo(
        f"{name}: backup {backup_name or 'none'}, " + (f"away until {away}" if away else "at work")
    )


@app.command("invite-link")
def staff_invite_link(
    telegram_id: int = typer.Option(..., help="their Telegram user id"),
    qr: Path | None = typer.Option(None, help="also write the link as a QR code PNG here"),
) -> None:
    """Print a staff member's referral link (territory and counsellor preset)."""
    from bot.services.staff.members import (
        StaffError,
        qr_png,
        referral_payload,
        staff_by_telegram_id,
    )

    settings = load_settings()

    async def _find(session: AsyncSession):
        staff = await staff_by_telegram_id(session, telegram_id)
        if staff is None:
            raise StaffError(f"no active staff member with Telegram id {telegram_id}")
        return staff

    staff = in_session(settings, _find, StaffError)
    link = start_link(bot_username(settings), referral_payload(staff))
    if qr is not None:
        try:
            qr.write_bytes(qr_png(link))
        except OSError as error:
            raise fail(f"cannot write {qr}: {error.strerror or error}") from None
    typer.echo(link)
