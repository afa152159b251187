"""Who follows a participant: one counsellor, their territory's.

Rules this module enforces:
- a person who registers keeps the counsellor of their link (referral or invite) while that
  counsellor is active and works in their territory; otherwise they get the active CET of
  their territory, the least loaded when there are several (fewest people followed, the
  earliest added on a tie); when there is none they have no counsellor, the coordinators
  answer for them (`staff.counsellors_for`) and are told someone waits for one;
- a participant who moves to another territory goes to that territory's counsellor the same
  way;
- a coordinator may hand anyone to any active CET or coordinator; a CET only people of their
  own territory, and only to a CET of that territory; nobody else may;
- everyone concerned is told through the outbox (the new counsellor, the previous one while
  active, the participant), except whoever made the change: they see it happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Participant, ParticipantStatus, Role, Staff
from bot.delivery.outbox import enqueue
from bot.services.desk.tickets import desk_label, tell_participant
from bot.services.participants import keys
from bot.services.staff import rights
from bot.services.staff.members import counsellors_for
from bot.services.staff.rights import COUNSELLING


class ReassignRefused(Exception):
    """Why a reassignment is not allowed: `reason` is one of REFUSALS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REFUSALS = (
    "not-counsellor",  # the new counsellor is not an active CET or coordinator
    "not-allowed",  # the person asking is neither a coordinator nor a CET
    "other-territory",  # a CET asking about someone of another territory
    "colleague-elsewhere",  # a CET handing someone to anyone but a CET of their territory
    "erased",  # the participant erased their data
    "changed",  # someone else changed their counsellor meanwhile
)


@dataclass(frozen=True)
class Follow:
    """Who follows a participant now: their own counsellor (None without an active one)
    and who answers for them (their counsellor, else the territory's CETs, else the
    coordinators; empty when there is no staff at all)."""

    counsellor: Staff | None
    answering: tuple[Staff, ...]


@dataclass(frozen=True)
class Handover:
    before: Staff | None
    after: Staff | None
    changed: bool


def _followed_load():
    """How many people a staff member follows (a subquery correlated to `Staff`): followed
    records that are someone (on Telegram, or imported), not erased ones."""
    return (
        select(func.count(Participant.id))
        .where(
            Participant.counsellor_id == Staff.id,
            Participant.status == ParticipantStatus.FOLLOWED,
            or_(Participant.user_id.is_not(None), Participant.external_id.is_not(None)),
        )
        .correlate(Staff)
        .scalar_subquery()
    )


async def territory_counsellor(session: AsyncSession, territory: str | None) -> Staff | None:
    """The active CET of `territory`; among several the one following the fewest people."""
    if not territory:
        return None
    return await session.scalar(
        select(Staff)
        .where(Staff.active.is_(True), Staff.role == Role.CET, Staff.territory == territory)
        .order_by(_followed_load(), Staff.id)
        .limit(1)
    )


async def own_counsellor(session: AsyncSession, participant: Participant) -> Staff | None:
    """The participant's counsellor while active; None otherwise."""
    if participant.counsellor_id is None:
        return None
    counsellor = await session.get(Staff, participant.counsellor_id)
    return counsellor if counsellor is not None and counsellor.active else None


async def follow_of(session: AsyncSession, participant: Participant | None) -> Follow:
    if participant is None:
        return Follow(None, ())
    counsellor = await own_counsellor(session, participant)
    return Follow(counsellor, tuple(await counsellors_for(session, participant)))


def _fits(member: Staff | None, territory: str | None) -> bool:
    """May follow someone of `territory`: an active coordinator, or an active CET of it."""
    if member is None or not member.active or member.role not in COUNSELLING:
        return False
    return member.role == Role.COORDINATOR or member.territory == territory


async def assign_at_registration(
    session: AsyncSession, participant: Participant, preset_id: int | None, now: datetime
) -> Staff | None:
    """The counsellor of someone who just registered (see the module's rules); the new
    counsellor, or the coordinators when there is none, are told."""
    for candidate_id in (participant.counsellor_id, preset_id):
        candidate = await session.get(Staff, candidate_id) if candidate_id else None
        if _fits(candidate, participant.territory):
            chosen = candidate
            break
    else:
        chosen = await territory_counsellor(session, participant.territory)
    participant.counsellor_id = chosen.id if chosen else None
    await session.flush()
    await _tell_staff(session, participant, None, chosen, None, now, joined=True)
    return chosen


async def follow_territory(
    session: AsyncSession, participant: Participant, now: datetime
) -> Handover:
    """After a move to another territory: that territory's counsellor, unless the current
    one may follow them there (a coordinator)."""
    current = await own_counsellor(session, participant)
    if _fits(current, participant.territory):
        return Handover(current, current, False)
    chosen = await territory_counsellor(session, participant.territory)
    return await _hand_over(session, participant, current, chosen, None, now)


def check_reassign(by: Staff | None, participant: Participant, to: Staff) -> None:
    """Raises ReassignRefused unless `by` (None: the command line, a coordinator's tool)
    may hand `participant` to `to`."""
    if not to.active or to.role not in COUNSELLING:
        raise ReassignRefused("not-counsellor")
    if participant.user_id is None and participant.external_id is None:
        raise ReassignRefused("erased")
    refusal = None if by is None else rights.reassign_refusal(by, participant, to)
    if refusal is not None:
        raise ReassignRefused(refusal)


