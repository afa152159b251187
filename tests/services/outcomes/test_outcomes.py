"""Outcomes: who may record them, a participant's "I found a job!" and its confirmation, and
the participant's status that follows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.common.dates import day_texts
from bot.db.models import OutboxMessage, Outcome, Participant, Role, Staff
from bot.services.outcomes import records as outcomes
from bot.services.outcomes.records import OutcomeDetails, OutcomeRefused
from bot.services.sessions import organiser
from tests.helpers.people import add_person

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
JOB = OutcomeDetails(
    kind="job",
    start_date=date(2026, 12, 7),
    employer="Vlaamse Verpakking NV",
    occupation="8344.1",
    contract="interim",
)


async def staff(session, telegram_id: int, role: str = Role.CET, territory="LRT") -> Staff:
    member = Staff(
        telegram_id=telegram_id,
        role=role,
        territory=territory,
        name=f"Staff{telegram_id}",
        referral_code=f"ref{telegram_id}",
    )
    session.add(member)
    await session.flush()
    return member


@pytest.fixture
async def karim(session) -> Staff:
    return await staff(session, 9100)


@pytest.fixture
async def amelie(session, karim) -> Participant:
    """Followed in Lille-Roubaix-Tourcoing by Karim, on Telegram (chat 1001)."""
    return await add_person(session, 1, counsellor=karim, telegram_id=1001)


async def outbox_to(session, chat_id: int) -> list[OutboxMessage]:
    return list(
        await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id))
    )


async def test_a_cet_records_a_job_and_the_participant_is_in_work(session, karim, amelie) -> None:
    outcome = await outcomes.record(session, karim, amelie, JOB, NOW, TODAY)
    assert (outcome.confirmed_by, outcome.recorded_by, outcome.contract) == (
        karim.id,
        karim.id,
        "interim",
    )
    assert outcome.confirmed_at is not None
    assert (amelie.status, amelie.status_date, amelie.employer) == (
        "job",
        date(2026, 12, 7),
        "Vlaamse Verpakking NV",
    )


async def test_a_cet_of_another_territory_is_refused(session, amelie) -> None:
    dunkirk = await staff(session, 9200, territory="FM")
    with pytest.raises(OutcomeRefused) as refused:
        await outcomes.record(session, dunkirk, amelie, JOB, NOW, TODAY)
    assert refused.value.reason == "not_allowed"
    assert amelie.status == "followed"


@pytest.mark.parametrize("role", [Role.VDAB, Role.COORDINATOR])
async def test_vdab_and_coordinators_record_for_everyone(session, amelie, role) -> None:
    member = await staff(session, 9300, role=role, territory=None)
    await outcomes.record(session, member, amelie, JOB, NOW, TODAY)
    assert amelie.status == "job"


async def test_an_ibo_training_puts_the_participant_in_training(session, karim, amelie) -> None:
    ibo = OutcomeDetails(kind="training", start_date=date(2026, 11, 24), training="IBO")
    outcome = await outcomes.record(session, karim, amelie, ibo, NOW, TODAY)
    assert (outcome.training, outcome.employer) == ("IBO", None)
    assert (amelie.status, amelie.status_date) == ("training", date(2026, 11, 24))


async def test_leaving_the_programme_is_dated(session, karim, amelie) -> None:
    left = OutcomeDetails(kind="left", start_date=date(2026, 11, 30))
    await outcomes.record(session, karim, amelie, left, NOW, TODAY)
    assert (amelie.status, amelie.status_date) == ("left", date(2026, 11, 30))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"contract": "forever"}, "contract"),
        ({"employer": " x "}, "employer"),
        ({"occupation": "0000.0"}, "occupation"),
        ({"start_date": date(2028, 1, 1)}, "start_date"),
        ({"start_date": None}, "start_date"),
    ],
)
async def test_a_job_with_a_missing_or_wrong_field_is_refused(
    session, karim, amelie, change, reason
) -> None:
    details = OutcomeDetails(**{**JOB.__dict__, **change})
    with pytest.raises(OutcomeRefused) as refused:
        await outcomes.record(session, karim, amelie, details, NOW, TODAY)
    assert refused.value.reason == reason


async def test_an_older_outcome_does_not_undo_a_later_status(session, karim, amelie) -> None:
    await outcomes.record(session, karim, amelie, JOB, NOW, TODAY)
    older = OutcomeDetails(kind="training", start_date=date(2026, 10, 1), training="Néerlandais")
    await outcomes.record(session, karim, amelie, older, NOW, TODAY)
    assert (amelie.status, amelie.status_date) == ("job", date(2026, 12, 7))


async def test_i_found_a_job_waits_for_the_counsellor_with_confirm_and_correct_buttons(
    session, karim, amelie
) -> None:
    outcome, told = await outcomes.report_job(
        session, amelie, "Vlaamse Verpakking NV", date(2026, 12, 7), NOW
    )
    assert told == 1
    assert outcome.reported_by_participant and outcome.confirmed_at is None
    assert amelie.status == "followed"
    [message] = await outbox_to(session, karim.telegram_id)
    assert message.payload["key"] == "out-reported"
    assert message.payload["vars"]["start"] == day_texts(date(2026, 12, 7))
    buttons = [b["callback_data"] for b in message.payload["buttons"][0]]
    assert buttons == [f"out:ok:{outcome.id}", f"out:fix:{outcome.id}"]


async def test_a_second_report_replaces_the_one_still_waiting(session, karim, amelie) -> None:
    first, _ = await outcomes.report_job(session, amelie, None, None, NOW)
    second, _ = await outcomes.report_job(session, amelie, "Agristo", None, NOW.replace(hour=10))
    assert first.id == second.id and second.employer == "Agristo"
    assert len(list(await session.scalars(select(Outcome)))) == 1


async def test_confirming_a_report_sets_the_status_and_tells_the_participant(
    session, karim, amelie
) -> None:
    outcome, _ = await outcomes.report_job(session, amelie, "Agristo", date(2026, 12, 7), NOW)
    await outcomes.confirm(session, karim, outcome, NOW, TODAY)
    assert (outcome.confirmed_by, amelie.status, amelie.employer) == (karim.id, "job", "Agristo")
    [told] = await outbox_to(session, 1001)
    assert told.payload["key"] == "out-confirmed-participant"


async def test_a_report_without_a_date_is_dated_the_day_it_is_confirmed(
    session, karim, amelie
) -> None:
    outcome, _ = await outcomes.report_job(session, amelie, None, None, NOW)
    await outcomes.confirm(session, karim, outcome, NOW, TODAY)
    assert (outcome.start_date, amelie.status_date) == (TODAY, TODAY)


async def test_a_report_is_confirmed_once(session, karim, amelie) -> None:
    outcome, _ = await outcomes.report_job(session, amelie, None, None, NOW)
    await outcomes.confirm(session, karim, outcome, NOW, TODAY)
    with pytest.raises(OutcomeRefused, match="already_confirmed"):
        await outcomes.confirm(session, karim, outcome, NOW, TODAY)


async def test_only_staff_who_follow_the_participant_confirm(session, amelie) -> None:
    outcome, _ = await outcomes.report_job(session, amelie, None, None, NOW)
    dunkirk = await staff(session, 9200, territory="FM")
    with pytest.raises(OutcomeRefused, match="not_allowed"):
        await outcomes.confirm(session, dunkirk, outcome, NOW, TODAY)
    assert outcome.confirmed_at is None


async def test_correcting_a_report_records_the_corrected_job(session, karim, amelie) -> None:
    reported, _ = await outcomes.report_job(session, amelie, "Agrist", None, NOW)
    corrected = await outcomes.record(session, karim, amelie, JOB, NOW, TODAY, correcting=reported)
    assert corrected.id == reported.id and corrected.employer == "Vlaamse Verpakking NV"
    assert corrected.confirmed_by == karim.id and amelie.status == "job"
    assert [m.payload["key"] for m in await outbox_to(session, 1001)] == [
        "out-confirmed-participant"
    ]


async def test_a_cet_finds_only_the_participants_of_their_territory(session, karim) -> None:
    nadia = await add_person(session, 2, on_telegram=False)
    walloon = await add_person(session, 3, on_telegram=False)
    walloon.territory = "WAPI"
    await session.flush()
    assert [p.id for p in await organiser.search_for(session, karim, "person")] == [nadia.id]


@pytest.mark.parametrize(
    ("typed", "today", "day"),
    [
        ("14/01", date(2026, 12, 20), date(2027, 1, 14)),
        ("28/12", date(2027, 1, 5), date(2026, 12, 28)),
        ("7.12.2026", TODAY, date(2026, 12, 7)),
        ("31/02", TODAY, None),
        ("14/01/2030", TODAY, None),
        ("next monday", TODAY, None),
    ],
)
def test_a_typed_day_is_the_nearest_such_day_within_a_year(typed, today, day) -> None:
    assert outcomes.parse_day(typed, today) == day


def test_the_review_buttons_are_the_ones_the_bot_reads() -> None:
    from bot.handlers.outcomes.common import OutcomeReview

    assert OutcomeReview.unpack(outcomes.review_callback("fix", 42)) == OutcomeReview(
        action="fix", outcome_id=42
    )
