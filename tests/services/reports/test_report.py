"""The programme report for funders: a caseload over three territories in November 2026, and
the exact figures each territory and the totals must show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    Outcome,
    Participant,
    ProgrammeSession,
    SessionStatus,
    Ticket,
    VacancyAlert,
)
from bot.services.reports.programme import as_csv, as_table, build_report, chart_png, texts
from tests.helpers.vacancies import add_vacancy

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
_numbers = count(1)


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def person(
    session,
    territory: str | None,
    joined: date | None,
    status: str = "followed",
    status_date: date | None = None,
    created_at: datetime | None = None,
) -> Participant:
    n = next(_numbers)
    participant = Participant(
        external_id=f"R{n}",
        first_name=f"Person{n}",
        territory=territory,
        joined=joined,
        status=status,
        status_date=status_date,
        created_at=created_at or at(1, month=6),
    )
    session.add(participant)
    await session.flush()
    return participant


async def outcome(session, who: Participant, kind: str, start: date, confirmed: bool = True):
    session.add(
        Outcome(
            participant_id=who.id,
            kind=kind,
            start_date=start,
            confirmed_at=at(28) if confirmed else None,
            reported_by_participant=not confirmed,
        )
    )
    await session.flush()


async def programme_session(
    session, starts_at: datetime, territories: list[str], status=SessionStatus.PUBLISHED
) -> ProgrammeSession:
    held = ProgrammeSession(
        kind="company_presentation",
        title_fr="Présentation",
        starts_at=starts_at,
        duration_min=60,
        url="https://meet.example/s",
        capacity=20,
        territories=territories,
        status=status,
    )
    session.add(held)
    await session.flush()
    return held


async def seat(session, held, who, status=BookingStatus.CONFIRMED, attendance=None) -> None:
    session.add(
        Booking(session_id=held.id, participant_id=who.id, status=status, attendance=attendance)
    )
    await session.flush()


async def alert(session, who, created_at, response=None, mode="daily") -> None:
    vacancy = await add_vacancy(session, next(_numbers))
    session.add(
        VacancyAlert(
            participant_id=who.id,
            vacancy_id=vacancy.id,
            score=0.9,
            mode=mode,
            created_at=created_at,
            response=response,
        )
    )
    await session.flush()


async def ticket(session, who, opened_at, answered_after_h: float | None = None) -> None:
    answered = opened_at + timedelta(hours=answered_after_h) if answered_after_h else None
    session.add(
        Ticket(
            participant_id=who.id, topic="question", opened_at=opened_at, first_answer_at=answered
        )
    )
    await session.flush()


@pytest.fixture
async def caseload(session):
    """November 2026. LRT: five followed (one gone in October, one joining in December are
    not), three into work (one imported, one with two jobs); FM: three followed, one
    training; WAPI: two followed; one person without a territory."""
    l1 = await person(session, "LRT", date(2026, 9, 1))
    l2 = await person(session, "LRT", date(2026, 10, 1), "job", date(2026, 11, 10))
    await outcome(session, l2, "job", date(2026, 11, 10))
    l3 = await person(session, "LRT", date(2026, 6, 1), "job", date(2026, 10, 15))
    await outcome(session, l3, "job", date(2026, 10, 15))
    await person(session, "LRT", date(2026, 12, 5))
    await person(session, "LRT", None, "job", date(2026, 11, 25), created_at=at(20))
    l6 = await person(session, "LRT", date(2026, 11, 5))
    await outcome(session, l6, "job", date(2026, 11, 12), confirmed=False)
    l7 = await person(session, "LRT", date(2026, 8, 1), "job", date(2026, 11, 20))
    await outcome(session, l7, "job", date(2026, 11, 3))
    await outcome(session, l7, "job", date(2026, 11, 20))
    f1 = await person(session, "FM", date(2026, 10, 1), "training", date(2026, 11, 15))
    await outcome(session, f1, "training", date(2026, 11, 15))
    f2 = await person(session, "FM", date(2026, 10, 1), "left", date(2026, 11, 2))
    f3 = await person(session, "FM", date(2026, 10, 1), "training", date(2026, 12, 1))
    await outcome(session, f3, "training", date(2026, 12, 1))
    w1 = await person(session, "WAPI", date(2026, 11, 30))
    await person(session, "WAPI", date(2026, 10, 1), "left", None)
    await person(session, None, date(2026, 10, 1))

    s1 = await programme_session(session, at(10), ["LRT"])
    await seat(session, s1, l1, attendance=Attendance.ATTENDED)
    await seat(session, s1, l2, attendance=Attendance.NO_SHOW)
    await seat(session, s1, l6)
    await seat(session, s1, l7, status=BookingStatus.WAITLISTED)
    await seat(session, s1, f1, status=BookingStatus.CANCELLED)
    s2 = await programme_session(session, at(20), [])
    await seat(session, s2, f1, attendance=Attendance.ATTENDED)
    await seat(session, s2, w1, attendance=Attendance.ATTENDED)
    await seat(session, s2, l1, attendance=Attendance.ATTENDED)
    s3 = await programme_session(session, at(25), ["FM", "WAPI"])
    await seat(session, s3, f2, attendance=Attendance.NO_SHOW)
    cancelled = await programme_session(session, at(12), [], SessionStatus.CANCELLED)
    await seat(session, cancelled, l1)
    await programme_session(session, at(13), [], SessionStatus.DRAFT)
    # 31 October 23:30 UTC is 1 November in Paris; 30 November 23:30 UTC is 1 December.
    await programme_session(session, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), ["WAPI"])
    await programme_session(session, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), ["WAPI"])

    await alert(session, l1, at(5), "interested")
    await alert(session, l1, at(6), "not_for_me")
    await alert(session, l1, at(7), "interested", mode="jobs")
    await alert(session, l1, at(20, month=10), "interested")
    await alert(session, f1, at(28))

    await ticket(session, l1, at(3), 2)
    await ticket(session, l2, at(4), 6)
    await ticket(session, l6, at(5))
    await ticket(session, f2, at(10, hour=8), 1.5)
    await ticket(session, w1, at(30, month=10), 1)
    await session.commit()


# How people are reached and messages by channel: `test_report_channels.py`.
CHANNEL_FIGURES = (
    "reached_telegram",
    "reached_sms",
    "reached_email",
    "reached_nobody",
    "sent_telegram",
    "sent_sms",
    "sent_email",
    "sms_segments",
)


def without_channels(figures: dict) -> dict:
    return {name: value for name, value in figures.items() if name not in CHANNEL_FIGURES}


def row(report, code: str) -> dict:
    return without_channels(next(t for t in report.as_json()["territories"] if t["code"] == code))


async def test_lrt_counts_everyone_followed_in_the_period_and_each_person_into_work_once(
    session, caseload
) -> None:
    report = await build_report(session, *NOVEMBER, PARIS)
    assert row(report, "LRT") == {
        "code": "LRT",
        "followed": 5,
        "job_exits": 3,
        "training_exits": 0,
        "exit_rate": 0.6,
        "sessions_held": 2,
        "seats_booked": 4,
        "attendance_rate": 0.667,
        "no_show_rate": 0.333,
        "alerts_sent": 2,
        "interested": 1,
        "escalations_opened": 3,
        "median_first_answer_hours": 4.0,
    }


async def test_fm_counts_a_training_started_in_the_period_and_someone_who_left_in_it(
    session, caseload
) -> None:
    report = await build_report(session, *NOVEMBER, PARIS)
    assert row(report, "FM") == {
        "code": "FM",
        "followed": 3,
        "job_exits": 0,
        "training_exits": 1,
        "exit_rate": 0.0,
        "sessions_held": 2,
        "seats_booked": 2,
        "attendance_rate": 0.5,
        "no_show_rate": 0.5,
        "alerts_sent": 1,
        "interested": 0,
        "escalations_opened": 1,
        "median_first_answer_hours": 1.5,
    }


async def test_wapi_counts_sessions_by_programme_day_and_leaves_undefined_rates_empty(
    session, caseload
) -> None:
    report = await build_report(session, *NOVEMBER, PARIS)
    assert row(report, "WAPI") == {
        "code": "WAPI",
        "followed": 2,
        "job_exits": 0,
        "training_exits": 0,
        "exit_rate": 0.0,
        "sessions_held": 3,
        "seats_booked": 1,
        "attendance_rate": 1.0,
        "no_show_rate": 0.0,
        "alerts_sent": 0,
        "interested": 0,
        "escalations_opened": 0,
        "median_first_answer_hours": None,
    }


async def test_people_without_a_territory_have_their_own_row_last(session, caseload) -> None:
    report = await build_report(session, *NOVEMBER, PARIS)
    codes = [t["code"] for t in report.as_json()["territories"]]
    assert codes == ["LRT", "FM", "WAPI", "—"]
    assert row(report, "—")["followed"] == 1
    assert row(report, "—")["sessions_held"] == 0


async def test_totals_count_each_session_once_and_recompute_rates_and_median(
    session, caseload
) -> None:
    totals = without_channels((await build_report(session, *NOVEMBER, PARIS)).as_json()["totals"])
    assert totals == {
        "followed": 11,
        "job_exits": 3,
        "training_exits": 1,
        "exit_rate": 0.273,
        "sessions_held": 4,
        "seats_booked": 7,
        "attendance_rate": 0.667,
        "no_show_rate": 0.333,
        "alerts_sent": 3,
        "interested": 1,
        "escalations_opened": 4,
        "median_first_answer_hours": 2.0,
    }


async def test_the_json_names_the_period(session, caseload) -> None:
    shown = (await build_report(session, *NOVEMBER, PARIS)).as_json()
    assert shown["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert list(shown) == ["period", "territories", "totals"]


async def test_without_anyone_lacking_a_territory_there_is_no_dash_row(session) -> None:
    await person(session, "FM", date(2026, 10, 1))
    await session.commit()
    report = await build_report(session, *NOVEMBER, PARIS)
    assert [t.code for t in report.territories] == ["LRT", "FM", "WAPI"]
    assert report.totals.followed == 1


async def test_a_period_ending_before_it_starts_is_refused(session) -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        await build_report(session, date(2026, 11, 30), date(2026, 11, 1), PARIS)


async def test_table_csv_and_chart_show_the_same_figures(session, caseload) -> None:
    report = await build_report(session, *NOVEMBER, PARIS)
    table = as_table(report, texts("fr"))
    assert table.splitlines()[0] == "du 01/11/2026 au 30/11/2026"
    assert table.splitlines()[2].split() == ["Indicateur", "LRT", "FM", "WAPI", "—", "Total"]
    assert "Taux d'emploi" in table and "60%" in table
    lines = as_csv(report).splitlines()
    assert lines[0].startswith("from,to,territory,followed,job_exits")
    assert lines[1].startswith("2026-11-01,2026-11-30,LRT,5,3,0,0.6,2,4,0.667,0.333,2,1,3,4.0")
    assert lines[-1].startswith("2026-11-01,2026-11-30,total,11,3,1,0.273,4,")
    assert chart_png(report, texts("nl")).startswith(b"\x89PNG\r\n\x1a\n")
