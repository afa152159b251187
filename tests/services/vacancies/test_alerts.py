"""Who is alerted about which vacancy, when, and what happens with their answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import (
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Role,
    Staff,
    TranslationState,
    Vacancy,
    VacancyAlert,
)
from bot.services.translation.translator import Translator
from bot.services.vacancies import alerts, matches
from bot.services.vacancies import cards as vacancy_cards
from tests.helpers.people import FORKLIFT, KORTRIJK, PARIS, TUESDAY_10H, WELDER, add_person
from tests.helpers.vacancies import add_vacancy


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their (UTC) zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def outbox_keys(session) -> list[str]:
    return list(await session.scalars(select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id)))


def test_quiet_hours_defer_to_eight_in_the_morning() -> None:
    evening = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 21:30 in Paris
    early = datetime(2026, 12, 2, 6, 59, tzinfo=UTC)  # 07:59 in Paris
    at_eight = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00 in Paris
    assert alerts.outside_quiet_hours(evening, PARIS) == at_eight
    assert alerts.outside_quiet_hours(early, PARIS) == at_eight
    assert alerts.outside_quiet_hours(at_eight, PARIS) == at_eight
    before_nine_pm = datetime(2026, 12, 1, 19, 59, tzinfo=UTC)  # 20:59 in Paris
    assert alerts.outside_quiet_hours(before_nine_pm, PARIS) == before_nine_pm


async def test_new_vacancy_alerts_only_people_who_may_receive_them(session) -> None:
    ok = await add_person(session, 1)
    await add_person(session, 2, reachable=False)
    await add_person(session, 3, consent=False)
    await add_person(session, 4, status=ParticipantStatus.JOB)
    await add_person(session, 5, mode="off")
    await add_person(session, 6, mode="daily")  # waits for the digest
    await add_person(session, 7, occupations=(WELDER,))
    await add_person(session, 8, on_telegram=False)
    vacancy = await add_vacancy(session, 1)

    queued = await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS)

    assert queued == 1
    assert await outbox_keys(session) == [f"alert:{ok.id}:{vacancy.id}"]
    row = await session.scalar(select(OutboxMessage))
    assert (row.chat_id, row.participant_id) == (5001, ok.id)  # by e-mail if she blocks the bot
    assert aware(row.not_before) == TUESDAY_10H
    assert row.payload["key"] == "alert-card"


async def test_a_vacancy_is_never_sent_twice_to_the_same_person(session) -> None:
    person = await add_person(session, 1)
    vacancy = await add_vacancy(session, 1)
    await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS)
    vacancy.alerted_at = None  # e.g. re-imported with a change
    person.alert_mode = "daily"
    await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS)
    await alerts.send_digests(session, "daily", TUESDAY_10H, PARIS)
    assert await outbox_keys(session) == [f"alert:{person.id}:{vacancy.id}"]
    assert await session.scalar(select(func.count()).select_from(VacancyAlert)) == 1


async def test_instant_alert_at_night_waits_for_eight(session) -> None:
    await add_person(session, 1)
    await add_vacancy(session, 1)
    night = datetime(2026, 12, 1, 22, 15, tzinfo=UTC)  # 23:15 in Paris
    await alerts.process_vacancies(session, Translator([]), night, PARIS)
    row = await session.scalar(select(OutboxMessage))
    assert aware(row.not_before) == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


async def test_expired_vacancy_alerts_nobody(session) -> None:
    await add_person(session, 1)
    await add_vacancy(session, 1, expires=date(2026, 11, 30))
    assert await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS) == 0
    assert await outbox_keys(session) == []


async def test_daily_digest_holds_the_ten_best_then_the_rest_tomorrow(session) -> None:
    person = await add_person(session, 1, mode="daily")
    # Twelve vacancies, each a little further east: the nearer, the better.
    vacancies = [await add_vacancy(session, n, km_east=n * 0.3) for n in range(12)]
    for vacancy in vacancies:
        vacancy.alerted_at = TUESDAY_10H

    assert await alerts.send_digests(session, "daily", TUESDAY_10H, PARIS) == 1
    digest = await session.scalar(select(OutboxMessage))
    assert digest.dedupe_key == f"digest:daily:2026-12-01:{person.id}"
    assert digest.participant_id == person.id  # by SMS: `sms-digest`, the count only
    assert digest.payload["vars"]["count"] == 10
    shown = [row[0]["callback_data"] for row in digest.payload["buttons"]]
    assert shown == [vacancy_cards.callback("open", v.id) for v in vacancies[:10]]

    # The same day again: nothing more. Tomorrow: the two left.
    assert await alerts.send_digests(session, "daily", TUESDAY_10H, PARIS) == 0
    assert await alerts.send_digests(session, "daily", TUESDAY_10H + timedelta(days=1), PARIS) == 1
    tomorrow = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()[-1]
    assert tomorrow.payload["vars"]["count"] == 2


async def test_weekly_digest_is_only_for_weekly_people(session) -> None:
    await add_person(session, 1, mode="daily")
    weekly = await add_person(session, 2, mode="weekly")
    await add_vacancy(session, 1)
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert await alerts.send_digests(session, "weekly", monday, PARIS) == 1
    assert await outbox_keys(session) == [f"digest:weekly:2026-11-30:{weekly.id}"]


async def test_interest_sends_the_counsellor_a_lead_once(session) -> None:
    counsellor = Staff(
        telegram_id=900, role=Role.CET, territory="LRT", name="Claire", referral_code="c1"
    )
    session.add(counsellor)
    await session.flush()
    person = await add_person(session, 1, counsellor=counsellor)
    vacancy = await add_vacancy(session, 1)

    lead = await alerts.express_interest(session, person, vacancy, TUESDAY_10H)
    again = await alerts.express_interest(session, person, vacancy, TUESDAY_10H)

    assert lead.counsellor_chats == (900,) and lead.first_time
    assert not again.first_time
    rows = (await session.scalars(select(OutboxMessage))).all()
    assert [(r.chat_id, r.payload["key"]) for r in rows] == [(900, "lead")]
    assert rows[0].payload["vars"]["participant"] == "P1"
    alert = await session.scalar(select(VacancyAlert))
    assert alert.response == "interested"


async def test_without_a_counsellor_the_territorys_counsellors_get_the_lead(session) -> None:
    for n, territory in enumerate(("LRT", "FM")):
        session.add(
            Staff(
                telegram_id=900 + n,
                role=Role.CET,
                territory=territory,
                name=f"CET {n}",
                referral_code=f"c{n}",
            )
        )
    person = await add_person(session, 1)
    vacancy = await add_vacancy(session, 1)
    lead = await alerts.express_interest(session, person, vacancy, TUESDAY_10H)
    assert lead.counsellor_chats == (900,)


async def test_not_for_me_keeps_the_reason_and_stop_turns_alerts_off(session) -> None:
    person = await add_person(session, 1)
    vacancy = await add_vacancy(session, 1)
    alert = await alerts.answer(session, person, vacancy, "not_for_me", TUESDAY_10H, "distance")
    assert (alert.response, alert.reason) == ("not_for_me", "distance")
    await alerts.stop_alerts(session, person)
    await add_vacancy(session, 2)
    assert await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS) == 0
    assert (await session.get(Participant, person.id)).alert_mode == "off"


async def test_counsellor_view_includes_people_not_yet_on_telegram(session) -> None:
    on_telegram = await add_person(session, 1)
    imported = await add_person(session, 2, on_telegram=False, consent=False)
    await add_person(session, 3, status=ParticipantStatus.LEFT)
    vacancy = await add_vacancy(session, 1)
    found = await matches.followed_matches(session, vacancy, date(2026, 12, 1))
    assert {(c.participant_id, c.on_telegram) for c in found} == {
        (on_telegram.id, True),
        (imported.id, False),
    }
    assert found[0].exact_occupation and found[0].distance_km == pytest.approx(26.1, abs=0.1)


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_alert_card_renders_in_each_language(locale) -> None:
    from bot.delivery.outbox import message_payload
    from bot.delivery.sender import render
    from bot.i18n import build_core
    from bot.services.vacancies.fit_many import Pick

    vacancy = Vacancy(
        id=7,
        external_id="VDAB-7",
        lang="nl",
        title_nl="Heftruckchauffeur (m/v/x)",
        title_fr="Cariste (h/f/x)",
        description_nl="Je rijdt <snel>.",
        description_fr=None,
        translation=TranslationState.UNAVAILABLE,
        employer="Vlaamse Verpakking NV",
        occupation=FORKLIFT,
        postcode="8500",
        municipality="Kortrijk",
        lat=KORTRIJK[0],
        lon=KORTRIJK[1],
        dutch_level="A0",
        driving_licence=True,
        contract="interim",
        schedule=["shifts", "nights"],
        hours_per_week=38,
    )
    card = vacancy_cards.alert_card(vacancy, Pick(1, 7, 0.8, 26.1, True))
    text, markup = render(build_core(), message_payload(**card), locale)
    if locale == "fr":
        assert "Cariste (h/f/x)" in text and "Courtrai · 26 km" in text
        assert "pas besoin de néerlandais" in text and "travail de nuit" in text
        assert "Traduction automatique indisponible" in text
    else:
        assert "Heftruckchauffeur (m/v/x)" in text and "Kortrijk · 26 km" in text
        assert "niet beschikbaar" not in text
    assert "Je rijdt &lt;snel&gt;." in text
    assert [b.callback_data for row in markup.inline_keyboard for b in row] == [
        "vac:yes:7:",
        "vac:no:7:",
        "vac:orig:7:",
        "vac:stop:7:",
    ]


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_followed_index_is_kept_until_a_participant_changes(session) -> None:
    ticks = Ticks()
    followed = matches.FollowedIndex(max_age_s=60, clock=ticks)
    person = await add_person(session, 1)
    vacancy = await add_vacancy(session, 1)
    first = await followed.current(session)
    assert await followed.current(session) is first  # nothing changed: reused

    person.occupations = ["7212.3"]  # now a welder: the forklift job no longer fits
    await session.flush()
    assert await matches.followed_matches(session, vacancy, date(2026, 12, 1), followed) == []

    await add_person(session, 2)  # a newcomer is seen at once
    found = await matches.followed_matches(session, vacancy, date(2026, 12, 1), followed)
    assert [c.external_id for c in found] == ["P2"]


async def test_followed_index_is_rebuilt_after_its_maximum_age(session) -> None:
    ticks = Ticks()
    followed = matches.FollowedIndex(max_age_s=60, clock=ticks)
    await add_person(session, 1)
    first = await followed.current(session)
    ticks.now = 61
    assert await followed.current(session) is not first
