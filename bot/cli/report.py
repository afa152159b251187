"""`enavant report`: the programme's figures per territory over a period, as a table, JSON
or CSV, with an optional chart."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import fail, in_session, load_settings, programme_tz

_REPORT_FORMATS = ("table", "json", "csv")


def _report_day(option: str, text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a date; write it as YYYY-MM-DD") from None


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

    from bot.services.participants.reached import Providers
    from bot.services.reports.programme import as_csv, as_table, build_report, chart_png, texts

    if fmt not in _REPORT_FORMATS:
        raise fail(f"--format must be one of {', '.join(_REPORT_FORMATS)}", 2)
    if lang not in ("fr", "nl"):
        raise fail("--lang must be one of fr, nl", 2)
    settings = load_settings()
    tz = programme_tz(settings)
    today = datetime.now(tz).date()
    first = _report_day("--from", date_from) if date_from else today.replace(day=1)
    last = _report_day("--to", date_to) if date_to else today
    if first > last:
        raise fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")

    async def _build(session: AsyncSession):
        return await build_report(session, first, last, tz, providers=Providers.of(settings))

    figures = in_session(settings, _build)
    text = texts(lang)
    if chart is not None:
        try:
            chart.write_bytes(chart_png(figures, text))
        except OSError as error:
            raise fail(f"cannot write {chart}: {error.strerror or error}") from None
    if fmt == "json":
        typer.echo(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        typer.echo(as_csv(figures), nl=False)
    else:
        typer.echo(as_table(figures, text))
