"""People in the database: participants, staff, and the places and times they are given."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.db.models import Participant, ParticipantStatus, Role, Staff, User
from bot.services.staff import members as staff_service

PARIS = ZoneInfo("Europe/Paris")
FORKLIFT, WELDER = "8344.1", "7212.3"
LILLE = (50.6330, 3.0586)
KORTRIJK = (50.8280, 3.2649)
# Tuesday 1 December 2026, 10:00 in Paris.
TUESDAY_10H = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def add_person(
    session,
    n: int,
    *,
    mode: str = "instant",
    occupations=(FORKLIFT,),
    status: str = ParticipantStatus.FOLLOWED,
    reachable: bool = True,
    consent: bool = True,
    on_telegram: bool = True,
    counsellor: Staff | None = None,
    telegram_id: int | None = None,
    locale: str = "fr",
) -> Participant:
    user = None
    if on_telegram:
        user = User(telegram_id=telegram_id or 5000 + n, locale=locale, reachable=reachable)
        session.add(user)
        await session.flush()
    participant = Participant(
        user_id=user.id if user else None,
        external_id=f"P{n}",
        consent_at=TUESDAY_10H if consent else None,
        first_name=f"Person{n}",
        territory="LRT",
        occupations=list(occupations),
        dutch_level="A2",
        driving_licence=True,
        max_commute_km=30,
        home_postcode="59000",
        home_lat=LILLE[0],
        home_lon=LILLE[1],
        availability=["day", "shifts"],
        alert_mode=mode,
        status=status,
        counsellor_id=counsellor.id if counsellor else None,
    )
    session.add(participant)
    await session.flush()
    return participant


async def people(session, count: int) -> list[int]:
    """The ids of `count` participants (Person1, Person2...)."""
    return [(await add_person(session, n)).id for n in range(1, count + 1)]


async def add_staff(sessionmaker, telegram_id: int, role: str, name: str, territory=None):
    """A staff member added the way /staff add does."""
    async with sessionmaker() as session:
        member = await staff_service.add_staff(
            session, telegram_id=telegram_id, role=role, name=name, territory=territory
        )
        await session.commit()
        return member


async def add_member(sessionmaker, telegram_id=9100, role=Role.CET, name="Karim", **extra):
    """A staff member as a row (a counsellor in LRT by default), referral code `code<id>`."""
    async with sessionmaker() as session:
        member = Staff(
            telegram_id=telegram_id,
            role=role,
            territory=extra.pop("territory", "LRT" if role == Role.CET else None),
            name=name,
            referral_code=f"code{telegram_id}",
        )
        session.add(member)
        await session.commit()
        return member


async def seed(
    participant, sessionmaker, *, backup: bool = False, mode: str = "instant", locale: str = "fr"
) -> int:
    """Amélie (Person1 · P1 · LRT, Telegram 1001), registered and followed by Karim (9100,
    backed up by Sophie, 9200, when `backup`), has opened her chat with the bot."""
    async with sessionmaker() as session:
        sophie = None
        if backup:
            sophie = Staff(
                telegram_id=9200, role=Role.CET, territory="LRT", name="Sophie", referral_code="s1"
            )
            session.add(sophie)
            await session.flush()
        karim = Staff(
            telegram_id=9100,
            role=Role.CET,
            territory="LRT",
            name="Karim",
            referral_code="k1",
            backup_id=sophie.id if sophie else None,
        )
        session.add(karim)
        await session.flush()
        amelie = await add_person(
            session, 1, mode=mode, counsellor=karim, telegram_id=1001, locale=locale
        )
        await session.commit()
    await participant.send_text("/menu")
    await participant.replies()
    return amelie.id
