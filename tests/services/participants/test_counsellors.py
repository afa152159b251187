"""Who follows whom: the territory's counsellor at registration, the least loaded of several,
a link's counsellor only where they work, and who may hand a participant to whom."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import OutboxMessage, Participant, ParticipantStatus
from bot.services.participants import counsellors
from bot.services.participants.counsellors import ReassignRefused
from bot.services.staff import members as staff_service
from tests.helpers.people import add_person

NOW = utcnow()


async def newcomer(session, n: int, territory: str = "LRT") -> Participant:
    person = await add_person(session, n)
    person.territory, person.counsellor_id = territory, None
    await session.flush()
    return person


async def test_the_least_loaded_counsellor_of_the_territory_follows_the_newcomer(session):
    karim = await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
    nora = await staff_service.add_staff(session, 9150, "cet", "Nora", "LRT")
    await staff_service.add_staff(session, 9200, "cet", "Sophie", "FM")
    for n in (1, 2):
        await add_person(session, n, counsellor=karim)
    # Who no longer counts: someone who found a job, an erased record.
    await add_person(session, 3, counsellor=nora, status=ParticipantStatus.JOB)
    erased = await add_person(session, 4, counsellor=nora, on_telegram=False)
    erased.external_id = None
    await add_person(session, 5, counsellor=nora)
    await session.flush()

    person = await newcomer(session, 6)
    assert await counsellors.assign_at_registration(session, person, None, NOW) == nora
    other = await newcomer(session, 7)
    # Now 2 each: the earliest added wins the tie.
    assert await counsellors.assign_at_registration(session, other, None, NOW) == karim


async def test_a_link_s_counsellor_follows_only_in_their_own_territory(session):
    karim = await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
    sophie = await staff_service.add_staff(session, 9200, "cet", "Sophie", "FM")
    lies = await staff_service.add_staff(session, 9300, "coordinator", "Lies")

    in_fm = await newcomer(session, 1, "FM")  # came by Karim's link, then chose FM
    assert await counsellors.assign_at_registration(session, in_fm, karim.id, NOW) == sophie
    in_lrt = await newcomer(session, 2, "LRT")
    assert await counsellors.assign_at_registration(session, in_lrt, karim.id, NOW) == karim
    by_coordinator = await newcomer(session, 3, "WAPI")
    assert await counsellors.assign_at_registration(session, by_coordinator, lies.id, NOW) == lies


async def test_an_invite_whose_counsellor_left_gets_the_territory_s(session):
    karim = await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
    nora = await staff_service.add_staff(session, 9150, "cet", "Nora", "LRT")
    imported = await add_person(session, 1, counsellor=karim)
    await staff_service.deactivate_staff(session, 9100)
    assert await counsellors.assign_at_registration(session, imported, karim.id, NOW) == nora


async def test_nobody_in_the_territory_leaves_no_counsellor_and_tells_the_coordinators(session):
    await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
    lies = await staff_service.add_staff(session, 9300, "coordinator", "Lies")
    person = await newcomer(session, 1, "WAPI")
    assert await counsellors.assign_at_registration(session, person, None, NOW) is None
    assert person.counsellor_id is None
    follow = await counsellors.follow_of(session, person)
    assert (follow.counsellor, follow.answering) == (None, (lies,))
    [notice] = await session.scalars(select(OutboxMessage))
    assert (notice.chat_id, notice.payload["key"]) == (9300, "coordinator-participant-waiting")
    # Ids and a time only: nothing personal in the key; keyed so erasure drops it unsent.
    assert notice.dedupe_key.startswith(f"lead:{person.id}:follow:{person.id}:0-0-")
    assert "Person1" not in notice.dedupe_key


@pytest.mark.parametrize(
    ("by_role", "by_territory", "to", "allowed"),
    [
        ("coordinator", None, "sophie", True),  # a coordinator: anyone, to anyone
        ("coordinator", None, "lies", True),
        ("cet", "LRT", "nora", True),  # a CET: within their territory
        ("cet", "LRT", "sophie", "colleague-elsewhere"),
        ("cet", "LRT", "lies", "colleague-elsewhere"),
        ("cet", "FM", "sophie", "other-territory"),
        ("vdab", None, "nora", "not-allowed"),
        ("coordinator", None, "els", "not-counsellor"),
    ],
)
async def test_who_may_hand_a_participant_to_whom(session, by_role, by_territory, to, allowed):
    team = {
        "nora": await staff_service.add_staff(session, 9150, "cet", "Nora", "LRT"),
        "sophie": await staff_service.add_staff(session, 9200, "cet", "Sophie", "FM"),
        "lies": await staff_service.add_staff(session, 9300, "coordinator", "Lies"),
        "els": await staff_service.add_staff(session, 9500, "vdab", "Els"),
    }
    by = await staff_service.add_staff(session, 9900, by_role, "Asker", by_territory)
    person = await newcomer(session, 1, "LRT")
    if allowed is True:
        handover = await counsellors.reassign(session, person, team[to], by, NOW)
        assert handover.changed and person.counsellor_id == team[to].id
    else:
        with pytest.raises(ReassignRefused) as refused:
            await counsellors.reassign(session, person, team[to], by, NOW)
        assert refused.value.reason == allowed
        assert person.counsellor_id is None


async def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(session):
    nora = await staff_service.add_staff(session, 9150, "cet", "Nora", "LRT")
    karim = await staff_service.add_staff(session, 9100, "cet", "Karim", "LRT")
    person = await newcomer(session, 1)
    await session.commit()
    # Another process gives them to Karim after this one read them.
    await session.execute(
        Participant.__table__.update()
        .where(Participant.id == person.id)
        .values(counsellor_id=karim.id)
    )
    with pytest.raises(ReassignRefused) as refused:
        await counsellors.reassign(session, person, nora, None, NOW)
    assert refused.value.reason == "changed"
