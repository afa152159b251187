"""The `enavant` command (also `python -m bot`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, get_settings
from bot.db.engine import create_engine, create_sessionmaker, safe_url
from bot.db.migrate import upgrade

app = typer.Typer(help="En Avant · Vooruit: the cross-border jobs assistant.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
outbox_app = typer.Typer(help="Messages waiting to be sent.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")
staff_app = typer.Typer(
    help="Counsellors (CET), VDAB consultants and coordinators.", no_args_is_help=True
)
app.add_typer(staff_app, name="staff")
participants_app = typer.Typer(
    help="Participants: caseload import and invite links.", no_args_is_help=True
)
app.add_typer(participants_app, name="participants")
vacancies_app = typer.Typer(help="Vacancies in West Flanders.", no_args_is_help=True)
app.add_typer(vacancies_app, name="vacancies")
sessions_app = typer.Typer(
    help="Online sessions: company presentations, coaching, information.", no_args_is_help=True
)
app.add_typer(sessions_app, name="sessions")

T = TypeVar("T")


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"enavant: {message}", err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise _fail(f"{name} is invalid: {first['msg']}", 2) from None


def _database_failure(url: str, error: BaseException) -> typer.Exit:
    reason = str(getattr(error, "orig", None) or error).splitlines()[0][:160]
    return _fail(f"cannot use the database {safe_url(url)}: {reason}")


def _in_session(
    settings: Settings,
    work: Callable[[AsyncSession], Awaitable[T]],
    refusal: type[Exception] | tuple[type[Exception], ...] = (),
) -> T:
    """Run `work` in one transaction on an up-to-date schema. A `refusal` (the service's own
    error, whose message says why) or an unusable database is one line and a non-zero exit."""

    async def _run() -> T:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            async with create_sessionmaker(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(_run())
    except refusal as error:
        raise _fail(str(error)) from None
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None


def _bot_username(settings: Settings) -> str:
    """BOT_USERNAME, or else the username Telegram gives for BOT_TOKEN (getMe)."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if not settings.bot_token:
        raise _fail("set BOT_USERNAME (or BOT_TOKEN to ask Telegram for it) to build links", 2)
    # aiogram takes seconds to import: only commands that talk to Telegram pay for it.
    from aiogram.exceptions import (
        TelegramAPIError,
        TelegramNetworkError,
        TelegramUnauthorizedError,
    )

    from bot.app import create_bot, create_limiter

    async def _ask() -> str | None:
        bot = create_bot(settings, create_limiter(settings))
        try:
            return (await bot.get_me()).username
        finally:
            await bot.session.close()

    try:
        username = asyncio.run(_ask())
    except TelegramUnauthorizedError:
        raise _fail("Telegram refused BOT_TOKEN (unauthorized)") from None
    except TelegramNetworkError:
        raise _fail(
            f"cannot reach the Telegram API at {settings.telegram_api_url} to learn the bot's "
            "username; set BOT_USERNAME"
        ) from None
    except TelegramAPIError as error:
        raise _fail(f"Telegram did not give the bot's username: {error.message}") from None
    if not username:
        raise _fail("Telegram did not give the bot's username; set BOT_USERNAME")
    return username


def _import_file(file: Path) -> Path:
    """An import file that exists and can be read; else one line and a non-zero exit."""
    try:
        with file.open("rb"):
            return file
    except OSError as error:
        raise _fail(f"cannot read {file}: {error.strerror or error}") from None


