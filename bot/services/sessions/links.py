"""One-tap booking links for people without Telegram (issue 16): a short signed link in an
SMS or an e-mail invitation, opened on the webhook server's page (`bot/web/links.py`),
which confirms a seat with one tap, without any login.

Rules this module enforces:
- a link names what it does ("book"), the session, the participant and when it expires, and
  is signed with HMAC-SHA256 (LINK_SECRET): nobody can make one for another person or
  another session, nor stretch its life;
- it is short enough for an SMS: the numbers packed as variable-length integers and the
  signature cut to 12 bytes, in URL-safe base64 (32 characters for ids under two million);
- it expires at the session's booking cut-off, and at most `MAX_DAYS` after it was made;
- it books once: the first booking through it records its digest (`UsedLink`); a second use
  books nothing. A link that is not ours costs nothing: it is refused before any query;
- it books through the same service as the bot's "Book" button (`seating.take_seat`), with
  the same refusals (cancelled, closed, past, cut-off), the waitlist when the session is
  full, the .ics and the reminders;
- only a person the programme still follows may book with it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.base import as_utc
from bot.db.engine import upsert_insert
from bot.db.models import (
    BookingStatus,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    SessionStatus,
    UsedLink,
    User,
)
from bot.delivery.channels import LinkMaker
from bot.i18n import DEFAULT_LOCALE, LOCALES
from bot.services.sessions import agenda, bookings, reminders, seating
from bot.services.sessions.bookings import BookingRefused

BOOK = "book"
KINDS = {BOOK: 1}  # what a link does -> its first byte
KIND_NAMES = {code: name for name, code in KINDS.items()}
MAC_BYTES = 12  # 96 bits: no forgery by guessing, and a short link
MAX_DAYS = 30
# Expiry is counted in minutes from here (fewer bytes than seconds since 1970).
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
MAX_TOKEN_CHARS = 64  # longer than any link made here: refused without decoding
MIN_SECRET_BYTES = 16
PATH = "/b/"  # the page's path on the webhook server
_DOMAIN = b"enavant-link\x00"  # signatures of links are no other signature of ours


@dataclass(frozen=True)
class LinkClaim:
    """What a valid link says; `digest` is its fingerprint (kept once used, never the link)."""

    kind: str
    session_id: int
    participant_id: int
    expires_at: datetime
    digest: str


# --- the token ----------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    if value < 0:
        raise ValueError("only non-negative numbers go in a link")
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varints(data: bytes, count: int) -> list[int] | None:
    """`count` numbers filling `data` exactly, else None."""
    values, value, shift = [], 0, 0
    for byte in data:
        if shift > 63:
            return None
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            values.append(value)
            value, shift = 0, 0
    if shift or len(values) != count:
        return None
    return values


def _mac(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, _DOMAIN + body, hashlib.sha256).digest()[:MAC_BYTES]


def _minutes(moment: datetime) -> int:
    """Whole minutes from EPOCH, rounded down (a link never lives longer than asked)."""
    return max(0, int((as_utc(moment) - EPOCH).total_seconds() // 60))


def sign(
    secret: bytes, kind: str, session_id: int, participant_id: int, expires_at: datetime
) -> str:
    """The token of a link (URL-safe base64, no padding)."""
    body = (
        bytes([KINDS[kind]])
        + _varint(session_id)
        + _varint(participant_id)
        + _varint(_minutes(expires_at))
    )
    return base64.urlsafe_b64encode(body + _mac(secret, body)).rstrip(b"=").decode("ascii")


def verify(secret: bytes, token: str) -> LinkClaim | None:
    """What the token says when it is one of ours, signed with `secret`; else None. Expiry
    is not checked here (an expired link is told as such, not as a forgery)."""
    if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    # One spelling per link: another encoding of the same bytes is not the same link.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != token:
        return None
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if len(body) < 4 or not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    kind = KIND_NAMES.get(body[0])
    numbers = _read_varints(body[1:], 3)
    if kind is None or numbers is None:
        return None
    session_id, participant_id, minutes = numbers
    return LinkClaim(
        kind=kind,
        session_id=session_id,
        participant_id=participant_id,
        expires_at=EPOCH + timedelta(minutes=minutes),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def expiry(programme_session: ProgrammeSession, now: datetime) -> datetime:
    """When a booking link made `now` stops working: the session's cut-off, at the latest
    `MAX_DAYS` from now."""
    cutoff = as_utc(programme_session.starts_at) - timedelta(hours=programme_session.cutoff_hours)
    return min(cutoff, now + timedelta(days=MAX_DAYS))


# --- making links (the outbox sender's `LinkMaker`) ----------------------------------------


class BookingLinks:
    """Makes `{public_url}/b/{token}` for a message about to go by SMS or e-mail; None when
    the session can no longer be booked (the message then goes without a link)."""

    def __init__(
        self,
        public_url: str,
        secret: bytes,
        sessionmaker: async_sessionmaker[AsyncSession],
    ) -> None:
        self.base = public_url.rstrip("/") + PATH
        self.secret = secret
        self.sessionmaker = sessionmaker

    async def __call__(
        self, kind: str, params: dict[str, Any], participant_id: int, now: datetime
    ) -> str | None:
        session_id = params.get("session_id")
        if kind != BOOK or not isinstance(session_id, int):
            return None
        async with self.sessionmaker() as session:
            programme_session = await session.get(ProgrammeSession, session_id)
        if programme_session is None or programme_session.status != SessionStatus.PUBLISHED:
            return None
        expires_at = expiry(programme_session, now)
        if expires_at <= now:
            return None
        return self.base + sign(self.secret, kind, session_id, participant_id, expires_at)


def link_secret(settings: Settings) -> bytes | None:
    """The signing key, when links are set up (PUBLIC_URL with LINK_SECRET). A short secret
    is refused: anyone who guessed it could book for anyone."""
    if not settings.public_url or settings.link_secret is None:
        return None
    secret = settings.link_secret.get_secret_value().encode("utf-8")
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(
            f"LINK_SECRET needs at least {MIN_SECRET_BYTES} characters"
            " (e.g. `openssl rand -hex 32`)"
        )
    return secret


def link_maker(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> LinkMaker | None:
    """The `Channels.links` of the outbox sender; None when PUBLIC_URL is not set."""
    secret = link_secret(settings)
    if secret is None:
        return None
    return BookingLinks(settings.public_url, secret, sessionmaker)


# --- the page's answers ----------------------------------------------------------------------


class LinkState(StrEnum):
    INVALID = "invalid"  # not one of ours
    EXPIRED = "expired"
    USED = "used"
    GONE = "gone"  # the person is no longer followed (or erased their data)
    CANCELLED = "cancelled"  # the session's refusals (`BookingRefused.reason`)
    CLOSED = "closed"
    PAST = "past"
    CUTOFF = "cutoff"
    OPEN = "open"  # may be confirmed
    ALREADY_CONFIRMED = "already_confirmed"
    ALREADY_WAITING = "already_waiting"
    BOOKED = "booked"
    WAITLISTED = "waitlisted"


@dataclass(frozen=True)
class LinkView:
    """What the page says: the state, in the person's language, about the session."""

    state: LinkState
    locale: str = DEFAULT_LOCALE
    programme_session: ProgrammeSession | None = None
    position: int | None = None  # on the waitlist
    plan: str | None = None  # the reminders promised (`reminders.plan`)
    holding: str | None = None  # a used link: the seat (or waitlist place) they hold now


