"""Participants: registration with consent, the profile, and the person's data rights."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.checks import AVAILABILITY
from bot.db.base import utcnow
from bot.db.models import Participant, Territory, User
from bot.services.participants import counsellors

DUTCH_LEVELS = ("A0", "A1", "A2", "B1", "B2", "C1")
COMMUTE_KM = (15, 30, 45, 60)
ALERT_MODES = ("instant", "daily", "weekly", "off")
NAME_MAX = 40


@dataclass
class Answers:
    """What the registration flow collected; validated by `register`."""

    first_name: str
    territory: str
    occupations: list[str]
    dutch_level: str
    driving_licence: bool
    has_car: bool | None
    max_commute_km: int
    home_postcode: str | None
    home_lat: float
    home_lon: float
    availability: list[str] = field(default_factory=list)
    alert_mode: str = "daily"

    def problems(self) -> list[str]:
        checks = {
            "first_name": valid_first_name(self.first_name) is not None,
            "territory": self.territory in Territory.ALL,
            "occupations": bool(self.occupations),
            "dutch_level": self.dutch_level in DUTCH_LEVELS,
            "max_commute_km": self.max_commute_km in COMMUTE_KM,
            "availability": set(self.availability) <= set(AVAILABILITY),
            "alert_mode": self.alert_mode in ALERT_MODES,
        }
        return [name for name, ok in checks.items() if not ok]


def valid_first_name(text: str) -> str | None:
    """A first name: 2-40 characters, letters with spaces, hyphens or apostrophes."""
    name = " ".join(text.split())
    if not 2 <= len(name) <= NAME_MAX:
        return None
    if not all(ch.isalpha() or ch in " -'’." for ch in name):
        return None
    return name


async def participant_of(session: AsyncSession, user: User) -> Participant | None:
    return await session.scalar(select(Participant).where(Participant.user_id == user.id))


async def registered(session: AsyncSession, user: User) -> Participant | None:
    """The participant of `user` who gave consent (registered), or None."""
    participant = await participant_of(session, user)
    if participant is None or participant.consent_at is None:
        return None
    return participant


async def is_registered(session: AsyncSession, user: User) -> bool:
    return await registered(session, user) is not None


async def register(
    session: AsyncSession,
    user: User,
    answers: Answers,
    counsellor_id: int | None = None,
) -> Participant:
    """Consent is recorded with the answers, in one go: nothing is kept before consent.
    A person linked to an imported record (invite) updates that record. They get their
    counsellor (`counsellors.assign_at_registration`: the one of their link, `counsellor_id`,
    else their territory's)."""
    problems = answers.problems()
    if problems:
        raise ValueError(f"invalid answers: {', '.join(problems)}")
    participant = await participant_of(session, user)
    if participant is None:
        participant = Participant(user_id=user.id, joined=utcnow().date())
        session.add(participant)
    now = utcnow()
    participant.consent_at = participant.consent_at or now
    participant.first_name = valid_first_name(answers.first_name)
    participant.territory = answers.territory
    participant.occupations = list(dict.fromkeys(answers.occupations))
    participant.dutch_level = answers.dutch_level
    participant.driving_licence = answers.driving_licence
    participant.has_car = answers.has_car if answers.driving_licence else False
    participant.max_commute_km = answers.max_commute_km
    participant.home_postcode = answers.home_postcode
    participant.home_lat = answers.home_lat
    participant.home_lon = answers.home_lon
    participant.availability = [a for a in AVAILABILITY if a in answers.availability]
    participant.alert_mode = answers.alert_mode
    participant.last_contact_at = now
    await session.flush()
    await counsellors.assign_at_registration(session, participant, counsellor_id, now)
    return participant


def profile_fields(participant: Participant) -> dict[str, Any]:
    """The profile as plain values (for the card and for /mydata)."""
    return {
        "first_name": participant.first_name,
        "territory": participant.territory,
        "occupations": list(participant.occupations),
        "dutch_level": participant.dutch_level,
        "driving_licence": participant.driving_licence,
        "has_car": participant.has_car,
        "max_commute_km": participant.max_commute_km,
        "home_postcode": participant.home_postcode,
        "home_lat": participant.home_lat,
        "home_lon": participant.home_lon,
        "availability": list(participant.availability),
        "alert_mode": participant.alert_mode,
    }


_RULES = {
    "first_name": lambda v: valid_first_name(v or "") is not None,
    "territory": lambda v: v in Territory.ALL,
    "occupations": lambda v: bool(v) and all(isinstance(code, str) for code in v),
    "dutch_level": lambda v: v in DUTCH_LEVELS,
    "driving_licence": lambda v: isinstance(v, bool),
    "has_car": lambda v: v is None or isinstance(v, bool),
    "max_commute_km": lambda v: v in COMMUTE_KM,
    "home_postcode": lambda v: v is None or isinstance(v, str),
    "home_lat": lambda v: isinstance(v, int | float),
    "home_lon": lambda v: isinstance(v, int | float),
    "availability": lambda v: set(v) <= set(AVAILABILITY),
    "alert_mode": lambda v: v in ALERT_MODES,
}


async def update_profile(
    session: AsyncSession, participant: Participant, values: dict[str, Any]
) -> None:
    """Change some fields of a registered profile; each value is checked like at registration.
    Someone who moves to another territory gets that territory's counsellor."""
    bad = [name for name, value in values.items() if not _RULES[name](value)]
    if bad:
        raise ValueError(f"invalid profile values: {', '.join(bad)}")
    territory_before = participant.territory
    for name, value in values.items():
        if name == "first_name":
            value = valid_first_name(value)
        if name == "availability":
            value = [a for a in AVAILABILITY if a in value]
        setattr(participant, name, value)
    if values.get("driving_licence") is False:
        participant.has_car = False
    now = utcnow()
    participant.last_contact_at = now
    await session.flush()
    if participant.territory != territory_before:
        await counsellors.follow_territory(session, participant, now)
