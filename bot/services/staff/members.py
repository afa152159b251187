"""Staff: counsellors (CET), VDAB consultants and coordinators, and their referral links."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import date

import qrcode
from qrcode.image.pure import PyPNGImage
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, Role, Staff, Territory, User

REFERRAL_PREFIX = "ref_"
NAME_MAX = 100


class StaffError(ValueError):
    """A staff request that cannot be carried out; the message says why, in one line."""


@dataclass(frozen=True)
class Deactivation:
    staff: Staff
    participants_without_counsellor: int


def new_referral_code() -> str:
    """72 random bits in the URL-safe alphabet (A-Za-z0-9_-), which is exactly what Telegram
    accepts in a start parameter: 12 characters, 16 with the `ref_` prefix (limit 64)."""
    return secrets.token_urlsafe(9)


async def add_staff(
    session: AsyncSession,
    telegram_id: int,
    role: str,
    name: str,
    territory: str | None = None,
) -> Staff:
    """One record per Telegram account: adding the same account again updates it (and makes
    it active again) but keeps its referral code, so links already handed out keep working.
    A CET always belongs to a territory; the others may.
    """
    role = role.strip().lower()
    if role not in Role.ALL:
        raise StaffError(f"unknown role {role!r}; use one of {', '.join(Role.ALL)}")
    territory = territory.strip().upper() if territory and territory.strip() else None
    if territory is not None and territory not in Territory.ALL:
        raise StaffError(f"unknown territory {territory!r}; use one of {', '.join(Territory.ALL)}")
    if role == Role.CET and territory is None:
        raise StaffError(f"a cet needs a territory ({', '.join(Territory.ALL)})")
    name = " ".join(name.split())
    if not name:
        raise StaffError("the name is empty")
    if len(name) > NAME_MAX:
        raise StaffError(f"the name is longer than {NAME_MAX} characters")
    if telegram_id <= 0:
        raise StaffError("a Telegram user id is a positive number")

    staff = await session.scalar(select(Staff).where(Staff.telegram_id == telegram_id))
    if staff is None:
        staff = Staff(telegram_id=telegram_id, referral_code=new_referral_code())
        session.add(staff)
    staff.role = role
    staff.territory = territory
    staff.name = name
    staff.active = True
    await session.flush()
    return staff


async def list_staff(session: AsyncSession, *, include_inactive: bool = True) -> list[Staff]:
    """Everyone who is or was staff, in the order they were added."""
    query = select(Staff).order_by(Staff.id)
    if not include_inactive:
        query = query.where(Staff.active.is_(True))
    return list(await session.scalars(query))


async def deactivate_staff(session: AsyncSession, telegram_id: int) -> Deactivation:
    """A staff member who leaves loses every staff right and their referral link stops
    working; nothing is deleted. Their participants keep their records, and still point to
    them (who followed whom is history), so the count says how many need a new counsellor.
    """
    staff = await session.scalar(select(Staff).where(Staff.telegram_id == telegram_id))
    if staff is None:
        raise StaffError(f"no staff member with Telegram id {telegram_id}")
    staff.active = False
    await session.flush()
    followed = await session.scalar(
        select(func.count()).select_from(Participant).where(Participant.counsellor_id == staff.id)
    )
    return Deactivation(staff, followed or 0)


async def set_cover(
    session: AsyncSession,
    telegram_id: int,
    *,
    backup_telegram_id: int | None = None,
    away_until: date | None = None,
    back: bool = False,
) -> Staff:
    """Who answers a staff member's participants when they are late or away (their backup),
    and until when they are away (`back` clears it). A backup must be another active staff
    member."""
    staff = await session.scalar(select(Staff).where(Staff.telegram_id == telegram_id))
    if staff is None:
        raise StaffError(f"no staff member with Telegram id {telegram_id}")
    if backup_telegram_id is not None:
        backup = await session.scalar(
            select(Staff).where(Staff.telegram_id == backup_telegram_id, Staff.active.is_(True))
        )
        if backup is None:
            raise StaffError(f"no active staff member with Telegram id {backup_telegram_id}")
        if backup.id == staff.id:
            raise StaffError("a staff member cannot be their own backup")
        staff.backup_id = backup.id
    if back:
        staff.away_until = None
    elif away_until is not None:
        staff.away_until = away_until
    await session.flush()
    return staff


async def staff_by_telegram_id(session: AsyncSession, telegram_id: int) -> Staff | None:
    """The active staff record of a Telegram account; None for everyone else, including
    former staff (the server-side check behind every staff action)."""
    return await session.scalar(
        select(Staff).where(Staff.telegram_id == telegram_id, Staff.active.is_(True))
    )


async def staff_by_referral_code(session: AsyncSession, code: str) -> Staff | None:
    """The active staff member whose referral code this is (without the `ref_` prefix);
    None for an unknown code or a staff member who left."""
    return await session.scalar(
        select(Staff).where(Staff.referral_code == code, Staff.active.is_(True))
    )


def referral_payload(staff: Staff) -> str:
    """The start parameter of the link a counsellor hands out (`ref_<code>`): it opens the bot
    with their territory and themselves as counsellor preset. Handlers and the CLI make the
    link of it (aiogram.utils.deep_linking), services import no aiogram."""
    return f"{REFERRAL_PREFIX}{staff.referral_code}"


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG bytes (pure Python, no imaging library needed)."""
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=PyPNGImage).save(buffer)
    return buffer.getvalue()


async def counsellors_for(session: AsyncSession, participant: Participant) -> list[Staff]:
    """Who answers for a participant: their counsellor while active; otherwise the active
    counsellors of their territory; otherwise the coordinators. Nobody is left unheard."""
    if participant.counsellor_id is not None:
        counsellor = await session.get(Staff, participant.counsellor_id)
        if counsellor is not None and counsellor.active:
            return [counsellor]
    active = select(Staff).where(Staff.active.is_(True)).order_by(Staff.id)
    if participant.territory:
        local = (
            await session.scalars(
                active.where(Staff.role == Role.CET, Staff.territory == participant.territory)
            )
        ).all()
        if local:
            return list(local)
    return list((await session.scalars(active.where(Staff.role == Role.COORDINATOR))).all())


async def staff_locales(session: AsyncSession) -> list[tuple[int, str | None]]:
    """(Telegram id, language) of every active staff member, for their command menus."""
    rows = await session.execute(
        select(Staff.telegram_id, User.locale)
        .outerjoin(User, User.telegram_id == Staff.telegram_id)
        .where(Staff.active.is_(True))
        .order_by(Staff.id)
    )
    return [(telegram_id, locale) for telegram_id, locale in rows]
