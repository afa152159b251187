"""Who among the staff may act on what (`bot.services.staff.rights`), rule by rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.db.models import Participant, ProgrammeSession, Role, Staff, Ticket
from bot.services.reports import programme as report
from bot.services.staff import rights
from tests.helpers.people import add_person
from tests.helpers.sessions import add_session

KARIM = Staff(id=1, role=Role.CET, territory="LRT", name="Karim", active=True)
INES = Staff(id=2, role=Role.CET, territory="FM", name="Inès", active=True)
CLAIRE = Staff(id=3, role=Role.COORDINATOR, territory=None, name="Claire", active=True)
VDAB = Staff(id=4, role=Role.VDAB, territory=None, name="Wim", active=True)
GONE = Staff(id=5, role=Role.COORDINATOR, territory=None, name="Ex", active=False)
LILLE = Participant(id=10, territory="LRT")
DUNKERQUE = Participant(id=11, territory="FM")


def lille_session(**more) -> ProgrammeSession:
    return ProgrammeSession(id=20, territories=more.pop("territories", ["LRT"]), **more)


@pytest.mark.parametrize(
    ("member", "person", "allowed"),
    [
        (KARIM, LILLE, True),
        (INES, LILLE, False),
        (CLAIRE, LILLE, True),
        (VDAB, DUNKERQUE, True),
        (GONE, LILLE, False),
        (KARIM, Participant(id=12, territory=None), False),
    ],
)
def test_a_cet_acts_on_their_territory_s_people_and_the_others_on_everyone(
    member, person, allowed
) -> None:
    assert rights.may_act_on_participant(member, person) is allowed


def test_a_request_handed_to_a_colleague_of_another_territory_is_theirs_to_handle() -> None:
    handed = Ticket(id=30, participant_id=LILLE.id, counsellor_id=INES.id)
    assert rights.may_handle_ticket(INES, handed, LILLE)
    assert not rights.may_handle_ticket(INES, Ticket(counsellor_id=KARIM.id), LILLE)


def test_a_session_for_lille_alone_is_lille_s_counsellor_s_and_not_dunkerque_s() -> None:
    lille = lille_session()
    assert rights.may_see_session(KARIM, lille) and rights.may_manage_session(KARIM, lille)
    assert not rights.may_see_session(INES, lille) and not rights.may_manage_session(INES, lille)
    assert rights.may_manage_session(CLAIRE, lille) and rights.may_manage_session(VDAB, lille)


def test_a_session_open_to_several_territories_is_seen_not_managed_by_their_counsellors() -> None:
    for territories in (["LRT", "FM"], []):
        shared = lille_session(territories=territories)
        assert rights.may_see_session(INES, shared)
        assert not rights.may_manage_session(INES, shared)
        assert rights.may_book_for(INES, shared, DUNKERQUE)
        assert not rights.may_book_for(INES, shared, LILLE)


def test_the_organiser_manages_their_session_whatever_it_targets() -> None:
    theirs = lille_session(territories=["LRT", "WAPI"], created_by=INES.id)
    assert rights.may_see_session(INES, theirs) and rights.may_manage_session(INES, theirs)
    assert not rights.may_book_for(INES, theirs, LILLE)  # still never another's people


def test_a_cet_may_reassign_only_within_their_territory() -> None:
    assert rights.reassign_refusal(INES, LILLE, INES) == "other-territory"
    assert rights.reassign_refusal(KARIM, LILLE, INES) == "colleague-elsewhere"
    assert rights.reassign_refusal(KARIM, LILLE, KARIM) is None
    assert rights.reassign_refusal(CLAIRE, LILLE, INES) is None
    assert rights.reassign_refusal(VDAB, LILLE, KARIM) == "not-allowed"


async def test_a_cet_s_report_counts_their_territory_alone(session) -> None:
    await add_person(session, 1)  # Lille
    dunkerque = await add_person(session, 2)
    dunkerque.territory = "FM"
    await add_session(session, starts_in=timedelta(hours=-1), territories=["LRT"])
    await add_session(session, starts_in=timedelta(hours=-2))  # everyone
    await session.flush()
    today = datetime.now(report.DEFAULT_TZ).date()

    theirs = await report.build_report(
        session, today - timedelta(days=1), today, territories=rights.report_territories(INES)
    )
    everything = await report.build_report(
        session, today - timedelta(days=1), today, territories=rights.report_territories(CLAIRE)
    )

    assert [f.code for f in theirs.territories] == ["FM"]
    assert (theirs.totals.followed, theirs.totals.sessions_held) == (1, 1)
    assert [f.code for f in everything.territories] == ["LRT", "FM", "WAPI"]
    assert (everything.totals.followed, everything.totals.sessions_held) == (2, 2)


def test_a_cet_publishes_sessions_open_to_their_territory() -> None:
    assert rights.may_target(INES, ["FM"]) and rights.may_target(INES, ["FM", "LRT"])
    assert rights.may_target(INES, [])  # everyone
    assert not rights.may_target(INES, ["LRT"])
    assert rights.may_target(CLAIRE, ["LRT"]) and rights.may_target(VDAB, ["WAPI"])
