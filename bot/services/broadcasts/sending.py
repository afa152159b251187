"""Staff send one message to many participants, without aiogram.

Rules this module enforces:
- the audience is "mine" (the participants whose counsellor I am), a territory, an
  occupation (ESCO code), a session (those booked on it, confirmed or waitlisted) or
  "everyone"; among them only followed, consented participants on Telegram are written to;
- who reaches whom is `rights`' say (a CET their own territory's people only, never
  "everyone"; VDAB consultants and coordinators everyone), checked here whatever the
  buttons offered;
- a broadcast is sent once: one outbox row per person (`broadcast:<id>:<participant>`,
  campaign `broadcast:<id>`); people who blocked the bot get a row too, which the sender
  marks unreachable without calling Telegram (unless they came back meanwhile), so the
  final report counts everything from the campaign's rows;
- a broadcast is done when none of its rows waits any more; its report is queued once.
Everything happens in the caller's transaction; messages leave through the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common import reference
from bot.db.models import (
    Booking,
    Broadcast,
    BroadcastStatus,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ProgrammeSession,
    Staff,
    User,
)
from bot.delivery.outbox import OutMessage, TelegramFile, enqueue, enqueue_many
from bot.services.broadcasts import keys
from bot.services.sessions.audience import followed_with_consent, published_to_come
from bot.services.sessions.common import ACTIVE, ID_MAX
from bot.services.staff import rights

log = logging.getLogger(__name__)

# Below Telegram's 4096 and 1024, leaving room for the header line participants see.
TEXT_MAX = 3500
CAPTION_MAX = 1000
ATTACHMENTS = ("photo", "document")
MESSAGE_KEY = "bc-message"
BLOCKED = "blocked"  # the sender's error for a person who blocked the bot
UPCOMING_SHOWN = 10
SESSIONS_SCANNED = 500  # the programme runs a few sessions a week


class BroadcastRefused(Exception):
    """The broadcast cannot be made: `reason` is "audience" (not this staff member's to
    reach), "unknown" (no such territory, occupation or session), "length", "attachment"
    or "sent" (already sent)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- who may reach whom -------------------------------------------------------------------


async def _checked(
    session: AsyncSession, staff: Staff, audience: str, value: str | None
) -> str | None:
    """The audience's value once the staff member's right to it is checked (None for
    "mine" and "everyone")."""
    if not staff.active or audience not in rights.audiences_for(staff):
        rights.refused(staff, "broadcast-audience", str(audience)[:20])
        raise BroadcastRefused("audience")
    if audience in ("mine", "everyone"):
        return None
    if audience == "territory":
        if value not in rights.territories_of(staff):
            rights.refused(staff, "broadcast-territory", str(value)[:8])
            raise BroadcastRefused("audience")
        return value
    if audience == "occupation":
        found = reference.find_occupation(value or "")
        if found is None or found.code != value:
            raise BroadcastRefused("unknown")
        return value
    number = value or ""
    if not (number.isascii() and number.isdigit() and int(number) <= ID_MAX):
        raise BroadcastRefused("unknown")
    found = await session.get(ProgrammeSession, int(number))
    if found is None:
        raise BroadcastRefused("unknown")
    if not rights.may_see_session(staff, found):
        rights.refused(staff, "broadcast-session", found.id)
        raise BroadcastRefused("audience")
    return value


def _people(staff: Staff, audience: str, value: str | None):
    """(participant id, chat id, reachable, occupations) of the audience on Telegram."""
    query = (
        select(Participant.id, User.telegram_id, User.reachable, Participant.occupations)
        .join(User, User.id == Participant.user_id)
        .where(followed_with_consent())
        .order_by(Participant.id)
    )
    if audience == "mine":
        return query.where(Participant.counsellor_id == staff.id)
    if not rights.everywhere(staff):
        query = query.where(Participant.territory.in_(rights.territories_of(staff)))
    if audience == "territory":
        return query.where(Participant.territory == value)
    if audience == "session":
        return query.join(
            Booking,
            and_(
                Booking.participant_id == Participant.id,
                Booking.session_id == int(value),
                Booking.status.in_(ACTIVE),
            ),
        )
    return query


async def _audience(
    session: AsyncSession, staff: Staff, audience: str, value: str | None
) -> list[tuple[int, int, bool]]:
    """(participant id, chat id, reachable) of everyone the broadcast is for."""
    value = await _checked(session, staff, audience, value)
    rows = (await session.execute(_people(staff, audience, value))).all()
    # Occupations are a JSON list: filtered here, as sessions target them.
    return [
        (pid, chat, reachable)
        for pid, chat, reachable, occupations in rows
        if audience != "occupation" or value in (occupations or ())
    ]


@dataclass(frozen=True)
class Reach:
    reachable: int
    unreachable: int  # blocked the bot: nothing is sent to them


async def count(session: AsyncSession, staff: Staff, audience: str, value: str | None) -> Reach:
    """How many people a broadcast would reach, and how many of them blocked the bot."""
    people = await _audience(session, staff, audience, value)
    reachable = sum(1 for _, _, ok in people if ok)
    return Reach(reachable, len(people) - reachable)


async def upcoming_sessions(
    session: AsyncSession, staff: Staff, now: datetime
) -> list[ProgrammeSession]:
    """The sessions whose booked people `staff` may write to, soonest first."""
    found = await session.scalars(published_to_come(now).limit(SESSIONS_SCANNED))
    return [s for s in found if rights.may_see_session(staff, s)][:UPCOMING_SHOWN]


# --- the message --------------------------------------------------------------------------


