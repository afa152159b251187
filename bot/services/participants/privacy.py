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

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.base import utcnow
from bot.db.models import (
    Booking,
    FsmRecord,
    Invite,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Participant,
    ProgrammeSession,
    Staff,
    Ticket,
    User,
    Vacancy,
    VacancyAlert,
)
from bot.delivery.channels import DEFAULT_ORDER
from bot.services.desk.keys import ticket_messages
from bot.services.participants.keys import about_person
from bot.services.participants.people import participant_of, profile_fields
from bot.services.sessions import seating
from bot.services.sessions.bookings import BookingRefused
from bot.services.sessions.common import ACTIVE
from bot.services.staff.members import counsellors_for

DEFAULT_CHANNELS = tuple(channel.value for channel in DEFAULT_ORDER)


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
            "contacts": contacts_data(participant),
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
    yours = OutboxMessage.chat_id == user.telegram_id
    if participant is not None:
        yours = or_(yours, OutboxMessage.participant_id == participant.id)
    pending = await session.scalars(
        select(OutboxMessage.payload).where(yours, OutboxMessage.status == "pending")
    )
    data["messages_waiting"] = [payload["key"] for payload in pending]
    return data


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def contacts_data(participant: Participant) -> dict[str, Any]:
    """How the person may be reached: their phone and e-mail with the day they agreed and
    the day they said stop, their order of preference, their language."""
    return {
        "phone": participant.phone,
        "phone_consent_at": _when(participant.phone_consent_at),
        "sms_stopped_at": _when(participant.sms_stopped_at),
        "email": participant.email,
        "email_consent_at": _when(participant.email_consent_at),
        "email_stopped_at": _when(participant.email_stopped_at),
        "channels": list(participant.channels or ()),
        "language": participant.locale,
    }


@dataclass(frozen=True)
class Erasure:
    participant_id: int | None
    territory: str | None
    # Who is told, whoever answers for the person: (staff id, Telegram id) each. The
    # notice's key names the erased record and the staff member, by id only.
    told: tuple[tuple[int, int], ...]
    # The person's topic in the counsellors' desk group (their messages copied there), to
    # delete with them.
    desk_thread_id: int | None = None


async def erase(
    session: AsyncSession,
    user: User,
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> Erasure:
    """Erase a person's personal data, every copy of it we hold: the record is anonymised
    (territory, status and dates stay, as anonymous programme figures), what they typed goes
    (an employer they named, comments), and so does every message to them or about them,
    sent or not (leads and notices to staff carry their name). The caller commits, then
    scrubs the database files (`scrub_files`). Seats they held in sessions to come are
    given back (to the first person waiting). Whom to tell: whoever answers for them
    (`staff.counsellors_for`, what /delete promised) and whoever handled their requests."""
    participant = await participant_of(session, user)
    participant_id = territory = desk_thread_id = None
    told: tuple[tuple[int, int], ...] = ()
    if participant is not None:
        participant_id, territory = participant.id, participant.territory
        desk_thread_id = participant.desk_thread_id
        told = await _staff_to_tell(session, participant)
        await session.execute(delete(Invite).where(Invite.participant_id == participant.id))
        await _drop_messages_about(session, participant)
        await _drop_messages_to(session, participant)
        await _give_back_seats(
            session, participant, now or utcnow(), tz or ZoneInfo("Europe/Paris")
        )
        await session.execute(
            update(Outcome)
            .where(Outcome.participant_id == participant.id)
            .values(employer=None, training=None)
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
    return Erasure(participant_id, territory, told, desk_thread_id)


async def _staff_to_tell(
    session: AsyncSession, participant: Participant
) -> tuple[tuple[int, int], ...]:
    """(staff id, Telegram id) of whoever answers for the person and of the active staff
    who were expected to answer, or answered, one of their requests."""
    members = {member.id: member for member in await counsellors_for(session, participant)}
    handled = (
        select(Staff)
        .join(
            Ticket,
            or_(Ticket.counsellor_id == Staff.id, Ticket.first_answer_by == Staff.id),
        )
        .where(Ticket.participant_id == participant.id, Staff.active.is_(True))
    )
    for member in await session.scalars(handled):
        members.setdefault(member.id, member)
    return tuple((member.id, member.telegram_id) for member in members.values())


async def _drop_messages_about(session: AsyncSession, participant: Participant) -> None:
    """Messages to staff about the person (leads, a job reported, a change of counsellor,
    their requests' deadlines): they carry the person's name, sent or not."""
    ticket_ids = list(
        await session.scalars(select(Ticket.id).where(Ticket.participant_id == participant.id))
    )
    prefixes = [about_person(participant.id), *map(ticket_messages, ticket_ids)]
    await session.execute(
        delete(OutboxMessage).where(
            or_(
                *(
                    OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
                    for prefix in prefixes
                )
            )
        )
    )


async def _drop_messages_to(session: AsyncSession, participant: Participant) -> None:
    """Messages for the person by whatever channel: those not sent go (nothing more reaches
    them), and so do those that failed; those sent stay as anonymous counts (the report's
    messages by channel and their cost), without their text, address or provider's id."""
    mine = OutboxMessage.participant_id == participant.id
    await session.execute(
        delete(OutboxMessage).where(mine, OutboxMessage.status != OutboxStatus.SENT)
    )
    sent = await session.execute(select(OutboxMessage.id, OutboxMessage.payload).where(mine))
    for row_id, payload in sent.all():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(
                participant_id=None,
                chat_id=None,
                payload={"key": (payload or {}).get("key")},
                provider_ref=None,
            )
        )


async def scrub_files(engine: AsyncEngine) -> None:
    """After an erasure has committed: on SQLite, the write-ahead log still holds the pages
    as they were (the name, the postcode...) until a checkpoint; they are written back and
    the log emptied. Deleted content in the file itself is zeroed as it is freed
    (`secure_delete`, set on every connection). PostgreSQL reclaims dead rows itself."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


async def _give_back_seats(
    session: AsyncSession, participant: Participant, now: datetime, tz: ZoneInfo
) -> None:
    held = await session.execute(
        select(Booking, ProgrammeSession)
        .join(ProgrammeSession, ProgrammeSession.id == Booking.session_id)
        .where(
            Booking.participant_id == participant.id,
            Booking.status.in_(ACTIVE),
            ProgrammeSession.starts_at > now,
        )
    )
    for _booking, programme_session in held.all():
        try:
            await seating.give_back(session, programme_session, participant.id, now, tz)
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
    participant.desk_thread_id = None
    participant.locale = None
    participant.phone = None
    participant.phone_consent_at = None
    participant.sms_stopped_at = None
    participant.email = None
    participant.email_consent_at = None
    participant.email_stopped_at = None
    participant.channels = list(DEFAULT_CHANNELS)
