"""A participant registers: consent first, one question per message, buttons, a way back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Participant
from bot.sandbox import UserClient
from tests.e2e.test_welcome import buttons, texts


async def begin(user: UserClient, language: str) -> list:
    await user.send_text("/start")
    await user.replies()
    await user.press("🇫🇷 Français" if language == "fr" else "🇧🇪 Nederlands")
    await user.replies()
    await user.press("Continuer ▶️" if language == "fr" else "Verder ▶️")
    return await user.replies()


async def answer(user: UserClient, *, press: str | None = None, text: str | None = None):
    if press is not None:
        await user.press(press)
    else:
        await user.send_text(text)
    return await user.replies()


async def stored(sessionmaker, telegram_first_name: str | None = None) -> Participant | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


async def test_full_registration_in_french_stores_the_profile(bot_app, participant, sessionmaker):
    consent = await begin(participant, "fr")
    assert "deux ans après notre dernier contact" in texts(consent)
    name = await answer(participant, press="✅ J'accepte")
    assert "Quel prénom" in texts(name)
    assert buttons(name)[0] == "Garder « Amélie »"
    territory = await answer(participant, press="Garder « Amélie »")
    assert buttons(territory)[:3] == [
        "Lille-Roubaix-Tourcoing",
        "Flandres maritimes (Dunkerque)",
        "Wallonie picarde",
    ]
    await answer(participant, press="Lille-Roubaix-Tourcoing")
    results = await answer(participant, text="carist")
    assert "Cariste" in buttons(results)
    await answer(participant, press="Cariste")
    dutch = await answer(participant, press="Terminé ✅")
    assert "niveau de néerlandais" in texts(dutch)
    await answer(participant, press="A1 : quelques mots")
    await answer(participant, press="Oui")  # licence
    commute = await answer(participant, press="Non")  # no car
    assert "distance" in texts(commute)
    home = await answer(participant, press="30 km")
    assert "code postal" in texts(home)
    bad = await answer(participant, text="75001")
    assert "Je ne connais pas ce code postal" in texts(bad)
    availability = await answer(participant, text="59200")
    assert "Quand pouvez-vous travailler" in texts(availability)
    await answer(participant, press="Journée")
    await answer(participant, press="Nuit")
    await answer(participant, press="Suivant ▶️")
    done = await answer(participant, press="Une fois par jour")
    assert "C'est fait, Amélie" in texts(done)
    assert "Cariste" in texts(done)

    saved = await stored(sessionmaker)
    assert saved.consent_at is not None
    assert (saved.first_name, saved.territory, saved.dutch_level) == ("Amélie", "LRT", "A1")
    assert (saved.driving_licence, saved.has_car, saved.max_commute_km) == (True, False, 30)
    assert saved.home_postcode == "59200" and saved.home_lat is not None
    assert saved.availability == ["day", "nights"]
    assert saved.alert_mode == "daily"
    assert len(saved.occupations) == 1


async def test_registration_in_dutch_with_a_shared_location(bot_app, sandbox, sessionmaker):
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    await begin(jan, "nl")
    await answer(jan, press="✅ Ik ga akkoord")
    await answer(jan, text="Jan-Pieter")
    await answer(jan, press="Picardisch Wallonië")
    results = await answer(jan, text="heftruck")
    assert "Heftruckchauffeur" in buttons(results)
    await answer(jan, press="Heftruckchauffeur")
    await answer(jan, press="Klaar ✅")
    await answer(jan, press="B1: ik red me op het werk")
    commute = await answer(jan, press="Nee")  # no licence: no car question
    assert "Hoe ver" in texts(commute)
    await answer(jan, press="45 km")
    await jan.send_location(50.74, 3.21)
    availability = await jan.replies()
    assert "Wanneer kunt u werken" in texts(availability)
    await answer(jan, press="Volgende ▶️")
    done = await answer(jan, press="Meteen")
    assert "Klaar, Jan-Pieter" in texts(done)

    saved = await stored(sessionmaker)
    assert (saved.territory, saved.driving_licence, saved.has_car) == ("WAPI", False, False)
    assert (saved.home_lat, saved.home_lon, saved.home_postcode) == (50.74, 3.21, None)
    assert saved.alert_mode == "instant"


async def test_declining_consent_stores_nothing(bot_app, participant, sessionmaker):
    await begin(participant, "fr")
    replies = await answer(participant, press="Pas maintenant")
    assert "Je n'ai rien enregistré" in texts(replies)
    assert await stored(sessionmaker) is None


@pytest.mark.parametrize("bad_name", ["A", "Amélie123", "x" * 60])
async def test_a_bad_first_name_gets_a_clear_message_and_the_question_again(
    bot_app, participant, bad_name
):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    replies = await answer(participant, text=bad_name)
    assert "Écrivez seulement votre prénom" in texts(replies)


async def test_back_returns_to_the_previous_question(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Garder « Amélie »")
    replies = await answer(participant, press="◀️ Retour")
    assert "Quel prénom" in texts(replies)


async def test_registration_interrupted_by_a_restart_continues(
    start_bot, participant, sessionmaker
):
    first = await start_bot()
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Garder « Amélie »")
    await first.close()

    await start_bot()
    await answer(participant, press="Flandres maritimes (Dunkerque)")
    results = await answer(participant, text="soudeur")
    assert any("oudeur" in label for label in buttons(results))


async def test_an_unknown_occupation_and_an_empty_choice_get_clear_answers(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Garder « Amélie »")
    await answer(participant, press="Wallonie picarde")
    nothing = await answer(participant, text="astronaute spatial")
    assert "Je n'ai trouvé aucun métier" in texts(nothing)
    sector = await answer(participant, press="Logistique")
    assert "Touchez les métiers" in texts(sector)
    await participant.press("Terminé ✅")
    await participant.replies()
    assert "Choisissez au moins un métier" in participant.callback_answers[-1]
