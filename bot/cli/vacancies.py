"""`enavant vacancies`: vacancy files imported (then translated and alerted on), and whom
one vacancy fits."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import (
    batches,
    fail,
    import_file,
    in_session,
    load_settings,
    print_import,
    print_table,
    programme_tz,
)
from bot.config import Settings

app = typer.Typer(help="Vacancies in West Flanders.", no_args_is_help=True)


@app.command("import")
def vacancies_import(
    file: Path = typer.Argument(
        ...,
        help="CSV (UTF-8 or Windows-1252; comma, semicolon or tab), .xlsx or JSON list; "
        ".csv/.xlsx/.json, else sniffed",
    ),
) -> None:
    """Import or update vacancies by external_id; bad rows are reported, good rows imported."""
    from datetime import datetime

    from bot.services.vacancies.offers import VacancyImportError, guess_format, import_vacancies

    settings = load_settings()
    with import_file(file).open("rb") as head:
        fmt = guess_format(file.name, head.read(64))
    # "Expired" and "published in the future" are judged on the programme's calendar.
    today = datetime.now(programme_tz(settings)).date()

    with batches(file) as (held, on_batch):

        async def _import(session: AsyncSession):
            held.append(session)
            report = await import_vacancies(
                session, file, fmt, today, on_batch=on_batch, name=file.name
            )
            # Committed first, so what comes after can never undo the import.
            await session.commit()
            return report, await _after_vacancy_import(session, settings, report)

        report, queued = in_session(settings, _import, VacancyImportError)
    print_import(file, report, f"alerts queued {queued}")
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
    from bot.services.translation.translator import build_translator
    from bot.services.vacancies.alerts import process_vacancies
    from bot.services.vacancies.matches import FollowedIndex

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


@app.command("matches")
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

    from bot.common.clock import today_in
    from bot.i18n import LOCALES, build_core
    from bot.services.vacancies.cards import reason_messages
    from bot.services.vacancies.matches import followed_matches
    from bot.services.vacancies.offers import find_vacancy

    if lang not in LOCALES:
        raise fail(f"--lang must be one of {', '.join(LOCALES)}", 2)
    settings = load_settings()
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

    rows = in_session(settings, _matches, LookupError)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("nobody followed fits this vacancy")
        return
    print_table(
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
