"""Sessions imported from a file: the rules a row must meet, and what importing does to the
sessions, the people booked and the invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.base import as_utc
from bot.db.models import (
    Booking,
    BookingStatus,
    OutboxMessage,
    ProgrammeSession,
    SessionStatus,
)
from bot.services.sessions import bookings, staff_changes
from bot.services.sessions.imports import (
    FIELDS,
    SessionImportError,
    check_session,
    import_sessions,
    read_sessions,
)
from tests.helpers.people import FORKLIFT, PARIS, TUESDAY_10H, WELDER, add_person

NOW = TUESDAY_10H  # 1 December 2026
HEADER = ",".join(FIELDS)
GOOD = {
    "kind": "company_presentation",
    "title_fr": "Leiedal Verpakking (Courtrai) : l'emballage recrute",
    "title_nl": "Leiedal Verpakking (Kortrijk) stelt zich voor",
    "starts_at": "2027-01-14T10:00:00+01:00",
    "duration_min": "60",
    "url": "https://meet.jit.si/EnAvantVooruit-LeiedalVerpakking",
    "capacity": "25",
    "territories": "LRT;WAPI",
    "occupations": "Emballeur;Heftruckchauffeur",
    "cutoff_hours": "24",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def csv_line(cells: dict[str, str]) -> str:
    return ",".join(cells[name] for name in FIELDS)


def csv_text(*rows: dict[str, str]) -> str:
    return "\n".join([HEADER, *(csv_line(cells) for cells in rows)]) + "\n"


# --- the rules of a row -------------------------------------------------------------------


def test_a_good_row_gives_the_session_in_utc_with_codes() -> None:
    draft, problems = check_session(GOOD, NOW)
    assert problems == []
    assert draft.kind == "company_presentation"
    assert draft.starts_at == datetime(2027, 1, 14, 9, 0, tzinfo=UTC)
    assert draft.territories == ("LRT", "WAPI")
    assert draft.occupations == ("9321.2", FORKLIFT)
    assert (draft.duration_min, draft.capacity, draft.cutoff_hours) == (60, 25, 24)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"kind": "webinar"}, "kind must be one of company_presentation, coaching, info"),
        ({"kind": ""}, "kind is empty"),
        ({"title_fr": "  "}, "title_fr is empty"),
        ({"title_fr": "x" * 201}, "title_fr is longer than 200 characters"),
        ({"title_nl": "x" * 201}, "title_nl is longer than 200 characters"),
        (
            {"starts_at": "2027-01-14T10:00:00"},
            "starts_at '2027-01-14T10:00:00' has no UTC offset: write the zone's offset, "
            "like 2027-01-05T18:00+01:00",
        ),
        (
            {"starts_at": "14/01/2027 10:00"},
            "starts_at '14/01/2027 10:00' is not an ISO 8601 date and time like "
            "2027-01-05T18:00+01:00",
        ),
        (
            {"starts_at": "2026-11-30T10:00:00+01:00"},
            "starts_at 2026-11-30T10:00:00+01:00 is in the past",
        ),
        ({"starts_at": ""}, "starts_at is empty"),
        ({"duration_min": "10"}, "duration_min must be a whole number from 15 to 480"),
        ({"duration_min": "481"}, "duration_min must be a whole number from 15 to 480"),
        ({"duration_min": "1h"}, "duration_min must be a whole number from 15 to 480"),
        ({"url": "http://meet.jit.si/x"}, "url must be an https address"),
        ({"url": "https://"}, "url must be an https address"),
        ({"url": "meet.jit.si/x"}, "url must be an https address"),
        ({"url": ""}, "url is empty"),
        ({"url": "https://meet.jit.si/" + "x" * 490}, "url is longer than 500 characters"),
        ({"capacity": "0"}, "capacity must be a whole number from 1 to 500"),
        ({"capacity": "501"}, "capacity must be a whole number from 1 to 500"),
        ({"capacity": "-3"}, "capacity must be a whole number from 1 to 500"),
        ({"territories": "LRT;Kortrijk"}, "territory 'KORTRIJK' is not one of LRT, FM, WAPI"),
        (
            {"occupations": "Emballeur;Carist"},
            "unknown occupation 'Carist' (did you mean Heftruckchauffeur?)",
        ),
        ({"occupations": "astronaut"}, "unknown occupation 'astronaut'"),
        ({"cutoff_hours": "169"}, "cutoff_hours must be a whole number from 0 to 168"),
        ({"cutoff_hours": "one day"}, "cutoff_hours must be a whole number from 0 to 168"),
    ],
)
def test_each_rule_refuses_a_row_with_its_reason(cells: dict[str, str], reason: str) -> None:
    draft, problems = check_session(row(**cells), NOW)
    assert draft is None
    assert problems == [reason]


def test_every_problem_of_a_row_is_reported() -> None:
    _, problems = check_session(row(kind="", capacity="0", url="ftp://x"), NOW)
    assert problems == [
        "kind is empty",
        "url must be an https address",
        "capacity must be a whole number from 1 to 500",
    ]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2027-01-05T18:00:00+01:00", datetime(2027, 1, 5, 17, 0, tzinfo=UTC)),
        ("2027-01-05T18:00+01:00", datetime(2027, 1, 5, 17, 0, tzinfo=UTC)),
        ("2027-06-01 18:00:00+02:00", datetime(2027, 6, 1, 16, 0, tzinfo=UTC)),
        ("2027-01-05T17:00:00Z", datetime(2027, 1, 5, 17, 0, tzinfo=UTC)),
        ("2027-01-05T12:00:00-05:00", datetime(2027, 1, 5, 17, 0, tzinfo=UTC)),
    ],
)
def test_any_offset_is_read_and_the_time_kept_in_utc(written: str, utc: datetime) -> None:
    draft, problems = check_session(row(starts_at=written), NOW)
    assert problems == []
    assert draft.starts_at == utc


def test_lists_are_trimmed_deduplicated_and_empty_means_everyone() -> None:
    draft, _ = check_session(
        row(territories=" wapi ; LRT;;wapi", occupations="soudeur; Lasser ;7223.4;cariste"), NOW
    )
    assert draft.territories == ("LRT", "WAPI")  # the canonical order
    # French label, Dutch label and code of the same trade count once; file order is kept.
    assert draft.occupations == (WELDER, "7223.4", FORKLIFT)
    everyone, _ = check_session(row(territories="", occupations=""), NOW)
    assert (everyone.territories, everyone.occupations) == ((), ())


def test_occupations_are_found_by_any_french_or_dutch_label_or_synonym() -> None:
    draft, problems = check_session(
        row(occupations="Opérateur de production alimentaire;uitbener;CHAUFFEUR PL"), NOW
    )
    assert problems == []
    assert draft.occupations == ("8160.34", "7511.4", "8332.2")


def test_title_nl_is_optional_and_the_cutoff_defaults_to_a_day() -> None:
    draft, problems = check_session(row(title_nl="", cutoff_hours="", kind="Coaching"), NOW)
    assert problems == []
    assert (draft.title_nl, draft.cutoff_hours, draft.kind) == (None, 24, "coaching")
    zero, _ = check_session(row(cutoff_hours="0"), NOW)
    assert zero.cutoff_hours == 0


# --- reading a file -----------------------------------------------------------------------


def test_bad_rows_are_refused_with_their_line_and_good_ones_kept() -> None:
    text = (
        csv_text(GOOD, row(capacity="0"))
        + "\n"  # empty lines are skipped
        + "coaching,Trop court\n"
        + csv_line(GOOD)
        + "\n"
    )
    drafts, rejections = read_sessions(text, NOW)
    assert [line for line, _ in drafts] == [2]
    assert [str(r) for r in rejections] == [
        "line 3: capacity must be a whole number from 1 to 500",
        "line 5: 2 fields instead of 10",
        "line 6: the same session is already on line 2",
    ]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (
            HEADER.replace(",cutoff_hours", ""),
            "missing columns: cutoff_hours; columns found: "
            + HEADER.replace(",cutoff_hours", "").replace(",", ", "),
        ),
        (
            HEADER + ",room",
            f"unknown columns: room; columns found: {HEADER.replace(',', ', ')}, room",
        ),
        (
            HEADER + ",url",
            f"repeated columns: url; columns found: {HEADER.replace(',', ', ')}, url",
        ),
        (
            HEADER.replace(",", "|"),
            "missing columns: kind, title_fr, title_nl, starts_at, duration_min, url, capacity, "
            "territories, occupations, cutoff_hours; unknown columns: "
            + HEADER.replace(",", "|")
            + "; columns found: "
            + HEADER.replace(",", "|")
            + "; the header has a single column: separate the columns with a comma, a "
            "semicolon or a tab",
        ),
    ],
)
def test_a_wrong_header_refuses_the_whole_file(header: str, reason: str) -> None:
    with pytest.raises(SessionImportError) as refused:
        read_sessions(header + "\n" + csv_line(GOOD) + "\n", NOW)
    assert str(refused.value) == reason


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(SessionImportError, match="the file is empty"):
        read_sessions("", NOW)


# --- importing ----------------------------------------------------------------------------


async def outbox_keys(session, prefix: str = "") -> list[str]:
    found = await session.scalars(
        select(OutboxMessage.payload).where(OutboxMessage.dedupe_key.startswith(prefix))
    )
    return [payload["key"] for payload in found]


async def only_session(session) -> ProgrammeSession:
    return (await session.scalars(select(ProgrammeSession))).one()


async def test_a_new_row_is_published_and_invites_the_people_it_targets(session) -> None:
    forklift = await add_person(session, 1)  # LRT, forklift driver, on Telegram
    await add_person(session, 2, occupations=(WELDER,))  # not a trade the session wants
    await add_person(session, 3, on_telegram=False)  # imported: no chat to invite

    report = await import_sessions(session, csv_text(GOOD), NOW, PARIS)

    assert (report.created, report.invitations, report.rejections) == (1, 1, [])
    created = await only_session(session)
    assert created.status == SessionStatus.PUBLISHED
    assert as_utc(created.starts_at) == datetime(2027, 1, 14, 9, 0, tzinfo=UTC)
    assert (created.territories, created.occupations) == (["LRT", "WAPI"], ["9321.2", FORKLIFT])
    invites = await session.scalars(select(OutboxMessage.dedupe_key))
    assert list(invites) == [f"invite:{created.id}:{forklift.id}"]


async def test_a_draft_import_invites_nobody_until_imported_again_without_draft(session) -> None:
    await add_person(session, 1)
    drafted = await import_sessions(session, csv_text(GOOD), NOW, PARIS, draft=True)
    assert (drafted.created, drafted.invitations) == (1, 0)
    assert (await only_session(session)).status == SessionStatus.DRAFT

    again = await import_sessions(session, csv_text(GOOD), NOW, PARIS, draft=True)
    assert (again.unchanged, again.updated) == (1, 0)

    published = await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    assert (published.updated, published.invitations) == (1, 1)
    assert (await only_session(session)).status == SessionStatus.PUBLISHED

    # A draft import never takes a published session back.
    kept = await import_sessions(session, csv_text(GOOD), NOW, PARIS, draft=True)
    assert kept.unchanged == 1
    assert (await only_session(session)).status == SessionStatus.PUBLISHED


async def test_importing_the_same_file_again_changes_nothing(session) -> None:
    await add_person(session, 1)
    first = await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    stamp = (await only_session(session)).updated_at

    again = await import_sessions(session, csv_text(GOOD), NOW + timedelta(hours=1), PARIS)

    assert again.summary == "created 0, updated 0, unchanged 1, rejected 0"
    assert (first.invitations, again.invitations) == (1, 0)
    assert (await only_session(session)).updated_at == stamp
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_another_time_is_another_session(session) -> None:
    await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    report = await import_sessions(
        session, csv_text(row(starts_at="2027-01-21T10:00:00+01:00")), NOW, PARIS
    )
    assert report.created == 1
    assert await session.scalar(select(func.count()).select_from(ProgrammeSession)) == 2


async def test_a_changed_row_updates_the_published_session_and_tells_the_booked(
    session,
) -> None:
    booked = await add_person(session, 1)
    waiting = await add_person(session, 2)
    imported = await add_person(session, 3, on_telegram=False)
    await import_sessions(session, csv_text(row(capacity="1")), NOW, PARIS)
    programme_session = await only_session(session)
    for person in (booked, waiting, imported):
        await bookings.book(session, programme_session.id, person.id, NOW)

    later = NOW + timedelta(hours=2)
    changed = row(
        capacity="2",
        url="https://meet.jit.si/EnAvantVooruit-LeiedalVerpakking-2",
        duration_min="90",
        title_nl="Leiedal Verpakking stelt zich voor",
    )
    report = await import_sessions(session, csv_text(changed), later, PARIS)

    assert (report.updated, report.rejections) == (1, [])
    await session.refresh(programme_session)
    assert (programme_session.capacity, programme_session.duration_min) == (2, 90)
    assert programme_session.url.endswith("-2")
    assert programme_session.title_nl == "Leiedal Verpakking stelt zich voor"
    # The extra seat went to the first person waiting.
    statuses = dict((await session.execute(select(Booking.participant_id, Booking.status))).all())
    assert statuses == {
        booked.id: BookingStatus.CONFIRMED,
        waiting.id: BookingStatus.CONFIRMED,
        imported.id: BookingStatus.WAITLISTED,
    }
    told = await session.scalars(
        select(OutboxMessage.chat_id).where(OutboxMessage.dedupe_key.startswith("changed:"))
    )
    assert sorted(told) == [5001, 5002]  # those on Telegram (the imported one has no chat)
    assert set(await outbox_keys(session, "changed:")) == {"session-changed"}
    assert "session-ics-updated" in set(await outbox_keys(session, "ics:"))
    # The one who got the new seat is told so (by change_session, as on a cancel).
    promoted = await session.scalars(
        select(OutboxMessage.chat_id).where(OutboxMessage.dedupe_key.startswith("promoted:"))
    )
    assert list(promoted) == [5002]


async def test_targeting_and_cutoff_change_silently_and_newcomers_are_invited(session) -> None:
    await add_person(session, 1)  # forklift driver: invited at the first import
    welder = await add_person(session, 2, occupations=(WELDER,))
    first = await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    programme_session = await only_session(session)
    await bookings.book(session, programme_session.id, welder.id, NOW)

    wider = row(occupations="Emballeur;Heftruckchauffeur;Soudeur", cutoff_hours="48")
    report = await import_sessions(session, csv_text(wider), NOW, PARIS)

    assert (first.invitations, report.updated, report.invitations) == (1, 1, 1)
    assert programme_session.occupations == ["9321.2", FORKLIFT, WELDER]
    assert programme_session.cutoff_hours == 48
    assert await outbox_keys(session, "changed:") == []  # nothing the booked must hear of
    assert f"invite:{programme_session.id}:{welder.id}" in set(
        await session.scalars(select(OutboxMessage.dedupe_key))
    )


async def test_fewer_seats_than_confirmed_refuses_the_row_and_changes_nothing(session) -> None:
    people = [await add_person(session, n) for n in (1, 2)]
    await import_sessions(session, csv_text(row(capacity="5")), NOW, PARIS)
    programme_session = await only_session(session)
    for person in people:
        await bookings.book(session, programme_session.id, person.id, NOW)

    report = await import_sessions(session, csv_text(row(capacity="1", territories="")), NOW, PARIS)

    assert [str(r) for r in report.rejections] == [
        f"line 2: capacity 1 is below the 2 seats already confirmed for session "
        f"{programme_session.id}"
    ]
    assert (programme_session.capacity, programme_session.territories) == (5, ["LRT", "WAPI"])


async def test_a_cancelled_session_is_not_changed_by_an_import(session) -> None:
    await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    programme_session = await only_session(session)
    await staff_changes.cancel_session(session, programme_session, NOW, PARIS)

    same = await import_sessions(session, csv_text(GOOD), NOW, PARIS)
    changed = await import_sessions(session, csv_text(row(capacity="30")), NOW, PARIS)

    assert same.unchanged == 1
    assert [str(r) for r in changed.rejections] == [
        f"line 2: session {programme_session.id} was cancelled: it cannot be changed"
    ]
    assert (programme_session.status, programme_session.capacity) == (SessionStatus.CANCELLED, 25)


async def test_bad_rows_are_reported_and_the_good_ones_imported(session) -> None:
    text = csv_text(GOOD, row(starts_at="2027-01-21T10:00:00"), row(title_fr="Autre", kind="info"))
    report = await import_sessions(session, text, NOW, PARIS)
    assert report.summary == "created 2, updated 0, unchanged 0, rejected 1"
    assert [r.line for r in report.rejections] == [3]
