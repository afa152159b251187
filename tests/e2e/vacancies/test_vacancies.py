"""A participant hears about a matching vacancy, answers it, and the counsellor gets the lead."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.db.models import Participant, Role, Staff, VacancyAlert
from bot.demo import midday_zone
from tests.helpers import holds, say, texts
from tests.helpers.people import add_person, seed
from tests.helpers.vacancies import publish


@pytest.fixture
def settings(settings):
    # The clock ticks faster so alerts go out within the test's patience, at midday.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


def card_of_vacancy_1(text: str, locale: str = "fr", machine: str = "yes") -> bool:
    """Whether `text` is the alert card of `publish`'s vacancy 1, 26 km from Amélie."""
    title, town = (
        ("Cariste 1 (h/f/x)", "Courtrai")
        if locale == "fr"
        else ("Heftruckchauffeur 1 (m/v/x)", "Kortrijk")
    )
    return holds(
        text,
        "alert-card",
        locale,
        title=title,
        employer="Vlaamse Verpakking NV",
        town=town,
        km=26,
        contract={"key": "contract-permanent"},
        hours=0,
        reasons=...,
        description=...,
        translated="yes",
        machine=machine,
    )


def lead_for_person1(text: str) -> bool:
    anything = dict.fromkeys(
        ("participant", "territory", "dutch", "occupations", "title", "employer", "town"), ...
    )
    return holds(
        text,
        "lead",
        name="Person1",
        vacancy="VDAB-1",
        km=...,
        reasons=...,
        url=...,
        reach={"key": "reach-telegram"},  # they just answered in Telegram
        **anything,
    )


async def test_instant_alert_interest_reaches_the_counsellor_as_a_lead(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/menu")
    await karim.replies()
    vacancy = await publish(sessionmaker)

    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    assert card_of_vacancy_1(card.text)  # translated automatically, and says so
    assert say("match-reason-occupation", occupation="Cariste") in card.text

    await participant.press(say("alert-interested"), message_id=card.message_id)
    said = texts(await participant.replies())
    assert say("alert-interested-done", title="Cariste 1 (h/f/x)") in said

    leads = [m for m in await karim.replies(timeout=15) if lead_for_person1(m.text)]
    assert len(leads) == 1
    async with sessionmaker() as session:
        alert = await session.scalar(
            select(VacancyAlert).where(
                VacancyAlert.participant_id == person, VacancyAlert.vacancy_id == vacancy
            )
        )
        assert alert.response == "interested"


async def test_interest_of_someone_without_a_counsellor_goes_to_the_team_and_says_so(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    async with sessionmaker() as session:
        session.add(Staff(telegram_id=9300, role=Role.COORDINATOR, name="Lies", referral_code="l1"))
        person = await add_person(session, 1, telegram_id=1001)
        person.territory = "WAPI"  # no counsellor there
        await session.commit()
    lies = sandbox.user(9300, "Lies")
    await lies.send_text("/menu")
    await lies.replies()
    await participant.send_text("/menu")
    await participant.replies()
    await publish(sessionmaker)

    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    await participant.press(say("alert-interested"), message_id=card.message_id)
    said = texts(await participant.replies())
    assert say("alert-interested-team", title="Cariste 1 (h/f/x)") in said
    assert not holds(said, "alert-interested-done", title="Cariste 1 (h/f/x)")
    assert len([m for m in await lies.replies(timeout=15) if lead_for_person1(m.text)]) == 1


async def test_dutch_original_and_not_for_me_with_a_reason(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]

    await participant.press(say("alert-original"), message_id=card.message_id)
    assert "Heftruckchauffeur 1 (m/v/x)" in texts(await participant.replies())

    await participant.press(say("alert-not-for-me"), message_id=card.message_id)
    assert say("alert-why-not") in texts(await participant.replies())
    await participant.press(say("alert-reason-distance"))
    assert say("alert-not-for-me-done") in texts(await participant.replies())
    async with sessionmaker() as session:
        alert = await session.scalar(select(VacancyAlert))
        assert (alert.response, alert.reason) == ("not_for_me", "distance")


async def test_stop_these_alerts_turns_them_off(bot_app, participant, sessionmaker) -> None:
    person = await seed(participant, sessionmaker)
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    await participant.press(say("alert-stop"), message_id=card.message_id)
    assert say("alert-stopped") in texts(await participant.replies())
    await publish(sessionmaker, 2)
    assert not [m for m in await participant.replies(timeout=1.5) if "Cariste 2" in m.text]
    async with sessionmaker() as session:
        assert (await session.get(Participant, person)).alert_mode == "off"


async def test_jobs_lists_matches_best_first_and_opens_a_card(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker, mode="daily")
    await publish(sessionmaker, 1, km_east=3)
    await publish(sessionmaker, 2, km_east=0)
    await publish(sessionmaker, 3, occupation="7212.3")  # welder: not hers

    await participant.send_text("/jobs")
    [listing] = await participant.replies()
    assert say("jobs-title", count=2) in listing.text
    first, second = listing.button_texts()
    assert first.startswith("1. Cariste 2") and second.startswith("2. Cariste 1")

    await participant.press(first, message_id=listing.message_id)
    [card] = await participant.replies()
    assert "Cariste 2" in card.text and say("alert-interested") in card.button_texts()


async def test_a_button_of_an_expired_vacancy_says_it_is_gone(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker, mode="daily")
    vacancy = await publish(sessionmaker, 1, expires=date(2026, 1, 31))
    await participant.press_data(f"vac:yes:{vacancy}:")
    assert say("vacancy-gone") in texts(await participant.replies())


async def test_in_dutch_the_card_is_the_original(bot_app, sandbox, sessionmaker) -> None:
    user = sandbox.user(1001, "Amélie", language_code="nl")
    await seed(user, sessionmaker, locale="nl")
    await publish(sessionmaker)
    [card] = [m for m in await user.replies(timeout=15) if "Heftruckchauffeur 1" in m.text]
    assert card_of_vacancy_1(card.text, "nl", machine="no")
    assert not card_of_vacancy_1(card.text, "nl", machine="yes")  # the original: no note
    assert say("alert-interested", "nl") in card.button_texts()
