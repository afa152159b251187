"""A participant hears about a matching vacancy, answers it, and the counsellor gets the lead."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.db.models import Participant, Role, Staff, VacancyAlert
from bot.demo import midday_zone
from tests.helpers import texts
from tests.services.test_alerts import add_person, add_vacancy


@pytest.fixture
def settings(settings):
    # The clock ticks faster so alerts go out within the test's patience, at midday.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


async def seed(user, sessionmaker, *, mode: str = "instant", locale: str = "fr"):
    """Amélie, registered and followed by Karim, has opened her chat with the bot."""
    async with sessionmaker() as session:
        karim = Staff(
            telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
        )
        session.add(karim)
        await session.flush()
        amelie = await add_person(
            session, 1, mode=mode, counsellor=karim, telegram_id=1001, locale=locale
        )
        await session.commit()
    await user.send_text("/menu")
    await user.replies()
    return amelie.id


async def publish(sessionmaker, n: int = 1, **extra) -> int:
    async with sessionmaker() as session:
        vacancy = await add_vacancy(session, n, **extra)
        await session.commit()
        return vacancy.id


async def test_instant_alert_interest_reaches_the_counsellor_as_a_lead(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/menu")
    await karim.replies()
    vacancy = await publish(sessionmaker)

    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    assert "Courtrai · 26 km" in card.text
    assert "votre métier : Cariste" in card.text
    assert "Traduit automatiquement du néerlandais." in card.text

    await participant.press("🙋 Ça m'intéresse", message_id=card.message_id)
    assert "Votre conseiller a reçu votre intérêt" in texts(await participant.replies())

    [lead] = [m for m in await karim.replies(timeout=15) if "Piste" in m.text]
    assert "Person1 est intéressé(e)" in lead.text and "VDAB-1" in lead.text
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
    await participant.press("🙋 Ça m'intéresse", message_id=card.message_id)
    said = texts(await participant.replies())
    assert "L'équipe du projet a reçu votre intérêt" in said and "Votre conseiller" not in said
    [lead] = [m for m in await lies.replies(timeout=15) if "Piste" in m.text]
    assert "Person1 est intéressé(e)" in lead.text


async def test_dutch_original_and_not_for_me_with_a_reason(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]

    await participant.press("🇧🇪 Texte original", message_id=card.message_id)
    assert "Heftruckchauffeur 1 (m/v/x)" in texts(await participant.replies())

    await participant.press("👎 Pas pour moi", message_id=card.message_id)
    assert "Pourquoi ?" in texts(await participant.replies())
    await participant.press("📍 Trop loin")
    assert "Je ne vous montrerai plus cette offre" in texts(await participant.replies())
    async with sessionmaker() as session:
        alert = await session.scalar(select(VacancyAlert))
        assert (alert.response, alert.reason) == ("not_for_me", "distance")


async def test_stop_these_alerts_turns_them_off(bot_app, participant, sessionmaker) -> None:
    person = await seed(participant, sessionmaker)
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    await participant.press("🔕 Arrêter ces alertes", message_id=card.message_id)
    assert "vous ne recevrez plus d'alertes" in texts(await participant.replies())
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
    assert "2 offres correspondent" in listing.text
    first, second = listing.button_texts()
    assert first.startswith("1. Cariste 2") and second.startswith("2. Cariste 1")

    await participant.press(first, message_id=listing.message_id)
    [card] = await participant.replies()
    assert "Cariste 2" in card.text and "🙋 Ça m'intéresse" in card.button_texts()


async def test_a_button_of_an_expired_vacancy_says_it_is_gone(
    bot_app, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker, mode="daily")
    vacancy = await publish(sessionmaker, 1, expires=date(2026, 1, 31))
    await participant.press_data(f"vac:yes:{vacancy}:")
    assert "n'est plus disponible" in texts(await participant.replies())


async def test_in_dutch_the_card_is_the_original(bot_app, sandbox, sessionmaker) -> None:
    user = sandbox.user(1001, "Amélie", language_code="nl")
    await seed(user, sessionmaker, locale="nl")
    await publish(sessionmaker)
    [card] = [m for m in await user.replies(timeout=15) if "Heftruckchauffeur 1" in m.text]
    assert "Kortrijk · 26 km" in card.text and "Automatisch vertaald" not in card.text
    assert "🙋 Interesseert me" in card.button_texts()
