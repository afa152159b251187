"""Tickets: a participant's request to talk to a human (skeleton: being built)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession


async def check_deadlines(session: AsyncSession, now: datetime, tz: ZoneInfo) -> int:
    """Nudge late counsellors, then hand tickets to the backup. Returns how many acted on."""
    return 0
