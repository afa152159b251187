"""Reminders of a booked session, as outbox rows so they survive restarts (DESIGN.md §4).

Rules this module enforces:
- three reminders: 3 days and 1 day before (only those still in the future when the seat is
  booked) and 1 hour before, the last one with the online link (FACTS.md: two reminders
  beat one; personal wording that says the seat is kept for them and that cancelling frees it
  for someone else cuts no-shows);
- each reminder is one outbox row under `reminder:<session>:<participant>:<version>:<when>`
  (version = the session's calendar sequence), so a seat given back cancels its reminders,
  and a session whose time or link changed cancels the old ones and queues a new version
  (including one that was in the past at booking and is in the future after a move).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import ProgrammeSession
from bot.delivery.outbox import OutButton, cancel_prefix, enqueue

REMINDERS = (("3d", timedelta(days=3)), ("1d", timedelta(days=1)), ("1h", timedelta(hours=1)))
BABEL_LOCALES = {"fr": "fr_FR", "nl": "nl_BE"}


def reminder_key(session_id: int, participant_id: int | None = None) -> str:
    """The prefix of a session's reminders, or of one participant's."""
    if participant_id is None:
        return f"reminder:{session_id}:"
    return f"reminder:{session_id}:{participant_id}:"


def session_callback(action: str, session_id: int, extra: str = "") -> str:
    """Callback data of a session button ("ses:<action>:<session id>:<extra>")."""
    return f"ses:{action}:{session_id}:{extra}"


def when_text(moment: datetime, tz: ZoneInfo) -> dict[str, str]:
    """ "jeudi 3 décembre à 14:30" / "donderdag 3 december om 14:30", in programme time."""
    local = moment.astimezone(tz)
    return {
        "fr": format_datetime(local, "EEEE d MMMM 'à' HH:mm", locale=BABEL_LOCALES["fr"]),
        "nl": format_datetime(local, "EEEE d MMMM 'om' HH:mm", locale=BABEL_LOCALES["nl"]),
    }


async def schedule_reminders(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    participant_id: int,
    chat_id: int,
    now: datetime,
    tz: ZoneInfo,
) -> int:
    """Queue the reminders still in the future; returns how many."""
    starts_at = as_utc(programme_session.starts_at)
    variables = {
        "title": {"fr": programme_session.title_fr, "nl": programme_session.title_nl or ""},
        "when": when_text(starts_at, tz),
        "url": programme_session.url,
    }
    buttons = [
        [
            OutButton(
                key="reminder-coming",
                callback_data=session_callback("here", programme_session.id),
            ),
            OutButton(
                key="reminder-cancel",
                callback_data=session_callback("cancel", programme_session.id),
            ),
        ]
    ]
    queued = 0
    for when, before in REMINDERS:
        at = starts_at - before
        if at <= now:
            continue
        queued += await enqueue(
            session,
            chat_id=chat_id,
            dedupe_key=(
                f"{reminder_key(programme_session.id, participant_id)}"
                f"{programme_session.sequence or 0}:{when}"
            ),
            key=f"reminder-{when}",
            variables=variables,
            buttons=buttons,
            not_before=at,
            campaign_id=f"session:{programme_session.id}",
        )
    return queued


async def cancel_reminders(session: AsyncSession, session_id: int, participant_id: int) -> int:
    """A seat given back: its reminders not sent yet are cancelled."""
    return await cancel_prefix(session, reminder_key(session_id, participant_id))


async def cancel_session_reminders(session: AsyncSession, session_id: int) -> int:
    """Every pending reminder of a session (it changed, or it is cancelled)."""
    return await cancel_prefix(session, reminder_key(session_id))