def check_message(text: str, attachment: dict[str, Any] | None) -> None:
    """A text of at most TEXT_MAX characters, or a photo or document by its Telegram file_id
    with a caption of at most CAPTION_MAX."""
    if attachment is not None and (
        attachment.get("kind") not in ATTACHMENTS or not attachment.get("file_id")
    ):
        raise BroadcastRefused("attachment")
    limit = TEXT_MAX if attachment is None else CAPTION_MAX
    if len(text) > limit or (attachment is None and not text.strip()):
        raise BroadcastRefused("length")


def message(
    text: str,
    attachment: dict[str, Any] | None,
    chat_id: int,
    dedupe_key: str = "preview",
    **extra: Any,
) -> OutMessage:
    """The message as participants get it (the header line, then the text), for the outbox
    or for the staff member's preview; `extra` are further `OutMessage` fields."""
    file = TelegramFile(attachment["file_id"]) if attachment else None
    return OutMessage(
        chat_id=chat_id,
        dedupe_key=dedupe_key,
        key=MESSAGE_KEY,
        variables={"text": text},
        file=file,
        as_photo=bool(attachment) and attachment["kind"] == "photo",
        **extra,
    )


def campaign(broadcast: Broadcast) -> str:
    return keys.broadcast_campaign(broadcast.id)


# --- sending ------------------------------------------------------------------------------


async def create(
    session: AsyncSession,
    staff: Staff,
    audience: str,
    value: str | None,
    text: str,
    attachment: dict[str, Any] | None = None,
) -> Broadcast:
    """A draft broadcast, once the staff member's right to the audience is checked."""
    value = await _checked(session, staff, audience, value)
    check_message(text, attachment)
    broadcast = Broadcast(
        created_by=staff.id,
        audience=audience,
        audience_value=value,
        text=text,
        attachment=attachment,
        status=BroadcastStatus.DRAFT,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def send(session: AsyncSession, broadcast: Broadcast, now: datetime) -> int:
    """Queue a draft for everyone in its audience (rights checked again: the author may have
    left or moved since); returns how many are reachable, the broadcast's `total`."""
    staff = await session.get(Staff, broadcast.created_by)
    if staff is None:
        raise BroadcastRefused("audience")
    people = await _audience(session, staff, broadcast.audience, broadcast.audience_value)
    check_message(broadcast.text, broadcast.attachment)
    total = sum(1 for _, _, reachable in people if reachable)
    # Conditional: a second press on "Send" (or a second process) sends nothing more.
    started = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status == BroadcastStatus.DRAFT)
        .values(status=BroadcastStatus.SENDING, total=total, sent_at=now, progress_at=now)
    )
    if started.rowcount != 1:
        raise BroadcastRefused("sent")
    campaign_id = campaign(broadcast)
    await enqueue_many(
        session,
        [
            message(
                broadcast.text,
                broadcast.attachment,
                chat,
                keys.broadcast_message(broadcast.id, pid),
                campaign_id=campaign_id,
                not_before=now,
            )
            for pid, chat, _reachable in people
        ],
    )
    await session.refresh(broadcast)
    log.info(
        "broadcast %s by staff %s: %s queued, %s unreachable",
        broadcast.id,
        staff.id,
        total,
        len(people) - total,
    )
    return total


# --- progress and report ------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    sent: int
    pending: int  # waiting, being sent, or to be retried
    failed: int
    unreachable: int  # blocked the bot, before or during the sending

    @property
    def finished(self) -> bool:
        return self.pending == 0


async def progress(session: AsyncSession, broadcast: Broadcast) -> Progress:
    """Where the broadcast's outbox rows are."""
    # Grouped by the error itself (a handful of values): PostgreSQL would not group by a
    # comparison with a bound parameter.
    rows = await session.execute(
        select(OutboxMessage.status, OutboxMessage.error, func.count())
        .where(OutboxMessage.campaign_id == campaign(broadcast))
        .group_by(OutboxMessage.status, OutboxMessage.error)
    )
    sent = pending = failed = unreachable = 0
    for status, error, number in rows:
        blocked = error == BLOCKED
        if status == OutboxStatus.SENT:
            sent += number
        elif status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            pending += number
        elif status == OutboxStatus.FAILED and blocked:
            unreachable += number
        else:  # failed, or cancelled (a person erased meanwhile takes their rows along)
            failed += number
    return Progress(sent, pending, failed, unreachable)


async def claim_progress(
    session: AsyncSession, broadcast: Broadcast, now: datetime, every: timedelta
) -> bool:
    """True for the one process that may edit the progress message now (at most once per
    `every`)."""
    claimed = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast.id,
            Broadcast.status == BroadcastStatus.SENDING,
            or_(Broadcast.progress_at.is_(None), Broadcast.progress_at <= now - every),
        )
        .values(progress_at=now)
    )
    return claimed.rowcount == 1


async def finish(
    session: AsyncSession, broadcast: Broadcast, counts: Progress, now: datetime
) -> bool:
    """Mark a broadcast whose rows were all handled as done and queue its report to the
    author; True for the one process that did it."""
    done = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status == BroadcastStatus.SENDING)
        .values(status=BroadcastStatus.DONE, finished_at=now, progress_at=now)
    )
    if done.rowcount != 1:
        return False
    author = await session.get(Staff, broadcast.created_by)
    chat_id = broadcast.progress_chat_id or (author.telegram_id if author else None)
    if chat_id is not None:
        await enqueue(
            session,
            chat_id=chat_id,
            dedupe_key=keys.broadcast_report(broadcast.id),
            key="bc-report",
            variables={
                "delivered": counts.sent,
                "unreachable": counts.unreachable,
                "failed": counts.failed,
            },
        )
    log.info(
        "broadcast %s done: %s sent, %s unreachable, %s failed",
        broadcast.id,
        counts.sent,
        counts.unreachable,
        counts.failed,
    )
    return True
