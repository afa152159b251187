"""Who among the staff may act on what: the one place the server asks, on every staff action,
about the object the button or command carries (never about what a button offered).

The rules:
- Coordinators and VDAB consultants act on everything, in every territory. An inactive staff
  member, or anyone of an unknown role, acts on nothing.
- A CET acts on their own territory:
  - a participant of their territory: outcomes (recording, confirming a job), leads ("Write
    to"), messages, a seat booked for them, their attendance;
  - a request (ticket) of such a participant, or one handed to them (they are its counsellor
    now: a colleague's backup while the colleague is away or late);
  - a session they create is open to their territory (alone, with others, or everyone);
  - a session: they *see* it (listed in `/mysessions`, its screen) when they organised it or
    it is open to their territory (targeted to it, alone or with others, or to everyone); they
    *manage* it (change its time, link or seats, cancel it, close the attendance list) when
    they organised it or it targets their territory alone. On any session they see, they see
    the seats and waitlist counts but only their territory's people, and book or mark only
    those: the desk never shows a CET anyone of another territory;
  - a broadcast reaches their own participants, their territory, an occupation or the people
    booked on a session they see, always within their territory; never everyone;
  - the report: their territory's figures only;
  - a vacancy: anyone on staff posts one (the jobs are in West Flanders, for every territory);
    how many followed people it fits, as the poster is told, counts their territory only;
  - reassigning: a coordinator hands anyone to any CET or coordinator; a CET only people of
    their territory, to a CET of it; nobody else may.
A refusal is answered in a few words and logged with ids only (`refused`).
"""

from __future__ import annotations

import logging

from bot.db.models import Participant, ProgrammeSession, Role, Staff, Territory, Ticket

log = logging.getLogger(__name__)

EVERYWHERE = (Role.VDAB, Role.COORDINATOR)
COUNSELLING = (Role.CET, Role.COORDINATOR)
AUDIENCES = ("mine", "territory", "occupation", "session", "everyone")


def everywhere(staff: Staff) -> bool:
    """Acts on every territory: an active coordinator or VDAB consultant."""
    return staff.active and staff.role in EVERYWHERE


def territories_of(staff: Staff) -> tuple[str, ...]:
    """The territories a staff member acts on: a CET their own, others all."""
    if not staff.active:
        return ()
    if staff.role == Role.CET:
        return (staff.territory,) if staff.territory in Territory.ALL else ()
    return Territory.ALL if staff.role in EVERYWHERE else ()


def may_act_on_participant(staff: Staff, participant: Participant) -> bool:
    """Outcomes, leads, messages, bookings and attendance of one person."""
    if everywhere(staff):
        return True
    return participant.territory is not None and participant.territory in territories_of(staff)


def may_handle_ticket(staff: Staff, ticket: Ticket, participant: Participant) -> bool:
    """Read, answer or close a request: its participant's counsellors, or whom it was handed
    to."""
    return (staff.active and ticket.counsellor_id == staff.id) or may_act_on_participant(
        staff, participant
    )


def _targets_only(programme_session: ProgrammeSession, territory: str | None) -> bool:
    return territory is not None and set(programme_session.territories or ()) == {territory}


def may_see_session(staff: Staff, programme_session: ProgrammeSession) -> bool:
    """Listed in the desk, and its screen (counts; people as `may_book_for` says)."""
    if everywhere(staff):
        return True
    if not staff.active or staff.role != Role.CET:
        return False
    if programme_session.created_by == staff.id:
        return True
    targeted = programme_session.territories or Territory.ALL
    return staff.territory in targeted


def may_target(staff: Staff, territories: list[str]) -> bool:
    """Publish a session for `territories` (none: everyone)."""
    if everywhere(staff):
        return True
    return bool(territories_of(staff)) and (not territories or staff.territory in territories)


def may_manage_session(staff: Staff, programme_session: ProgrammeSession) -> bool:
    """Change its time, link or seats, cancel it, close its attendance list."""
    if everywhere(staff):
        return True
    if not staff.active or staff.role != Role.CET:
        return False
    return programme_session.created_by == staff.id or _targets_only(
        programme_session, staff.territory
    )


def may_book_for(
    staff: Staff, programme_session: ProgrammeSession, participant: Participant
) -> bool:
    """See, book a seat for, or mark the attendance of `participant` on the session."""
    return may_see_session(staff, programme_session) and may_act_on_participant(staff, participant)


def audiences_for(staff: Staff) -> tuple[str, ...]:
    """The broadcast audiences a staff member may pick: a CET without a territory, their own
    participants only."""
    if everywhere(staff):
        return AUDIENCES
    if not staff.active or staff.role != Role.CET:
        return ()
    if not territories_of(staff):
        return ("mine",)
    return ("mine", "territory", "occupation", "session")


def report_territories(staff: Staff) -> tuple[str, ...] | None:
    """The territories of the report a staff member gets: None for the whole programme
    (people without a territory included)."""
    return None if everywhere(staff) else territories_of(staff)


def may_reassign(staff: Staff) -> bool:
    """Changing who follows someone is a counsellor's or a coordinator's act."""
    return staff.active and staff.role in COUNSELLING


def reassign_refusal(by: Staff, participant: Participant, to: Staff) -> str | None:
    """Why `by` may not hand `participant` to `to` (a `counsellors.REFUSALS` reason), else
    None."""
    if not may_reassign(by):
        return "not-allowed"
    if by.role == Role.COORDINATOR:
        return None
    if not may_act_on_participant(by, participant):
        return "other-territory"
    if to.role != Role.CET or to.territory != by.territory:
        return "colleague-elsewhere"
    return None


def refused(staff: Staff, action: str, object_id: int | str | None) -> None:
    """The log line of a refusal: ids only."""
    log.warning("rights: staff %s refused %s on %s", staff.id, action, object_id)
