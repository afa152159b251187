"""The `enavant` command (also `python -m bot`): its command groups assembled, one module
each (`run`, `db`, `outbox`, `staff`, `participants`, `vacancies`, `sessions`, `report`),
what they share in `common`. Nothing here imports aiogram: commands that need it do so inside.
"""

from __future__ import annotations

import typer

from bot.cli import db, outbox, participants, report, run, sessions, staff, vacancies

app = typer.Typer(help="En Avant · Vooruit: the cross-border jobs assistant.", no_args_is_help=True)
app.add_typer(db.app, name="db")
app.add_typer(outbox.app, name="outbox")
app.add_typer(staff.app, name="staff")
app.add_typer(participants.app, name="participants")
app.add_typer(vacancies.app, name="vacancies")
app.add_typer(sessions.app, name="sessions")
app.command()(run.run)
app.command()(run.demo)
app.command()(run.sandbox)
app.command()(report.report)


def main() -> None:
    app()
