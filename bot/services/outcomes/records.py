"""Outcomes: a job, a training or leaving the programme, and the participant's status.

Rules this module enforces:
- staff record and confirm outcomes for the participants they may act on
  (`rights.may_act_on_participant`: a CET their territory's, VDAB consultants and
  coordinators everyone's);
- an outcome staff record is confirmed at once; "I found a job!" from a participant is kept
  unconfirmed (one pending report per person: a new one replaces it) and their counsellor is
  asked to confirm or correct it;
- only a confirmed outcome moves the participant's status (and employer, for a job), and only
  when it is not older than the status they already have; a report without a start date is
  dated the day it was made;
- a job has an employer, a contract (`Contract`) and a start date, and maybe an occupation
  (ESCO code); a training has a name ("IBO", a course) and a start date; leaving has its date
  (kept in `start_date`). Dates lie within a year of today; typed without a year, a date is
  the nearest such day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.dates import day_texts
from bot.common.reference import find_occupation
from bot.db.models import (
    Contract,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    Staff,
    User,
)
from bot.delivery.outbox import OutButton, enqueue
from bot.services.outcomes import keys
from bot.services.outcomes.callbacks import ReviewCallback
from bot.services.sessions.listings import participant_label
from bot.services.staff.members import counsellors_for
from bot.services.staff.rights import may_act_on_participant

EMPLOYER_MAX = Outcome.__table__.c.employer.type.length
TRAINING_MAX = Outcome.__table__.c.training.type.length
DATE_WINDOW = timedelta(days=366)
STATUS_OF = {
    OutcomeKind.JOB: ParticipantStatus.JOB,
    OutcomeKind.TRAINING: ParticipantStatus.TRAINING,
    OutcomeKind.LEFT: ParticipantStatus.LEFT,
}
_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")


class OutcomeRefused(Exception):
    """Why an outcome cannot be recorded or confirmed: `reason` is "not_allowed",
    "already_confirmed", or the field that is missing or wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutcomeDetails:
    """What staff say about an outcome; which fields count depends on the kind."""

    kind: str
    start_date: date | None
    employer: str | None = None
    occupation: str | None = None
    contract: str | None = None
    training: str | None = None

    def problem(self, today: date) -> str | None:
        """The first field that is missing or wrong, else None."""
        if self.kind not in OutcomeKind.ALL:
            return "kind"
        if self.kind == OutcomeKind.JOB:
            if valid_text(self.employer or "", EMPLOYER_MAX) is None:
                return "employer"
            if self.occupation is not None and find_occupation(self.occupation) is None:
                return "occupation"
            if self.contract not in Contract.ALL:
                return "contract"
        if (
            self.kind == OutcomeKind.TRAINING
            and valid_text(self.training or "", TRAINING_MAX) is None
        ):
            return "training"
        if self.start_date is None or abs(self.start_date - today) > DATE_WINDOW:
            return "start_date"
        return None


def valid_text(text: str, longest: int) -> str | None:
    """An employer or training name: spaces tidied, 2 to `longest` characters."""
    cleaned = " ".join(text.split())
    return cleaned if 2 <= len(cleaned) <= longest else None


def parse_day(text: str, today: date) -> date | None:
    """A day typed day first ("14/01", "14/01/2027"), within a year of today; without a year,
    the nearest such day (typed on 20 December, "03/01" is next January's)."""
    found = _DAY.fullmatch(text.strip())
    if found is None:
        return None
    day, month, year = (int(g) if g else None for g in found.groups())
    candidates = [year] if year else [today.year - 1, today.year, today.year + 1]
    days = []
    for candidate in candidates:
        try:
            days.append(date(candidate, month, day))
        except ValueError:  # 31/02, 29/02 of a common year, month 13...
            continue
    if not days:
        return None
    nearest = min(days, key=lambda d: abs(d - today))
    return nearest if abs(nearest - today) <= DATE_WINDOW else None


def _apply(participant: Participant, outcome: Outcome) -> None:
    """The participant's status follows a confirmed outcome, unless they already moved on
    at a later date."""
    newer = (
        participant.status != ParticipantStatus.FOLLOWED
        and participant.status_date is not None
        and outcome.start_date is not None
        and participant.status_date > outcome.start_date
    )
    if newer:
        return
    participant.status = STATUS_OF[outcome.kind]
    participant.status_date = outcome.start_date
    if outcome.kind == OutcomeKind.JOB and outcome.employer:
        participant.employer = outcome.employer


