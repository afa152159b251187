"""Data rights: export everything kept about a person, erase it on request (GDPR art. 15, 17).

Erasure keeps only anonymous figures the programme reports to its funders (territory,
outcome, dates, which vacancies were suggested and answered); the Telegram account row,
conversation state, messages and invites go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import (
    Booking,
    FsmRecord,
    Invite,
    OutboxMessage,
    Participant,
    ProgrammeSession,
    User,
    Vacancy,
    VacancyAlert,
)
from bot.services import keys, sessions
from bot.services.bookings import BookingRefused
from bot.services.participants import participant_of, profile_fields
from bot.services.staff import counsellors_for


async def export_data(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything stored about this person, as plain JSON-ready values."""
    participant = await participant_of(session, user)
    data: dict[str, Any] = {
        "telegram_account": {
            "language": user.locale,
            "first_contact": user.created_at.isoformat(),
            "last_seen": user.last_seen_at.isoformat(),
            "reachable": user.reachable,
        }
    }
    if participant is not None:
        data["participant"] = {
            **profile_fields(participant),
            "consent_at": participant.consent_at.isoformat() if participant.consent_at else None,
            "status": participant.status,
            "status_date": participant.status_date.isoformat() if participant.status_date else None,
            "employer": participant.employer,
            "joined": participant.joined.isoformat() if participant.joined else None,
        }
        suggested = await session.execute(
            select(VacancyAlert, Vacancy.external_id, Vacancy.employer)
            .join(Vacancy, Vacancy.id == VacancyAlert.vacancy_id)
            .where(VacancyAlert.participant_id == participant.id)
            .order_by(VacancyAlert.id)
        )
        data["vacancies_suggested"] = [
            {
                "vacancy": external_id,
                "employer": employer,
                "suggested_at": alert.created_at.isoformat(),
                "how": alert.mode,
                "your_answer": alert.response,
                "reason": alert.reason,
            }
            for alert, external_id, employer in suggested
        ]
        booked = await session.execute(
            select(Booking, ProgrammeSession)
            .join(ProgrammeSession, ProgrammeSession.id == Booking.session_id)
            .where(Booking.participant_id == participant.id)
            .order_by(ProgrammeSession.starts_at)
        )
        data["sessions"] = [
            {
                "session": programme_session.title_fr,
                "starts_at": programme_session.starts_at.isoformat(),
                "booking": booking.status,
                "attendance": booking.attendance,
                "rating": booking.rating,
                "comment": booking.comment,
            }
            for booking, programme_session in booked
        ]
    pending = await session.scalars(
        select(OutboxMessage.payload).where(
            OutboxMessage.chat_id == user.telegram_id, OutboxMessage.status == "pending"
        )
    )
    data["messages_waiting"] = [payload["key"] for payload in pending]
    return data


@dataclass(frozen=True)
class Erasure:
    participant_id: int | None
    territory: str | None
    # Who is told, whoever answers for the person: (staff id, Telegram id) each. The
    # notice's key names the erased record and the staff member, by id only.
    told: tuple[tuple[int, int], ...]


async def erase(
    session: AsyncSession,
    user: User,
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> Erasure:
    """Erase a person's personal data; tell the caller whom to inform: whoever answers for
    them (`staff.counsellors_for`: their counsellor, else the territory's, else the
    coordinators), what /delete promised. Seats they held in sessions to come are given
    back (to the first person waiting)."""
    participant = await participant_of(session, user)
    participant_id = territory = None
    told: tuple[tuple[int, int], ...] = ()
    if participant is not None:
        participant_id, territory = participant.id, participant.territory
        told = tuple(
            (member.id, member.telegram_id)
            for member in await counsellors_for(session, participant)
        )
        await session.execute(delete(Invite).where(Invite.participant_id == participant.id))
        # A lead not yet delivered to the counsellor carries the person's name and profile.
        await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.dedupe_key.startswith(keys.about_person(participant.id)),
                OutboxMessage.status == "pending",
            )
        )
        await _give_back_seats(
            session, participant, now or utcnow(), tz or ZoneInfo("Europe/Paris")
        )
        _anonymise(participant)
    telegram_id = user.telegram_id
    await session.execute(delete(OutboxMessage).where(OutboxMessage.chat_id == telegram_id))
    await session.execute(
        delete(FsmRecord).where(FsmRecord.key.like(f"%:{telegram_id}:{telegram_id}:%"))
    )
    await session.flush()
    await session.delete(user)
    await session.flush()
    return Erasure(participant_id, territory, told)


async def _give_back_seats(
    session: AsyncSession, participant: Participant, now: datetime, tz: ZoneInfo
) -> None:
    held = await session.execute(
        select(Booking, ProgrammeSession)
        .join(ProgrammeSession, ProgrammeSession.id == Booking.session_id)
        .where(
            Booking.participant_id == participant.id,
            Booking.status.in_(sessions.ACTIVE),
            ProgrammeSession.starts_at > now,
        )
    )
    for _booking, programme_session in held.all():
        try:
            await sessions.give_back(session, programme_session, participant.id, now, tz)
        except BookingRefused:
            # Past the cut-off the seat stays on the organiser's list (their counsellor is
            # told of the erasure); the reminders go with the person's messages below.
            continue
    # Their words about past sessions are personal; the ratings stay as anonymous figures.
    await session.execute(
        update(Booking).where(Booking.participant_id == participant.id).values(comment=None)
    )


def _anonymise(participant: Participant) -> None:
    """Keep territory, status, dates and counsellor (anonymous programme figures)."""
    participant.user_id = None
    participant.external_id = None
    participant.first_name = None
    participant.occupations = []
    participant.dutch_level = None
    participant.driving_licence = None
    participant.has_car = None
    participant.home_postcode = None
    participant.home_lat = None
    participant.home_lon = None
    participant.availability = []
    participant.employer = None
