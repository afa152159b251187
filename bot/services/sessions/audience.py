"""Who a session is for, and publishing it (DESIGN.md §4 "Bookings"), without aiogram.

Rules this module enforces:
- a published session invites, once each, the invitable participants it targets
  (territories, occupations, Dutch levels; an empty list = everyone), through the outbox,
  outside the quiet hours and at most two weeks before it starts (a series is announced
  session by session);
- invitable (`reach.invitable`): followed, and either consented in the bot and on Telegram,
  or imported with a phone or e-mail consented to (the counsellor recorded that consent):
  the invitation is a message for the participant, and the sender picks Telegram, SMS or
  e-mail when it goes; by SMS or e-mail it carries a one-tap booking link when links are
  set up (`links`).
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import as_utc
from bot.db.models import Participant, ParticipantStatus, ProgrammeSession, SessionStatus, User
from bot.delivery.outbox import OutMessage, enqueue_many
from bot.services.participants import reach
from bot.services.sessions import keys
from bot.services.sessions.common import SessionRefused, session_button, session_vars
from bot.services.vacancies.alerts import outside_quiet_hours

INVITE_AHEAD = timedelta(days=14)


def targets(programme_session: ProgrammeSession, participant: Participant) -> bool:
    """The session's targeting applied to one participant."""
    if programme_session.territories and participant.territory not in (
        programme_session.territories
    ):
        return False
    if programme_session.occupations and not set(participant.occupations or ()) & set(
        programme_session.occupations
    ):
        return False
    return not (
        programme_session.dutch_levels
        and participant.dutch_level not in programme_session.dutch_levels
    )


def followed_with_consent():
    """The condition on a participant the programme follows and who gave consent (whom a
    session invites, or a broadcast may reach)."""
    return and_(
        Participant.status == ParticipantStatus.FOLLOWED,
        Participant.consent_at.is_not(None),
    )


def published_to_come(now: datetime) -> Select[tuple[ProgrammeSession]]:
    """Published sessions still to come, soonest first."""
    return (
        select(ProgrammeSession)
        .where(
            ProgrammeSession.status == SessionStatus.PUBLISHED,
            ProgrammeSession.starts_at > now,
        )
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )


async def audience(
    session: AsyncSession, programme_session: ProgrammeSession
) -> list[tuple[int, int | None]]:
    """(participant id, Telegram chat or None) of everyone the session invites."""
    query = (
        select(Participant, User.telegram_id)
        .outerjoin(User, User.id == Participant.user_id)
        .where(reach.invitable())
        .order_by(Participant.id)
    )
    if programme_session.territories:
        query = query.where(Participant.territory.in_(programme_session.territories))
    if programme_session.dutch_levels:
        query = query.where(Participant.dutch_level.in_(programme_session.dutch_levels))
    rows = (await session.execute(query)).all()
    # Occupations are a JSON list: filtered here, the same way `targets` does.
    return [(p.id, chat) for p, chat in rows if targets(programme_session, p)]


async def publish(
    session: AsyncSession, programme_session: ProgrammeSession, now: datetime, tz: ZoneInfo
) -> int:
    """Publish a draft (or re-run for a published one: nobody is invited twice). Returns how
    many invitations were queued."""
    if programme_session.status == SessionStatus.CANCELLED:
        raise SessionRefused("cancelled")
    if as_utc(programme_session.starts_at) <= now:
        raise SessionRefused("past")
    programme_session.status = SessionStatus.PUBLISHED
    await session.flush()
    people = await audience(session, programme_session)
    variables = {**session_vars(programme_session, tz), "seats": programme_session.capacity}
    book = [[session_button("session-book", "book", programme_session.id).as_json()]]
    book_link = {"link": {"kind": "book", "session_id": programme_session.id}}
    # A series (a ten-week course) would otherwise invite ten times at once: each invitation
    # waits until its session is at most INVITE_AHEAD away, and for the morning.
    send_at = outside_quiet_hours(max(now, as_utc(programme_session.starts_at) - INVITE_AHEAD), tz)
    await enqueue_many(
        session,
        [
            OutMessage(
                chat_id=chat,
                participant_id=pid,
                dedupe_key=keys.session_invite(programme_session.id, pid),
                key="session-invite",
                variables=variables,
                buttons=book,
                not_before=send_at,
                campaign_id=keys.session_campaign(programme_session.id),
                links=book_link,
            )
            for pid, chat in people
        ],
    )
    return len(people)
