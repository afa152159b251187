"""Reminders of a booked seat, as outbox rows so they survive restarts (DESIGN.md §4).

Rules this module enforces:
- three reminders: 3 days and 1 day before (only those still in the future when the seat is
  taken) and 1 hour before, the last one with the online link (FACTS.md: two reminders
  beat one; personal wording that says the seat is kept for them and that cancelling frees it
  for someone else cuts no-shows);
- a seat taken less than an hour before the start gets the link at once instead;
- they are messages for the participant (`participant_id`): Telegram, else SMS or e-mail,
  chosen when each is sent, so a person booked by their counsellor without Telegram gets them;
- each reminder belongs to one seat and one calendar version (`keys.reminder`): a seat given
  back cancels exactly its own, a seat taken again gets new ones, and a session whose time
  or link changed cancels the old ones and queues a new version (including one that was in
  the past at booking and is in the future after a move).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.dates import BABEL_LOCALES
from bot.db.base import as_utc
from bot.db.models import Booking, ProgrammeSession
from bot.delivery.outbox import OutButton, cancel_prefix, enqueue
from bot.services.sessions import keys
from bot.services.sessions.callbacks import SessionCallback

REMINDERS = (("3d", timedelta(days=3)), ("1d", timedelta(days=1)), ("1h", timedelta(hours=1)))
# The last reminder carries the link; booked later than that, the link comes at once.
LINK_NOW = "now"


def session_callback(action: str, session_id: int, extra: str = "") -> str:
    """Callback data of a session button (`SessionCallback`)."""
    return SessionCallback(action=action, session_id=session_id, extra=extra).pack()


def when_text(moment: datetime, tz: ZoneInfo) -> dict[str, str]:
    """ "jeudi 3 décembre à 14:30" / "donderdag 3 december om 14:30", in programme time."""
    local = moment.astimezone(tz)
    return {
        "fr": format_datetime(local, "EEEE d MMMM 'à' HH:mm", locale=BABEL_LOCALES["fr"]),
        "nl": format_datetime(local, "EEEE d MMMM 'om' HH:mm", locale=BABEL_LOCALES["nl"]),
    }


def planned(starts_at: datetime, now: datetime) -> list[tuple[str, datetime]]:
    """The reminders a seat taken `now` gets, with their times: those still ahead, or the
    link at once when even the last one is past."""
    starts_at = as_utc(starts_at)
    ahead = [(when, starts_at - before) for when, before in REMINDERS if starts_at - before > now]
    return ahead or [(LINK_NOW, now)]


PLANS = {3: "three", 2: "two", 1: "one"}


def plan(starts_at: datetime, now: datetime) -> str:
    """What a confirmation promises, exactly the reminders `planned` queues: "three" (3 days,
    the day before, the hour before), "two", "one" (the hour before) or "now" (the link)."""
    whens = [when for when, _at in planned(starts_at, now)]
    return LINK_NOW if whens == [LINK_NOW] else PLANS[len(whens)]


async def schedule_reminders(
    session: AsyncSession,
    programme_session: ProgrammeSession,
    booking: Booking,
    chat_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> int:
    """Queue the reminders of the seat `booking` holds, for its participant (by the channel
    chosen when each is sent; `chat_id`: their Telegram chat, None when not on Telegram);
    returns how many."""
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
    for when, at in planned(starts_at, now):
        queued += await enqueue(
            session,
            chat_id=chat_id,
            participant_id=booking.participant_id,
            dedupe_key=keys.reminder(
                programme_session.id,
                booking.participant_id,
                booking.seat,
                programme_session.sequence or 0,
                when,
            ),
            key=f"reminder-{when}",
            variables=variables,
            buttons=buttons,
            not_before=at,
            campaign_id=keys.session_campaign(programme_session.id),
            link_preview=False,
        )
    return queued


async def cancel_reminders(session: AsyncSession, booking: Booking) -> int:
    """A seat given back: its reminders not sent yet are cancelled (those of earlier seats
    were cancelled or sent already)."""
    return await cancel_prefix(
        session, keys.seat_reminders(booking.session_id, booking.participant_id, booking.seat)
    )


async def cancel_session_reminders(session: AsyncSession, session_id: int) -> int:
    """Every pending reminder of a session (it changed, or it is cancelled)."""
    return await cancel_prefix(session, keys.seat_reminders(session_id))
