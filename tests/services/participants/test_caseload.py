"""A counsellor moves the people they already follow into the bot: the caseload import, then
the single-use invite links that tie each person's Telegram account to their record."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import Invite, Participant
from bot.services.participants import accounts as users
from bot.services.participants import invites
from bot.services.participants.caseload import CaseloadError, import_caseload
from bot.services.staff.members import add_staff

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "caseload.csv").read_text()
HEADER = SAMPLE.splitlines()[0]
NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def caseload(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


async def participant(session, external_id: str) -> Participant:
    return await session.scalar(select(Participant).where(Participant.external_id == external_id))


async def count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


# import


async def test_sample_file_imports_good_rows_and_reports_bad_rows_by_line(session) -> None:
    report = await import_caseload(session, SAMPLE, now=NOW)
    await session.commit()

    assert report.summary == "created 4, updated 0, rejected 4"
    assert [str(rejection) for rejection in report.rejections] == [
        "line 4: unknown occupation 'astronaut'",
        "line 6: unknown postcode '99999'",
        "line 7: status must be one of followed, job, training, left",
        "line 8: joined '03/02/2024' is not a date YYYY-MM-DD; "
        "dutch_level must be one of A0, A1, A2, B1, B2, C1, C2; "
        "driving_licence must be yes or no; "
        "max_commute_km must be a whole number from 1 to 200; "
        "availability 'mornings' is not one of day, shifts, nights, weekends",
    ]
    stored = await session.scalars(select(Participant.external_id).order_by(Participant.id))
    assert list(stored) == ["LRT-001", "FM-002", "WAPI-004", "LRT-008"]


async def test_imported_person_is_stored_as_the_file_says_without_consent(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)

    karim = await participant(session, "FM-002")
    assert (karim.first_name, karim.territory, karim.joined) == ("Karim", "FM", date(2023, 11, 20))
    assert (karim.status, karim.status_date) == ("job", date(2024, 5, 2))
    assert karim.employer == "Vandemoortele, Ieper"
    assert (karim.dutch_level, karim.driving_licence, karim.max_commute_km) == ("A2", True, 45)
    assert (karim.home_postcode, karim.home_lat, karim.home_lon) == ("59140", 51.0344, 2.3768)
    assert karim.availability == ["shifts"]
    assert karim.consent_at is None and karim.user_id is None


async def test_empty_optional_cells_take_the_defaults(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)

    ines = await participant(session, "LRT-008")
    assert (ines.dutch_level, ines.driving_licence, ines.max_commute_km) == (None, None, 30)
    assert ines.availability == [] and ines.employer is None
    julie = await participant(session, "WAPI-004")
    assert julie.territory == "WAPI"  # written "wapi" in the file
    assert julie.availability == ["day", "weekends"]


async def test_french_label_dutch_synonym_and_code_land_on_the_same_occupation(session) -> None:
    text = caseload(
        "A,Ana,LRT,2024-01-02,followed,,,Cariste,59000,A0,,,",
        "B,Bram,LRT,2024-01-02,followed,,,heftruckbestuurder,59000,A0,,,",
        "C,Chloé,LRT,2024-01-02,followed,,,8344.1,59000,A0,,,",
        "D,Dirk,LRT,2024-01-02,followed,,,"
        "CONDUCTEUR DE CHARIOT ÉLÉVATEUR;Heftruck-chauffeur,59000,,,,",
    )
    report = await import_caseload(session, text, now=NOW)

    assert report.summary == "created 4, updated 0, rejected 0"
    codes = await session.scalars(select(Participant.occupations).order_by(Participant.id))
    assert list(codes) == [["8344.1"]] * 4


async def test_reimport_updates_the_same_people_instead_of_duplicating(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    await session.commit()

    again = await import_caseload(session, SAMPLE, now=NOW)
    assert again.summary == "created 0, updated 4, rejected 4"
    changed = caseload("LRT-001,Nadia,LRT,2024-03-04,job,2024-09-02,Vanhee,Cariste,59100,A2,oui,,")
    report = await import_caseload(session, changed, now=NOW)
    await session.commit()

    assert report.summary == "created 0, updated 1, rejected 0"
    assert await count(session, Participant) == 4
    nadia = await participant(session, "LRT-001")
    assert (nadia.status, nadia.status_date, nadia.employer) == ("job", date(2024, 9, 2), "Vanhee")
    assert (nadia.dutch_level, nadia.availability) == ("A2", [])


async def test_reimport_never_touches_the_telegram_link_or_the_consent(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    user = await users.get_or_create_user(session, 4001)
    nadia = await participant(session, "LRT-001")
    nadia.user_id, nadia.consent_at = user.id, NOW
    await session.commit()

    await import_caseload(session, SAMPLE, now=NOW + timedelta(days=1))
    await session.commit()

    await session.refresh(nadia)
    assert nadia.user_id == user.id
    assert nadia.consent_at is not None


async def test_the_same_person_twice_in_a_file_is_refused_the_second_time(session) -> None:
    text = caseload(
        "A,Ana,LRT,2024-01-02,followed,,,Cariste,59000,,,,",
        "A,Ana,LRT,2024-01-02,job,,,Cariste,59000,,,,",
    )
    report = await import_caseload(session, text, now=NOW)
    assert report.summary == "created 1, updated 0, rejected 1"
    assert str(report.rejections[0]) == "line 3: external_id 'A' already on line 2"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",Ana,LRT,2024-01-02,followed,,,,,,,,", "external_id is empty"),
        ("A,Ana,PARIS,2024-01-02,followed,,,,,,,,", "territory must be one of LRT, FM, WAPI"),
        ("A,Ana,LRT,,followed,,,,,,,,", "joined is empty (YYYY-MM-DD)"),
        ("A,Ana,LRT,2099-01-02,followed,,,,,,,,", "joined 2099-01-02 is in the future"),
        ("A,Ana,LRT,2024-01-02,job,2023-12-01,,,,,,,", "status_date is before joined"),
        ("A,Ana,LRT,2024-01-02,followed,,,,,,,0,", "max_commute_km must be a whole number"),
        ("A,Ana,LRT,2024-01-02,followed,,,,,,,", "12 fields instead of 13"),
    ],
)
async def test_each_bad_cell_is_named(session, row: str, reason: str) -> None:
    report = await import_caseload(session, caseload(row), now=NOW)
    assert report.imported == 0
    assert reason in str(report.rejections[0])
    assert str(report.rejections[0]).startswith("line 2: ")


async def test_a_quoted_cell_over_two_lines_keeps_the_line_numbers_right(session) -> None:
    text = caseload(
        'A,Ana,LRT,2024-01-02,job,2024-02-01,"Vanhee\nIeper",Cariste,59000,,,,',
        "B,Bram,LRT,2024-01-02,followed,,,astronaut,59000,,,,",
    )
    report = await import_caseload(session, text, now=NOW)
    assert [str(r) for r in report.rejections] == ["line 4: unknown occupation 'astronaut'"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("external_id,first_name\nA,Ana\n", "missing columns: territory, joined"),
        (HEADER + ",notes\n", "unknown columns: notes"),
        (HEADER.replace(",", "|") + "\n", "the header has a single column: separate"),
    ],
)
async def test_a_file_with_wrong_columns_is_refused_as_a_whole(session, text, reason) -> None:
    with pytest.raises(CaseloadError, match=reason):
        await import_caseload(session, text, now=NOW)
    assert await count(session, Participant) == 0


async def test_import_assigns_people_to_the_counsellor_given(session) -> None:
    sophie = await add_staff(session, 1001, "cet", "Sophie", "LRT")
    await import_caseload(session, SAMPLE, counsellor_telegram_id=1001, now=NOW)
    assigned = await session.scalars(select(Participant.counsellor_id))
    assert set(assigned) == {sophie.id}


async def test_import_for_a_counsellor_who_is_not_an_active_cet_is_refused(session) -> None:
    await add_staff(session, 2001, "vdab", "Els")
    with pytest.raises(CaseloadError, match="staff member 2001 is a vdab, not a cet"):
        await import_caseload(session, SAMPLE, counsellor_telegram_id=2001, now=NOW)
    with pytest.raises(CaseloadError, match="no active staff member with Telegram id 9"):
        await import_caseload(session, SAMPLE, counsellor_telegram_id=9, now=NOW)


# invites


async def test_each_imported_person_gets_one_invite_valid_30_days(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    await import_caseload(session, SAMPLE, now=NOW + timedelta(days=1))

    rows = (await session.execute(select(Invite.participant_id, Invite.expires_at))).all()
    assert len(rows) == 4
    assert len({participant_id for participant_id, _ in rows}) == 4
    assert {expires.replace(tzinfo=UTC) for _, expires in rows} == {NOW + timedelta(days=30)}


async def test_invite_ties_the_telegram_account_to_the_record_once(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    nadia = await participant(session, "LRT-001")
    invite = await invites.create_invite(session, nadia, now=NOW)
    user = await users.get_or_create_user(session, 4001)

    linked = await invites.redeem_invite(session, invite.token, user.id, now=NOW)

    assert linked is nadia
    assert nadia.user_id == user.id and nadia.consent_at is None
    await session.refresh(invite)
    assert invite.used_at is not None
    other = await users.get_or_create_user(session, 4002)
    assert await invites.redeem_invite(session, invite.token, other.id, now=NOW) is None


async def test_expired_or_unknown_invite_links_nobody(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    nadia = await participant(session, "LRT-001")
    invite = await invites.create_invite(session, nadia, now=NOW)
    user = await users.get_or_create_user(session, 4001)

    late = NOW + timedelta(days=30, seconds=1)
    assert await invites.redeem_invite(session, invite.token, user.id, now=late) is None
    assert await invites.redeem_invite(session, "no-such-token", user.id, now=NOW) is None
    assert nadia.user_id is None


async def test_an_account_already_linked_cannot_take_a_second_record(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    nadia, karim = await participant(session, "LRT-001"), await participant(session, "FM-002")
    user = await users.get_or_create_user(session, 4001)
    first = await invites.create_invite(session, nadia, now=NOW)
    second = await invites.create_invite(session, karim, now=NOW)

    assert await invites.redeem_invite(session, first.token, user.id, now=NOW) is nadia
    assert await invites.redeem_invite(session, second.token, user.id, now=NOW) is None
    assert karim.user_id is None


async def test_an_older_invite_of_a_linked_record_no_longer_works(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    nadia = await participant(session, "LRT-001")
    older = await invites.create_invite(session, nadia, now=NOW)
    newer = await invites.create_invite(session, nadia, now=NOW)
    user = await users.get_or_create_user(session, 4001)
    other = await users.get_or_create_user(session, 4002)

    assert await invites.redeem_invite(session, newer.token, user.id, now=NOW) is nadia
    assert await invites.redeem_invite(session, older.token, other.id, now=NOW) is None


async def test_two_people_opening_the_same_invite_at_once_link_one(sessionmaker) -> None:
    async with sessionmaker() as session:
        await import_caseload(session, SAMPLE, now=NOW)
        invite = await invites.create_invite(session, await participant(session, "LRT-001"))
        accounts = [(await users.get_or_create_user(session, n)).id for n in (4001, 4002)]
        await session.commit()

    async def redeem(user_id: int) -> bool:
        async with sessionmaker() as session:
            linked = await invites.redeem_invite(session, invite.token, user_id)
            await session.commit()
            return linked is not None

    results = await asyncio.gather(*(redeem(user_id) for user_id in accounts))
    assert sorted(results) == [False, True]


async def test_invite_list_shows_the_territory_s_people_not_yet_linked(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    nadia = await participant(session, "LRT-001")
    nadia.user_id = (await users.get_or_create_user(session, 4001)).id

    pending = await invites.pending_invites(session, "LRT", now=NOW)

    assert [(p.external_id, p.first_name) for p in pending] == [("LRT-008", "Inès")]
    assert pending[0].expires_on == date(2025, 2, 5)
    again = await invites.pending_invites(session, "LRT", now=NOW + timedelta(days=2))
    assert again[0].token == pending[0].token


async def test_invite_list_replaces_an_expired_or_used_invite(session) -> None:
    await import_caseload(session, SAMPLE, now=NOW)
    [first] = await invites.pending_invites(session, "FM", now=NOW)

    later = NOW + timedelta(days=31)
    [fresh] = await invites.pending_invites(session, "FM", now=later)
    assert fresh.token != first.token
    assert fresh.expires_at == later + timedelta(days=30)
    assert await count(session, Invite) == 5
