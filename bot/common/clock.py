"""The bot's time: `Now`, what handlers get as `current_time` (the wall clock, or a shifted one in
tests and the demo), and the day it is in the programme's time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.db.base import utcnow

Now = Callable[[], datetime]


def today_in(tz: ZoneInfo, now: datetime | None = None) -> date:
    """The day `now` (by default the wall clock) falls on in `tz`."""
    return (now or utcnow()).astimezone(tz).date()