def _locale(participant: Participant | None, user: User | None) -> str:
    """Their Telegram account's language, else the one recorded for them, else French."""
    chosen = (user.locale if user is not None else None) or (
        participant.locale if participant is not None else None
    )
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def _followed(participant: Participant | None) -> bool:
    return (
        participant is not None
        and participant.status == ParticipantStatus.FOLLOWED
        and (participant.user_id is not None or participant.external_id is not None)
    )


async def _checked(
    session: AsyncSession, claim: LinkClaim, now: datetime
) -> tuple[LinkView, Participant | None]:
    """The view of a link before any booking: OPEN, or why it cannot serve."""
    participant = await session.get(Participant, claim.participant_id)
    user = (
        await session.get(User, participant.user_id)
        if participant is not None and participant.user_id is not None
        else None
    )
    locale = _locale(participant, user)
    if claim.kind != BOOK:
        return LinkView(LinkState.INVALID, locale), None
    if await session.get(UsedLink, claim.digest) is not None:
        return await _used(session, claim, participant, locale), None
    if not _followed(participant):
        return LinkView(LinkState.GONE, locale), None
    programme_session = await session.get(ProgrammeSession, claim.session_id)
    if programme_session is None:
        return LinkView(LinkState.INVALID, locale), None
    if claim.expires_at <= now:
        return LinkView(LinkState.EXPIRED, locale, programme_session), None
    return LinkView(LinkState.OPEN, locale, programme_session), participant