async def record(
    session: AsyncSession,
    staff: Staff,
    participant: Participant,
    details: OutcomeDetails,
    now: datetime,
    today: date,
    correcting: Outcome | None = None,
) -> Outcome:
    """An outcome recorded (or a participant's report corrected) by staff: confirmed, and
    the participant's status follows."""
    if not may_act_on_participant(staff, participant):
        raise OutcomeRefused("not_allowed")
    if correcting is not None and correcting.participant_id != participant.id:
        raise OutcomeRefused("not_allowed")
    wrong = details.problem(today)
    if wrong is not None:
        raise OutcomeRefused(wrong)
    report_waiting = correcting is not None and correcting.confirmed_at is None
    outcome = correcting or Outcome(participant_id=participant.id, recorded_by=staff.id)
    outcome.kind = details.kind
    job = details.kind == OutcomeKind.JOB
    outcome.employer = valid_text(details.employer, EMPLOYER_MAX) if job else None
    outcome.occupation = details.occupation if job else None
    outcome.contract = details.contract if job else None
    outcome.training = (
        valid_text(details.training, TRAINING_MAX) if details.kind == OutcomeKind.TRAINING else None
    )
    outcome.start_date = details.start_date
    outcome.confirmed_at = now
    outcome.confirmed_by = staff.id
    if correcting is None:
        session.add(outcome)
    _apply(participant, outcome)
    await session.flush()
    if report_waiting:
        await tell_participant(session, participant, outcome)
    return outcome


def review_callback(action: str, outcome_id: int) -> str:
    """ "out:ok:<id>" (confirm) or "out:fix:<id>" (correct): `ReviewCallback`."""
    return ReviewCallback(action=action, outcome_id=outcome_id).pack()


def _day_text(day: date | None) -> dict:
    return day_texts(day) if day else {"key": "out-not-said"}


async def report_job(
    session: AsyncSession,
    participant: Participant,
    employer: str | None,
    start_date: date | None,
    now: datetime,
) -> tuple[Outcome, int]:
    """ "I found a job!": an unconfirmed outcome (replacing a report still waiting), and a
    message with confirm/correct buttons to whoever answers for the participant. Returns
    the outcome and how many staff were told."""
    outcome = await session.scalar(
        select(Outcome).where(
            Outcome.participant_id == participant.id,
            Outcome.reported_by_participant.is_(True),
            Outcome.confirmed_at.is_(None),
        )
    )
    if outcome is None:
        outcome = Outcome(
            participant_id=participant.id, kind=OutcomeKind.JOB, reported_by_participant=True
        )
        session.add(outcome)
    outcome.employer = valid_text(employer, EMPLOYER_MAX) if employer else None
    outcome.start_date = start_date
    outcome.created_at = now
    await session.flush()
    counsellors = await counsellors_for(session, participant)
    for counsellor in counsellors:
        await enqueue(
            session,
            chat_id=counsellor.telegram_id,
            # Keyed by the person, like leads: erasing them drops it while still unsent.
            dedupe_key=keys.job_reported(participant.id, outcome.id, counsellor.id, now),
            key="out-reported",
            variables={
                "label": participant_label(participant),
                "employer": outcome.employer or {"key": "out-not-said"},
                "start": _day_text(start_date),
            },
            buttons=[
                [
                    OutButton(
                        key="out-button-confirm", callback_data=review_callback("ok", outcome.id)
                    ),
                    OutButton(
                        key="out-button-correct", callback_data=review_callback("fix", outcome.id)
                    ),
                ]
            ],
        )
    return outcome, len(counsellors)


async def confirm(
    session: AsyncSession, staff: Staff, outcome: Outcome, now: datetime, today: date
) -> Participant:
    """A participant's report confirmed as it is: the status follows, and they are told."""
    participant = await session.get(Participant, outcome.participant_id)
    if participant is None or not may_act_on_participant(staff, participant):
        raise OutcomeRefused("not_allowed")
    if outcome.confirmed_at is not None:
        raise OutcomeRefused("already_confirmed")
    if outcome.start_date is None:
        outcome.start_date = today
    outcome.confirmed_at = now
    outcome.confirmed_by = staff.id
    _apply(participant, outcome)
    await session.flush()
    await tell_participant(session, participant, outcome)
    return participant


async def tell_participant(
    session: AsyncSession, participant: Participant, outcome: Outcome
) -> None:
    """The participant hears that their counsellor confirmed their new job."""
    user = await session.get(User, participant.user_id) if participant.user_id else None
    if user is None or not outcome.reported_by_participant:
        return
    await enqueue(
        session,
        chat_id=user.telegram_id,
        dedupe_key=keys.job_confirmed(outcome.id),
        key="out-confirmed-participant",
    )