async def reassign(
    session: AsyncSession,
    participant: Participant,
    to: Staff,
    by: Staff | None,
    now: datetime,
) -> Handover:
    """`to` follows `participant` from now on, when `by` may decide it (`check_reassign`)."""
    check_reassign(by, participant, to)
    before = (
        await session.get(Staff, participant.counsellor_id) if participant.counsellor_id else None
    )
    if before is not None and before.id == to.id:
        return Handover(before, to, False)
    return await _hand_over(session, participant, before, to, by, now)


async def _hand_over(
    session: AsyncSession,
    participant: Participant,
    before: Staff | None,
    after: Staff | None,
    by: Staff | None,
    now: datetime,
) -> Handover:
    """Change the counsellor only if nobody changed it since it was read (no lost update
    when two people reassign at once), then tell who is concerned."""
    if (before.id if before else None) == (after.id if after else None):
        return Handover(before, after, False)
    was = Participant.counsellor_id
    result = await session.execute(
        update(Participant)
        .where(
            Participant.id == participant.id,
            was.is_(None)
            if participant.counsellor_id is None
            else was == participant.counsellor_id,
        )
        .values(counsellor_id=after.id if after else None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ReassignRefused("changed")
    participant.counsellor_id = after.id if after else None
    await session.flush()
    await _tell_staff(session, participant, before, after, by, now, joined=False)
    await _tell_participant(session, participant, before, after, now)
    return Handover(before, after, True)


def _change(participant: Participant, before: Staff | None, after: Staff | None, now) -> str:
    return keys.counsellor_change(
        participant.id, before.id if before else None, after.id if after else None, now
    )


def territory_key(territory: str | None) -> str:
    """How a territory is named (a Fluent key); a staff member without one is of the team."""
    return f"territory-{territory}" if territory else "counsellor-the-team"


async def _tell_staff(
    session: AsyncSession,
    participant: Participant,
    before: Staff | None,
    after: Staff | None,
    by: Staff | None,
    now: datetime,
    *,
    joined: bool,
) -> None:
    # Keyed `lead:<participant>:` like leads: erasing the person drops these while unsent,
    # for they carry the person's first name.
    change = _change(participant, before, after, now)
    label = desk_label(participant)
    told: list[tuple[Staff, str, dict]] = []
    if after is not None:
        key = "counsellor-new-participant" if joined else "counsellor-given"
        told.append((after, key, {"label": label}))
    else:
        coordinators = await session.scalars(
            select(Staff)
            .where(Staff.role == Role.COORDINATOR, Staff.active.is_(True))
            .order_by(Staff.id)
        )
        variables = {
            "label": label,
            "territory": {"key": territory_key(participant.territory)},
            "ref": participant.id,
        }
        told += [(member, "coordinator-participant-waiting", variables) for member in coordinators]
    if before is not None and before.active:
        name = after.name if after else {"key": "counsellor-the-team"}
        told.append((before, "counsellor-taken", {"label": label, "name": name}))
    for member, key, variables in told:
        if by is not None and member.id == by.id:
            continue
        await enqueue(
            session,
            chat_id=member.telegram_id,
            dedupe_key=keys.follow_staff_notice(participant.id, change, member.id),
            key=key,
            variables=variables,
        )


async def _tell_participant(
    session: AsyncSession,
    participant: Participant,
    before: Staff | None,
    after: Staff | None,
    now: datetime,
) -> None:
    if after is not None:
        key = "participant-new-counsellor"
        variables = {"name": after.name, "territory": {"key": territory_key(after.territory)}}
    elif await counsellors_for(session, participant):
        key, variables = "participant-counsellor-team", {}
    else:  # no staff at all: nothing true to promise
        return
    await tell_participant(
        session,
        participant,
        dedupe_key=keys.follow_participant_notice(_change(participant, before, after, now)),
        key=key,
        variables=variables,
    )


async def choices_for(session: AsyncSession, by: Staff) -> list[Staff]:
    """Whom `by` may hand a participant to: for a coordinator every active CET and
    coordinator, for a CET the CETs of their territory, for anyone else nobody."""
    query = select(Staff).where(Staff.active.is_(True)).order_by(Staff.id)
    if by.role == Role.COORDINATOR:
        query = query.where(Staff.role.in_(COUNSELLING))
    elif by.role == Role.CET:
        query = query.where(Staff.role == Role.CET, Staff.territory == by.territory)
    else:
        return []
    return list(await session.scalars(query))


async def find_staff(session: AsyncSession, reference: str) -> Staff | None:
    """An active staff member by Telegram id (what `enavant staff list` and /reassign show)."""
    text = reference.strip()
    if not text.isdigit() or len(text) > 19:
        return None
    return await session.scalar(
        select(Staff).where(Staff.telegram_id == int(text), Staff.active.is_(True))
    )


async def followed_by(session: AsyncSession, member: Staff) -> list[Participant]:
    """The people `member` follows (for handing them all over when they leave)."""
    return list(
        await session.scalars(
            select(Participant)
            .where(
                Participant.counsellor_id == member.id,
                Participant.status == ParticipantStatus.FOLLOWED,
                or_(Participant.user_id.is_not(None), Participant.external_id.is_not(None)),
            )
            .order_by(Participant.id)
        )
    )