async def _used(
    session: AsyncSession, claim: LinkClaim, participant: Participant | None, locale: str
) -> LinkView:
    """A used link, with the seat they hold (a double tap shows the seat, not only "used")."""
    programme_session = await session.get(ProgrammeSession, claim.session_id)
    if participant is None or programme_session is None:
        return LinkView(LinkState.USED, locale)
    offer = await agenda.offer(session, programme_session, participant)
    return LinkView(
        LinkState.USED,
        locale,
        programme_session,
        position=offer.position,
        holding=offer.booking.status if offer.booking is not None else None,
    )


def _refused(view: LinkView, refusal: BookingRefused) -> LinkView:
    return LinkView(LinkState(refusal.reason), view.locale, view.programme_session)


async def look(session: AsyncSession, claim: LinkClaim, now: datetime) -> LinkView:
    """What the page shows when opened (GET): reads only, books nothing (link previews and
    SMS apps open links by themselves)."""
    view, participant = await _checked(session, claim, now)
    if view.state != LinkState.OPEN:
        return view
    programme_session = view.programme_session
    try:  # the rules `bookings.book` applies, read without booking
        bookings._check_open(programme_session, now)
    except BookingRefused as refusal:
        return _refused(view, refusal)
    offer = await agenda.offer(session, programme_session, participant)
    if offer.booking is None:
        return view
    if offer.booking.status == BookingStatus.CONFIRMED:
        return LinkView(LinkState.ALREADY_CONFIRMED, view.locale, programme_session)
    return LinkView(
        LinkState.ALREADY_WAITING, view.locale, programme_session, position=offer.position
    )


async def book(session: AsyncSession, claim: LinkClaim, now: datetime, tz: ZoneInfo) -> LinkView:
    """The tap (POST): a seat, else the waitlist, as with the bot's "Book" button, and the
    link recorded as used. In the caller's transaction, which commits."""
    view, participant = await _checked(session, claim, now)
    if view.state != LinkState.OPEN:
        return view
    programme_session = view.programme_session
    try:
        outcome = await seating.take_seat(session, programme_session, participant.id, now, tz)
    except BookingRefused as refusal:
        return _refused(view, refusal)
    confirmed = outcome.booking.status == BookingStatus.CONFIRMED
    if outcome.already:
        state = LinkState.ALREADY_CONFIRMED if confirmed else LinkState.ALREADY_WAITING
        return LinkView(state, view.locale, programme_session, position=outcome.position)
    await session.execute(
        upsert_insert(session)(UsedLink)
        .values(
            digest=claim.digest,
            used_at=now,
            participant_id=participant.id,
            session_id=programme_session.id,
        )
        .on_conflict_do_nothing(index_elements=["digest"])
    )
    return LinkView(
        LinkState.BOOKED if confirmed else LinkState.WAITLISTED,
        view.locale,
        programme_session,
        position=outcome.position,
        plan=reminders.plan(programme_session.starts_at, now),
    )
