"""The answers of the session flow (`bot.flows.sessions.post`), apart from the dialog: each
typed answer checked, with a message per kind of mistake; the start moment worked out in the
programme's time zone; an answer recalled when its step is shown again; the answers as a
`ProgrammeSession`; and the invitation as participants will read it.

Messages come in the reader's language (`i18n`); answers are kept as JSON values (the
conversation state is stored): the day as ISO text, the time as "HH:MM".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.common.checks import SEATS_RANGE, SESSION_URL_MAX, in_utc
from bot.db.models import ProgrammeSession, SessionStatus
from bot.delivery.outbox import message_payload
from bot.delivery.sender import render
from bot.flows.common.answers import Refused, https_url, long_text, one_line, whole
from bot.services.sessions.common import session_vars
from bot.services.vacancies import cards as vacancy_cards

TITLE_MIN = 3
TITLE_MAX = ProgrammeSession.__table__.c.title_fr.type.length
DESCRIPTION_MAX = 2000
URL_MAX = SESSION_URL_MAX
DURATION_RANGE = (15, 480)
CAPACITY_RANGE = SEATS_RANGE
RECALLED_MAX = 120  # a long description is recalled by its beginning only

# What the buttons offer; anything else in range may be typed.
TIMES = ("09:00", "10:00", "11:00", "13:30", "14:00", "16:00", "18:00")
DURATIONS = (30, 45, 60, 90, 120)
CAPACITIES = (10, 15, 20, 30)
CUTOFFS = (0, 2, 12, 24, 48)

# 14:30, 14.30, 14h30, 14h; Flemish staff write 14u30, 14u.
CLOCK_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2})|[hHuU](\d{2})?)")


def _title(text: str, i18n) -> str:
    return one_line(text, (TITLE_MIN, TITLE_MAX), "spost-title", i18n)


def _description(text: str, i18n) -> str:
    return long_text(text, DESCRIPTION_MAX, "spost-description-long", i18n)


def _duration(text: str, i18n) -> int:
    return whole(text, DURATION_RANGE, "spost-duration-invalid", i18n)


def _capacity(text: str, i18n) -> int:
    return whole(text, CAPACITY_RANGE, "spost-capacity-invalid", i18n)


def _url(text: str, i18n) -> str:
    return https_url(text, URL_MAX, "spost-url-invalid", i18n)


def _clock_time(text: str, i18n) -> str:
    found = CLOCK_TIME.fullmatch(text.strip())
    if not found or int(found[1]) > 23 or int(found[2] or found[3] or 0) > 59:
        raise Refused(i18n.get("spost-time-invalid"))
    hour, minute = int(found[1]), int(found[2] or found[3] or 0)
    return f"{hour:02d}:{minute:02d}"


# Answer name -> check(text, i18n) giving the value to keep, or raising Refused.
CHECKS = {
    "title_fr": _title,
    "title_nl": _title,
    "description_fr": _description,
    "description_nl": _description,
    "time": _clock_time,
    "duration": _duration,
    "url": _url,
    "capacity": _capacity,
}


def start_moment(day: str, clock_time: str, tz: ZoneInfo, now: datetime, i18n) -> datetime:
    """The start (aware, UTC) of a session on `day` at `clock_time` in the programme's zone;
    Refused when that moment is not after `now`, or when the clocks skip that time that day."""
    local = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock_time), tz)
    moment = in_utc(local)
    if moment is None:  # 02:30 on the night clocks go forward
        raise Refused(i18n.get("spost-time-missing"))
    if moment <= now:
        raise Refused(i18n.get("spost-time-past"))
    return moment


def recalled(name: str, value: Any, i18n) -> str | None:
    """An answer already given (the step is shown again after going back), as it reads."""
    if value is None:
        return None
    if name == "duration":
        return i18n.get("spost-minutes", minutes=value)
    return vacancy_cards.shorten(str(value), RECALLED_MAX)


def to_session(
    answers: dict[str, Any],
    starts_at: datetime,
    territories: list[str],
    dutch_levels: list[str],
    created_by: int | None = None,
) -> ProgrammeSession:
    """The answers as a draft session, not yet added to any database session."""
    return ProgrammeSession(
        kind=answers["kind"],
        title_fr=answers["title_fr"],
        title_nl=answers.get("title_nl"),
        description_fr=answers.get("description_fr"),
        description_nl=answers.get("description_nl"),
        starts_at=starts_at,
        duration_min=answers["duration"],
        url=answers["url"],
        capacity=answers["capacity"],
        territories=sorted(territories),
        occupations=list(answers.get("occupations") or ()),
        dutch_levels=sorted(dutch_levels),
        cutoff_hours=answers["cutoff"],
        status=SessionStatus.DRAFT,
        created_by=created_by,
    )


def invitation(programme_session: ProgrammeSession, tz: ZoneInfo, core, locale: str) -> str:
    """The invitation in `locale`, rendered as the outbox renders what `audience.publish`
    queues."""
    variables = {
        **session_vars(programme_session, tz),
        "seats": programme_session.capacity,
    }
    text, _ = render(core, message_payload("session-invite", variables), locale)
    return text