@contextlib.contextmanager
def _batches(file: Path):
    """The `on_batch` of an import from the command line: each batch is committed (a rerun
    after a stop picks up where it was, as imports are idempotent) and forgotten by the
    session, so a large file imports in bounded memory; its refused rows are printed at once,
    and a progress bar runs on a terminal."""
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

    progress = Progress(
        "{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    task = progress.add_task(file.name, total=None)

    async def on_batch(report, table) -> None:
        await report_session[0].commit()
        report_session[0].expunge_all()
        for rejection in report.take_rejections():
            typer.echo(f"{file.name}: {rejection}", err=True)
        done, total = table.progress()
        progress.update(task, completed=done, total=total or None)

    report_session: list[AsyncSession] = []
    with progress:
        yield report_session, on_batch


def _print_import(file: Path, report, *more: str) -> None:
    """The rows refused (stderr), the counts, what followed, and how the file was read."""
    for rejection in report.take_rejections():
        typer.echo(f"{file.name}: {rejection}", err=True)
    for line in (report.summary, *more, f"read as {report.read_as}"):
        typer.echo(line)


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    cells = [header, *(tuple("" if value is None else str(value) for value in row) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        typer.echo(
            "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        )


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@app.command()
def run() -> None:
    """Run the bot with long polling against TELEGRAM_API_URL."""
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import create_app

    settings = _settings()
    if not settings.bot_token:
        raise _fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    _configure_logging(settings.log_level)

    async def _run() -> None:
        bot_app = create_app(settings)
        try:
            try:
                await bot_app.prepare()
            except (SQLAlchemyError, OSError) as error:
                raise _database_failure(settings.database_url, error) from None
            await bot_app.run_polling()
        except TelegramUnauthorizedError:
            raise _fail("Telegram refused BOT_TOKEN (unauthorized)") from None
        except TelegramNetworkError:
            raise _fail(f"cannot reach the Telegram API at {settings.telegram_api_url}") from None
        finally:
            await bot_app.close()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run())


@app.command()
def demo() -> None:
    """Start the sandbox and the bot; chat in a terminal, or print the scripted tour."""
    import sys

    from bot.demo import run_demo

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run_demo(interactive=sys.stdin.isatty()))


@app.command()
def sandbox(
    port: int = typer.Option(8081, help="TCP port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    token: list[str] = typer.Option(["123456:TEST"], help="bot token(s) to accept"),
) -> None:
    """Run a local Telegram Bot API server (for `enavant run` without Telegram)."""
    from bot.sandbox import run_forever

    _configure_logging("INFO")
    typer.echo(f"sandbox Bot API on http://{host}:{port} (tokens: {', '.join(token)})")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_forever(host=host, port=port, tokens=token))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (the bot also does this at start)."""
    settings = _settings()

    async def _upgrade() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(_upgrade())
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    typer.echo(f"database {safe_url(settings.database_url)} is up to date")


@outbox_app.command("status")
def outbox_status() -> None:
    """Messages by status, and how many people blocked the bot."""
    from bot.delivery.status import outbox_counts

    settings = _settings()
    try:
        counts = asyncio.run(outbox_counts(settings.database_url))
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    for name, count in counts.items():
        typer.echo(f"{name}: {count}")


@outbox_app.command("drain")
def outbox_drain() -> None:
    """Send every message that is due now, then exit (the running bot does this by itself)."""
    from bot.app import create_app

    settings = _settings()
    if not settings.bot_token:
        raise _fail("BOT_TOKEN is not set; put it in the environment or in .env", 2)
    _configure_logging(settings.log_level)

    async def _drain() -> int:
        bot_app = create_app(settings)
        try:
            await bot_app.prepare()
            return await bot_app.sender.send_due()
        finally:
            await bot_app.close()

    try:
        handled = asyncio.run(_drain())
    except (SQLAlchemyError, OSError) as error:
        raise _database_failure(settings.database_url, error) from None
    typer.echo(f"{handled} message(s) handled")


@staff_app.command("add")
def staff_add(
    telegram_id: int = typer.Option(..., help="their Telegram user id"),
    role: str = typer.Option(..., help="cet, vdab or coordinator"),
    name: str = typer.Option(..., help="name shown to participants and colleagues"),
    territory: str | None = typer.Option(None, help="LRT, FM or WAPI (required for a cet)"),
) -> None:
    """Add a staff member, or update them (same Telegram id); their referral code is kept."""
    from bot.services.staff import StaffError, add_staff

    settings = _settings()

    async def _add(session: AsyncSession) -> tuple[int, str, str | None]:
        staff = await add_staff(session, telegram_id, role, name, territory)
        return staff.id, staff.role, staff.territory

    staff_id, saved_role, saved_territory = _in_session(settings, _add, StaffError)
    where = f" ({saved_territory})" if saved_territory else ""
    typer.echo(f"staff {staff_id} saved: {saved_role}{where}, Telegram id {telegram_id}")


@staff_app.command("list")
def staff_list() -> None:
    """Everyone who is or was staff."""
    from bot.services.staff import list_staff

    settings = _settings()

    async def _list(session: AsyncSession) -> list[tuple[object, ...]]:
        return [
            (s.id, s.telegram_id, s.role, s.territory or "-", s.name, "yes" if s.active else "no")
            for s in await list_staff(session)
        ]

    rows = _in_session(settings, _list)
    if not rows:
        typer.echo("no staff yet: add them with `enavant staff add`")
        return
    _table(("id", "telegram id", "role", "territory", "name", "active"), rows)


@staff_app.command("remove")
def staff_remove(telegram_id: int = typer.Option(..., help="their Telegram user id")) -> None:
    """Deactivate a staff member: no more staff rights, their referral link stops working."""
    from bot.services.staff import StaffError, deactivate_staff

    settings = _settings()

    async def _remove(session: AsyncSession) -> int:
        return (await deactivate_staff(session, telegram_id)).participants_without_counsellor

    left = _in_session(settings, _remove, StaffError)
    typer.echo(
        f"staff member {telegram_id} deactivated; {left} participant(s) they followed "
        "now have no active counsellor"
    )
    if left:
        typer.echo(
            f"hand them to another counsellor: enavant participants reassign --from {telegram_id}"
            " --to TELEGRAM_ID"
        )


@staff_app.command("cover")
def staff_cover(
    telegram_id: int = typer.Option(..., help="the staff member's Telegram user id"),
    backup: int | None = typer.Option(None, help="Telegram id of who answers when they cannot"),
    away_until: str | None = typer.Option(None, help="away until this date (YYYY-MM-DD)"),
    back: bool = typer.Option(False, "--back", help="they are back: no longer away"),
) -> None:
    """Set a staff member's backup and absence: questions they leave unanswered past one
    working day (or at once, while they are away) go to the backup."""
    from datetime import date

    from bot.services.staff import StaffError, set_cover

    settings = _settings()
    until = None
    if away_until is not None:
        try:
            until = date.fromisoformat(away_until)
        except ValueError:
            raise _fail(f"--away-until: not a date (YYYY-MM-DD): {away_until!r}") from None

    async def _cover(session: AsyncSession) -> tuple[str, str | None, str | None]:
        staff = await set_cover(
            session, telegram_id, backup_telegram_id=backup, away_until=until, back=back
        )
        backup_name = None
        if staff.backup_id is not None:
            from bot.db.models import Staff

            backup_name = (await session.get(Staff, staff.backup_id)).name
        return staff.name, backup_name, staff.away_until and staff.away_until.isoformat()

    name, backup_name, away = _in_session(settings, _cover, StaffError)
    typer.echo(
        f"{name}: backup {backup_name or 'none'}, " + (f"away until {away}" if away else "at work")
    )


@staff_app.command("invite-link")
def staff_invite_link(
    telegram_id: int = typer.Option(..., help="their Telegram user id"),
    qr: Path | None = typer.Option(None, help="also write the link as a QR code PNG here"),
) -> None:
    """Print a staff member's referral link (territory and counsellor preset)."""
    from bot.services.staff import StaffError, qr_png, referral_link, staff_by_telegram_id

    settings = _settings()

    async def _find(session: AsyncSession):
        staff = await staff_by_telegram_id(session, telegram_id)
        if staff is None:
            raise StaffError(f"no active staff member with Telegram id {telegram_id}")
        return staff

    staff = _in_session(settings, _find, StaffError)
    link = referral_link(_bot_username(settings), staff)
    if qr is not None:
        try:
            qr.write_bytes(qr_png(link))
        except OSError as error:
            raise _fail(f"cannot write {qr}: {error.strerror or error}") from None
    typer.echo(link)


@participants_app.command("import")
def participants_import(
    file: Path = typer.Argument(
        ..., help="caseload CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or .xlsx"
    ),
    counsellor_telegram_id: int | None = typer.Option(
        None, help="assign the imported participants to this CET"
    ),
) -> None:
    """Import or update a counsellor's caseload; bad rows are reported, good rows imported."""
    from bot.services.caseload import CaseloadError, import_caseload

    settings = _settings()
    file = _import_file(file)

    with _batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            return await import_caseload(
                session, file, counsellor_telegram_id, on_batch=on_batch, name=file.name
            )

        report = _in_session(settings, _import, CaseloadError)
    _print_import(file, report)
    if report.rejected and not report.imported:
        raise typer.Exit(1)


@participants_app.command("invites")
def participants_invites(
    territory: str = typer.Option(..., help="LRT, FM or WAPI"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Invite links of the territory's imported participants who have not joined yet."""
    from bot.db.models import Territory
    from bot.services.invites import invite_link, pending_invites

    territory = territory.strip().upper()
    if territory not in Territory.ALL:
        raise _fail(f"unknown territory {territory!r}; use one of {', '.join(Territory.ALL)}")
    settings = _settings()
    username = _bot_username(settings)

    async def _pending(session: AsyncSession):
        return await pending_invites(session, territory)

    invites = [
        {
            "external_id": invite.external_id,
            "first_name": invite.first_name,
            "link": invite_link(username, invite.token),
            "expires_at": invite.expires_at.isoformat(timespec="seconds"),
            "expires_on": invite.expires_on.isoformat(),
        }
        for invite in _in_session(settings, _pending)
    ]
    if as_json:
        typer.echo(json.dumps(invites, ensure_ascii=False, indent=2))
    elif not invites:
        typer.echo(f"no participant of {territory} is waiting for an invite")
    else:
        rows = [(i["external_id"], i["first_name"], i["link"], i["expires_on"]) for i in invites]
        _table(("external id", "first name", "link", "expires"), rows)


class _ReassignRefused(Exception):
    """A reassignment that cannot be done; the message says why, in one line."""


_REASSIGN_REFUSALS = {
    "not-counsellor": "only an active cet or coordinator can follow participants",
    "erased": "they erased their data",
    "changed": "their counsellor was changed meanwhile; check and run it again",
}


@participants_app.command("reassign")
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
        raise _fail("give either a PARTICIPANT or --from TELEGRAM_ID", 2)
    from sqlalchemy import select

    from bot.db.base import utcnow
    from bot.db.models import Staff
    from bot.services import counsellors
    from bot.services.sessions import find_participant

    settings = _settings()

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

    lines = _in_session(settings, _reassign, _ReassignRefused)
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo(f"staff member {from_} follows nobody")


# --- vacancies ----------------------------------------------------------------------------


@vacancies_app.command("import")
def vacancies_import(
    file: Path = typer.Argument(
        ...,
        help="CSV (UTF-8 or Windows-1252; comma, semicolon or tab), .xlsx or JSON list; "
        ".csv/.xlsx/.json, else sniffed",
    ),
) -> None:
    """Import or update vacancies by external_id; bad rows are reported, good rows imported."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.services.vacancies import VacancyImportError, guess_format, import_vacancies

    settings = _settings()
    with _import_file(file).open("rb") as head:
        fmt = guess_format(file.name, head.read(64))
    try:
        # "Expired" and "published in the future" are judged on the programme's calendar.
        today = datetime.now(ZoneInfo(settings.tz)).date()
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"TZ {settings.tz!r} is not a known time zone", 2) from None

    with _batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            report = await import_vacancies(
                session, file, fmt, today, on_batch=on_batch, name=file.name
            )
            # Committed first, so what comes after can never undo the import.
            await session.commit()
            return report, await _after_vacancy_import(session, settings, report)

        report, queued = _in_session(settings, _import, VacancyImportError)
    _print_import(file, report, f"alerts queued {queued}")
    if report.rejected and not report.accepted:
        raise typer.Exit(1)


async def _after_vacancy_import(session: AsyncSession, settings: Settings, report) -> int:
    """Once the vacancies are committed: translate them all and queue instant alerts (the
    running bot's outbox sends them at its next tick), a tick's worth at a time, each
    committed and forgotten, so a large file does not bring every vacancy into memory at
    once. Returns the number of alerts queued."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from bot.db.base import utcnow
    from bot.db.models import TranslationState, Vacancy
    from bot.services.alerts import process_vacancies
    from bot.services.matches import FollowedIndex
    from bot.services.translation import build_translator

    translator, tz, followed = build_translator(settings), ZoneInfo(settings.tz), FollowedIndex()
    pending = select(func.count()).where(Vacancy.translation == TranslationState.PENDING)
    queued, left = 0, None
    while True:
        queued += await process_vacancies(session, translator, utcnow(), tz, followed=followed)
        await session.commit()
        session.expunge_all()
        before, left = left, await session.scalar(pending)
        if not left or left == before:  # done, or nothing more can be translated
            return queued


@vacancies_app.command("matches")
def vacancies_matches(
    vacancy: str = typer.Argument(..., help="the vacancy's external_id, or its internal id"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    lang: str = typer.Option("fr", help="language of the reasons: fr or nl"),
) -> None:
    """Every followed participant this vacancy fits, best first, with the reasons; people
    imported but not yet on Telegram are included and marked so."""
    import html
    import json
    from zoneinfo import ZoneInfo

    from bot.i18n import LOCALES, build_core
    from bot.services.alerts import today_in
    from bot.services.matches import followed_matches
    from bot.services.vacancies import find_vacancy
    from bot.services.vacancy_cards import reason_messages

    if lang not in LOCALES:
        raise _fail(f"--lang must be one of {', '.join(LOCALES)}", 2)
    settings = _settings()
    core = build_core()

    async def _matches(session: AsyncSession):
        found = await find_vacancy(session, vacancy)
        if found is None:
            raise LookupError(f"no vacancy {vacancy!r} (give its external_id or id)")
        candidates = await followed_matches(session, found, today_in(ZoneInfo(settings.tz)))
        return [
            {
                "participant": c.external_id or c.participant_id,
                "on_telegram": c.on_telegram,
                "score": c.score,
                "distance_km": c.distance_km,
                "reasons": [
                    html.unescape(core.render(m["key"], lang, m["vars"]))
                    for m in reason_messages(
                        found, c.distance_km, c.exact_occupation, for_staff=True
                    )
                ],
            }
            for c in candidates
        ]

    rows = _in_session(settings, _matches, LookupError)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("nobody followed fits this vacancy")
        return
    _table(
        ("participant", "telegram", "score", "km", "reasons"),
        [
            (
                r["participant"],
                "yes" if r["on_telegram"] else "not yet",
                f"{r['score']:.2f}",
                r["distance_km"],
                " · ".join(r["reasons"]),
            )
            for r in rows
        ],
    )


# --- sessions -----------------------------------------------------------------------------


class _SessionsRefused(Exception):
    """A `sessions` command that cannot be done; the message says why, in one line."""


def _programme_tz(settings: Settings):
    """The programme's time zone (TZ), or a one-line failure."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"TZ {settings.tz!r} is not a known time zone", 2) from None


@sessions_app.command("import")
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
    from bot.services.session_import import SessionImportError, import_sessions

    settings = _settings()
    file = _import_file(file)
    tz = _programme_tz(settings)

    with _batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            return await import_sessions(
                session, file, utcnow(), tz, draft=draft, on_batch=on_batch, name=file.name
            )

        report = _in_session(settings, _import, SessionImportError)
    _print_import(file, report, f"invitations queued {report.invitations}")


@sessions_app.command("list")
def sessions_list(
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
    include_past: bool = typer.Option(
        False, "--all", help="also the sessions that have already started"
    ),
) -> None:
    """Sessions still to come (all with --all), soonest first, with their seats and
    waitlist; times in the programme's time zone (TZ)."""
    from bot.db.base import as_utc, utcnow
    from bot.services.sessions import summaries

    settings = _settings()
    tz = _programme_tz(settings)

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

    rows = _in_session(settings, _list)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no session to come: import some with `enavant sessions import`")
        return
    _table(
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


@sessions_app.command("book")
def sessions_book(
    session_id: int = typer.Argument(..., help="the session's id (see `enavant sessions list`)"),
    participant: str = typer.Argument(..., help="the participant's external_id, or their id"),
) -> None:
    """Book a seat for a participant (a phone call, someone not on Telegram): a seat if one
    is free, else the waitlist. People on Telegram get the .ics and the reminders."""
    from bot.db.base import utcnow
    from bot.db.models import ProgrammeSession
    from bot.services.bookings import BookingRefused
    from bot.services.sessions import ID_MAX, find_participant, take_seat

    settings = _settings()
    tz = _programme_tz(settings)

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

    outcome = _in_session(settings, _book, _SessionsRefused)
    already = "already " if outcome.already else ""
    if outcome.position is None:
        typer.echo(f"{already}confirmed")
    else:
        typer.echo(f"{already}waitlisted, position {outcome.position}")


# --- report -------------------------------------------------------------------------------

_REPORT_FORMATS = ("table", "json", "csv")


def _report_day(option: str, text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option} {text!r} is not a date; write it as YYYY-MM-DD") from None


@app.command()
def report(
    date_from: str | None = typer.Option(
        None, "--from", help="first day, YYYY-MM-DD (default: the 1st of this month)"
    ),
    date_to: str | None = typer.Option(None, "--to", help="last day, YYYY-MM-DD (default: today)"),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
    chart: Path | None = typer.Option(
        None, "--chart", help="also draw followed vs job exits per territory into this PNG"
    ),
    lang: str = typer.Option("fr", help="language of the table and the chart: fr or nl"),
) -> None:
    """The programme's figures per territory over a period (days in the programme's time
    zone): people followed, job and training exits, sessions, alerts and the desk."""
    from datetime import datetime

    from bot.services.report import as_csv, as_table, build_report, chart_png, texts

    if fmt not in _REPORT_FORMATS:
        raise _fail(f"--format must be one of {', '.join(_REPORT_FORMATS)}", 2)
    if lang not in ("fr", "nl"):
        raise _fail("--lang must be one of fr, nl", 2)
    settings = _settings()
    tz = _programme_tz(settings)
    today = datetime.now(tz).date()
    first = _report_day("--from", date_from) if date_from else today.replace(day=1)
    last = _report_day("--to", date_to) if date_to else today
    if first > last:
        raise _fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")

    async def _build(session: AsyncSession):
        return await build_report(session, first, last, tz)

    figures = _in_session(settings, _build)
    text = texts(lang)
    if chart is not None:
        try:
            chart.write_bytes(chart_png(figures, text))
        except OSError as error:
            raise _fail(f"cannot write {chart}: {error.strerror or error}") from None
    if fmt == "json":
        typer.echo(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        typer.echo(as_csv(figures), nl=False)
    else:
        typer.echo(as_table(figures, text))


def main() -> None:
    app()
