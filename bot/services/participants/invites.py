"""Invite links (`/start inv_<token>`) that tie a Telegram account to an imported participant.

Someone imported who is not on Telegram yet but agreed to a phone or an e-mail contact gets
their link by SMS or e-mail (`send_invite_links`): one tap opens the bot and ties their
record, once per invite.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.dates import BABEL_LOCALES, day_text
from bot.db.base import utcnow
from bot.db.models import Invite, Participant, ParticipantStatus
from bot.delivery.outbox import enqueue
from bot.services.participants import keys, reach

INVITE_PREFIX = "inv_"
INVITE_VALIDITY = timedelta(days=30)


@dataclass(frozen=True)
class PendingInvite:
    """What a counsellor needs to send someone their invite."""

    external_id: str
    first_name: str | None
    token: str
    expires_at: datetime

    @property
    def expires_on(self) -> date:
        return self.expires_at.date()


def new_invite_token() -> str:
    """128 random bits in the URL-safe alphabet (A-Za-z0-9_-) that Telegram accepts in a start
    parameter: 22 characters, 26 with the `inv_` prefix (limit 64)."""
    return secrets.token_urlsafe(16)


def invite_payload(token: str) -> str:
    """The start parameter of an invite link (`inv_<token>`); the CLI makes the link of it."""
    return f"{INVITE_PREFIX}{token}"


async def create_invite(
    session: AsyncSession, participant: Participant, now: datetime | None = None
) -> Invite:
    """A fresh single-use invite, valid for 30 days from `now`."""
    now = now or utcnow()
    invite = Invite(
        token=new_invite_token(),
        participant_id=participant.id,
        expires_at=now + INVITE_VALIDITY,
        created_at=now,
    )
    session.add(invite)
    await session.flush()
    return invite


async def current_invite(
    session: AsyncSession, participant: Participant, now: datetime | None = None
) -> Invite:
    """The participant's newest invite that is neither used nor expired, or a fresh one:
    listing invites again hands out the same link until it runs out."""
    now = now or utcnow()
    invite = await session.scalar(
        select(Invite)
        .where(_valid(now), Invite.participant_id == participant.id)
        .order_by(Invite.expires_at.desc())
        .limit(1)
    )
    return invite or await create_invite(session, participant, now)


async def ensure_invites(session: AsyncSession, participant_ids: list[int], now: datetime) -> None:
    """Each of these participants ends up with a valid invite, as `current_invite` would
    give it, in two statements for the lot (an import's batch)."""
    valid = set(
        await session.scalars(
            select(Invite.participant_id).where(
                _valid(now), Invite.participant_id.in_(participant_ids)
            )
        )
    )
    missing = [
        {
            "token": new_invite_token(),
            "participant_id": participant_id,
            "expires_at": now + INVITE_VALIDITY,
            "created_at": now,
        }
        for participant_id in participant_ids
        if participant_id not in valid
    ]
    if missing:
        await session.execute(insert(Invite), missing)


async def redeem_invite(
    session: AsyncSession, token: str, user_id: int, now: datetime | None = None
) -> Participant | None:
    """An invite links the account `user_id` (users.id) to its participant once, before it
    expires. None, and nothing changed, when the token is unknown, used or expired, when the
    record is already linked to an account, or when this account already has a participant.
    The invite is spent with a conditional update, so two simultaneous redemptions of one
    token cannot both succeed. Consent is not given here: the registration flow asks for it.
    """
    now = now or utcnow()
    invite = await session.scalar(select(Invite).where(_valid(now), Invite.token == token))
    if invite is None:
        return None
    participant = await session.get(Participant, invite.participant_id)
    if participant.user_id is not None:
        return None
    already = await session.scalar(select(Participant.id).where(Participant.user_id == user_id))
    if already is not None:
        return None
    spent = await session.execute(
        update(Invite)
        .where(_valid(now), Invite.id == invite.id)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    await session.refresh(invite)
    participant.user_id = user_id
    participant.last_contact_at = now
    await session.flush()
    return participant


async def pending_invites(
    session: AsyncSession, territory: str, now: datetime | None = None
) -> list[PendingInvite]:
    """One valid invite for every imported participant of the territory whose Telegram account
    is not linked yet (creating a fresh one where the last was used or ran out)."""
    now = now or utcnow()
    participants = await session.scalars(
        select(Participant)
        .where(
            Participant.territory == territory,
            Participant.external_id.is_not(None),
            Participant.user_id.is_(None),
        )
        .order_by(Participant.external_id)
    )
    pending = []
    for participant in list(participants):
        invite = await current_invite(session, participant, now)
        pending.append(
            PendingInvite(
                external_id=participant.external_id,
                first_name=participant.first_name,
                token=invite.token,
                # SQLite hands back naive datetimes; they are UTC by construction.
                expires_at=invite.expires_at.replace(tzinfo=UTC),
            )
        )
    return pending


async def send_invite_links(
    session: AsyncSession,
    link: Callable[[str], str],
    now: datetime | None = None,
    *,
    territory: str | None = None,
) -> int:
    """Queue, for every followed imported participant not on Telegram yet (of `territory`,
    when given) who agreed to a phone or an e-mail contact, their invite link (`link` makes
    the t.me URL of a start parameter): by SMS or e-mail, as the sender chooses. Once per
    invite: running it again sends nobody the same link twice. Returns how many were queued."""
    now = now or utcnow()
    query = (
        select(Participant)
        .where(
            Participant.external_id.is_not(None),
            Participant.user_id.is_(None),
            Participant.status == ParticipantStatus.FOLLOWED,
            reach.consented_contact(),
        )
        .order_by(Participant.id)
    )
    if territory is not None:
        query = query.where(Participant.territory == territory)
    queued = 0
    for participant in list(await session.scalars(query)):
        invite = await current_invite(session, participant, now)
        expires = invite.expires_at.replace(tzinfo=UTC).date()
        queued += await enqueue(
            session,
            chat_id=None,
            participant_id=participant.id,
            dedupe_key=keys.join_invite(participant.id, invite.id),
            key="join-invite",
            variables={
                "name": participant.first_name or "",
                "url": link(invite_payload(invite.token)),
                "until": {locale: day_text(expires, locale) for locale in BABEL_LOCALES},
            },
            link_preview=False,
        )
    return queued


def _valid(now: datetime) -> ColumnElement[bool]:
    """Invites that can still be redeemed at `now` (compared in SQL: stored times are UTC)."""
    return Invite.used_at.is_(None) & (Invite.expires_at > now)
