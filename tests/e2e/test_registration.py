"""A participant registers: consent first, one question per message, buttons, a way back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Participant
from bot.sandbox import UserClient
from tests.helpers import buttons, texts

BACK = {"fr": "◀️ Retour", "nl": "◀️ Terug"}


async def begin(user: UserClient, language: str) -> list:
    """/start and the language: what the programme offers, then the consent."""
    await user.send_text("/start")
    await user.replies()
    await user.press("🇫🇷 Français" if language == "fr" else "🇧🇪 Nederlands")
    return await user.replies()


async def answer(user: UserClient, *, press: str | None = None, text: str | None = None):
    if press is not None:
        await user.press(press)
    else:
        await user.send_text(text)
    return await user.replies()


async def up_to_the_home_step(participant: UserClient) -> list:
    """A French journey up to "where do you live?" (the step with a reply keyboard); what
    that question came with."""
    await begin(participant, "fr")
    for step in ("✅ J'accepte", "Lille-Roubaix-Tourcoing"):
        await answer(participant, press=step)
    await answer(participant, text="cariste")
    for step in ("👍 Oui : Cariste", "A0 : aucun", "🚶 Pas de permis"):
        await answer(participant, press=step)
    return await answer(participant, press="15 km")


async def stored(sessionmaker) -> Participant | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


def no_bare_dots(messages) -> bool:
    return all((m.text or "").strip() not in ("...", "…") for m in messages)


def reply_keyboard_shown(chat) -> bool:
    """Whether a reply keyboard is still under the input field: one came with a message
    still there (not deleted), and no later message took it away."""
    shown = False
    for message in chat:
        if message.keyboard:
            shown = True
        elif message.remove_keyboard:
            shown = False
    return shown


async def test_full_registration_in_french_stores_the_profile(bot_app, participant, sessionmaker):
    consent = await begin(participant, "fr")
    assert "Flandre occidentale" in texts(consent)  # what the programme offers
    assert "deux ans après notre dernier contact" in texts(consent)
    territory = await answer(participant, press="✅ J'accepte")
    # The Telegram first name is used; the person is told how to change it.
    assert "Je vous appellerai Amélie" in texts(territory) and "/profile" in texts(territory)
    assert buttons(territory)[:3] == [
        "Lille-Roubaix-Tourcoing",
        "Flandres maritimes (Dunkerque)",
        "Wallonie picarde",
    ]
    await answer(participant, press="Lille-Roubaix-Tourcoing")
    results = await answer(participant, text="carist")
    assert "j'ai trouvé : <b>Cariste</b>" in texts(results) or "j'ai trouvé : Cariste" in texts(
        results
    )
    dutch = await answer(participant, press="👍 Oui : Cariste")
    assert "niveau de néerlandais" in texts(dutch)
    transport = await answer(participant, press="A1 : quelques mots")
    assert buttons(transport)[:3] == [
        "🚗 Permis et voiture",
        "🪪 Permis, sans voiture",
        "🚶 Pas de permis",
    ]
    commute = await answer(participant, press="🪪 Permis, sans voiture")
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
    assert saved.occupations == ["8344.1"]


async def register_counting(user: UserClient, language: str) -> list:
    """The shortest journey of someone who types one occupation and a postcode; every
    message the bot sent on the way."""
    fr = language == "fr"
    seen = await begin(user, language)
    seen += await answer(user, press="✅ J'accepte" if fr else "✅ Ik ga akkoord")
    seen += await answer(user, press="Lille-Roubaix-Tourcoing" if fr else "Picardisch Wallonië")
    seen += await answer(user, text="cariste" if fr else "heftruckchauffeur")
    seen += await answer(user, press="👍 Oui : Cariste" if fr else "👍 Ja: Heftruckchauffeur")
    seen += await answer(user, press="A1 : quelques mots" if fr else "B1: ik red me op het werk")
    seen += await answer(user, press="🚗 Permis et voiture" if fr else "🚶 Geen rijbewijs")
    seen += await answer(user, press="30 km")
    seen += await answer(user, text="59200" if fr else "7700")
    seen += await answer(user, press="Journée" if fr else "Overdag")
    seen += await answer(user, press="Suivant ▶️" if fr else "Volgende ▶️")
    seen += await answer(user, press="Une fois par jour" if fr else "Eén keer per dag")
    return seen


async def test_a_french_participant_registers_in_at_most_15_interactions(
    bot_app, participant, sessionmaker
):
    seen = await register_counting(participant, "fr")
    assert "C'est fait, Amélie" in texts(seen)
    assert participant.interactions <= 15
    assert participant.interactions == 13  # /start included
    saved = await stored(sessionmaker)
    assert (saved.first_name, saved.territory, saved.occupations) == ("Amélie", "LRT", ["8344.1"])
    assert (saved.driving_licence, saved.has_car, saved.home_postcode) == (True, True, "59200")
    assert no_bare_dots(seen)


async def test_a_dutch_participant_registers_in_at_most_15_interactions(
    bot_app, sandbox, sessionmaker
):
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    seen = await register_counting(jan, "nl")
    assert "Klaar, Jan" in texts(seen)
    assert jan.interactions == 13
    saved = await stored(sessionmaker)
    assert (saved.first_name, saved.territory, saved.home_postcode) == ("Jan", "WAPI", "7700")
    assert (saved.driving_licence, saved.has_car) == (False, False)
    assert no_bare_dots(seen)


async def test_registration_in_dutch_with_a_shared_location(bot_app, sandbox, sessionmaker):
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    await begin(jan, "nl")
    await answer(jan, press="✅ Ik ga akkoord")
    await answer(jan, press="Picardisch Wallonië")
    results = await answer(jan, text="heftruck")
    assert "👍 Ja: Heftruckchauffeur" in buttons(results)
    await answer(jan, press="👍 Ja: Heftruckchauffeur")
    await answer(jan, press="B1: ik red me op het werk")
    commute = await answer(jan, press="🚶 Geen rijbewijs")
    assert "Hoe ver" in texts(commute)
    home = await answer(jan, press="45 km")
    [location, back] = home[-1].keyboard
    assert location == ["📍 Mijn locatie sturen"] and back[0].startswith("◀️ Terug")
    await jan.send_location(50.74, 3.21)
    availability = await jan.replies()
    # The reply keyboard goes with a word saying what was understood, never a bare "...".
    assert no_bare_dots(availability)
    [noted] = [m for m in availability if m.remove_keyboard]
    assert noted.text == "🏠 Moeskroen, genoteerd."
    assert not reply_keyboard_shown(await jan.messages())
    assert "Wanneer kunt u werken" in texts(availability)
    await answer(jan, press="Volgende ▶️")
    done = await answer(jan, press="Meteen")
    assert "Klaar, Jan" in texts(done)
    assert "🏠 Moeskroen" in texts(done)

    saved = await stored(sessionmaker)
    assert (saved.territory, saved.driving_licence, saved.has_car) == ("WAPI", False, False)
    assert (saved.home_lat, saved.home_lon, saved.home_postcode) == (50.74, 3.21, None)
    assert saved.alert_mode == "instant"


async def test_a_postcode_closes_the_keyboard_with_the_town_and_the_profile_shows_it(
    bot_app, participant
):
    await up_to_the_home_step(participant)
    after_postcode = await answer(participant, text="59200")
    assert no_bare_dots(after_postcode)
    [noted] = [m for m in after_postcode if m.remove_keyboard]
    assert noted.text == "🏠 Tourcoing, noté."
    assert not reply_keyboard_shown(await participant.messages())
    await answer(participant, press="Suivant ▶️")
    await answer(participant, press="Pas d'offres")
    card = await answer(participant, text="/profile")
    assert "🏠 Tourcoing" in texts(card) and "59200" not in texts(card)
    # A Dutch reader reads the Dutch name of the town.
    await answer(participant, text="/lang")
    await answer(participant, press="🇧🇪 Nederlands")
    card = await answer(participant, text="/profile")
    assert "🏠 Toerkonje" in texts(card)


async def test_a_postcode_shared_by_several_communes_asks_which_one(
    bot_app, participant, sessionmaker
):
    await up_to_the_home_step(participant)
    towns = await answer(participant, text="59112")
    assert no_bare_dots(towns)
    assert [m.text for m in towns if m.remove_keyboard] == [
        "🏠 59112 : ce code postal sert plusieurs communes."
    ]
    assert "Dans quelle commune" in texts(towns)
    assert buttons(towns) == ["Annœullin", "Carnin", "◀️ Retour"]
    availability = await answer(participant, press="Carnin")
    assert "Quand pouvez-vous travailler" in texts(availability)
    await answer(participant, press="Suivant ▶️")
    done = await answer(participant, press="Pas d'offres")
    assert "🏠 Carnin" in texts(done)
    saved = await stored(sessionmaker)
    assert saved.home_postcode == "59112" and round(saved.home_lat, 2) == 50.52


async def test_a_search_with_several_close_matches_lists_them_to_tick(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Lille-Roubaix-Tourcoing")
    results = await answer(participant, text="chauffeur")
    assert "Résultats pour « chauffeur »" in texts(results)
    assert not any(label.startswith("👍") for label in buttons(results))
    await answer(participant, press="Chauffeur poids lourd")
    dutch = await answer(participant, press="Terminé ✅")
    assert "niveau de néerlandais" in texts(dutch)


async def test_a_clear_match_is_taken_with_the_related_ones_ticked_before(
    bot_app, participant, sessionmaker
):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Lille-Roubaix-Tourcoing")
    results = await answer(participant, text="magasinier")
    assert "D'autres métiers proches" in texts(results)
    assert buttons(results)[:2] == ["👍 Oui : Magasinier", "Cariste"]
    ticked = await answer(participant, press="Cariste")
    assert "✅ Cariste" in buttons(ticked)
    await answer(participant, press="👍 Oui : Magasinier")
    for step in ("A0 : aucun", "🚶 Pas de permis", "15 km"):
        await answer(participant, press=step)
    await answer(participant, text="59200")
    await answer(participant, press="Suivant ▶️")
    await answer(participant, press="Pas d'offres")
    saved = await stored(sessionmaker)
    assert sorted(saved.occupations) == ["8344.1", "9333.8"]


async def test_declining_consent_stores_nothing(bot_app, participant, sessionmaker):
    await begin(participant, "fr")
    replies = await answer(participant, press="Pas maintenant")
    assert "Je n'ai rien enregistré" in texts(replies)
    assert await stored(sessionmaker) is None


async def test_a_telegram_name_that_is_not_a_first_name_is_asked_for(
    bot_app, sandbox, sessionmaker
):
    fox = UserClient(sandbox.url, user_id=1003, first_name="🦊", language_code="fr")
    await begin(fox, "fr")
    name = await answer(fox, press="✅ J'accepte")
    assert "Quel prénom" in texts(name)
    assert buttons(name) == ["◀️ Retour"]
    territory = await answer(fox, text="Nadia")
    assert "Où habitez-vous" in texts(territory)
    back = await answer(fox, press="◀️ Retour")
    assert "Quel prénom" in texts(back)


@pytest.mark.parametrize("bad_name", ["A", "Amélie123", "x" * 60])
async def test_a_bad_first_name_gets_a_clear_message_and_the_question_again(
    bot_app, sandbox, bad_name
):
    fox = UserClient(sandbox.url, user_id=1003, first_name="🦊", language_code="fr")
    await begin(fox, "fr")
    await answer(fox, press="✅ J'accepte")
    replies = await answer(fox, text=bad_name)
    assert "Écrivez seulement votre prénom" in texts(replies)


async def test_back_returns_to_the_previous_question_at_every_step(bot_app, participant):
    """Forward one step, back, forward again: each "Back" shows the question before."""
    await begin(participant, "fr")

    async def back_shows(expected: str, *, typed: bool = False) -> None:
        if typed:  # the home step's keyboard is under the input field: pressing it sends it
            shown = [m for m in await participant.messages() if m.keyboard][-1].keyboard
            [label] = [text for row in shown for text in row if text.startswith(BACK["fr"])]
            replies = await answer(participant, text=label)
        else:
            replies = await answer(participant, press=BACK["fr"])
        assert expected in texts(replies)
        assert no_bare_dots(replies)

    await answer(participant, press="✅ J'accepte")
    await back_shows("Avant de commencer")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Wallonie picarde")
    await back_shows("Où habitez-vous ?")
    await answer(participant, press="Wallonie picarde")
    await answer(participant, text="soudeur")
    await answer(participant, press="👍 Oui : Soudeur")
    await back_shows("Quels métiers")
    await answer(participant, press="Terminé ✅")
    await answer(participant, press="A2 : phrases simples")
    await back_shows("niveau de néerlandais")
    await answer(participant, press="A2 : phrases simples")
    await answer(participant, press="🚶 Pas de permis")
    await back_shows("permis de conduire")
    await answer(participant, press="🚶 Pas de permis")
    await answer(participant, press="30 km")
    await back_shows("Jusqu'à quelle distance", typed=True)
    await answer(participant, press="30 km")
    await answer(participant, text="59112")
    await back_shows("Où habitez-vous exactement")
    await answer(participant, text="7700")
    await back_shows("Où habitez-vous exactement")
    await answer(participant, text="7700")
    await answer(participant, press="Suivant ▶️")
    await back_shows("Quand pouvez-vous travailler")
    await answer(participant, press="Suivant ▶️")
    done = await answer(participant, press="Pas d'offres")
    assert "C'est fait, Amélie" in texts(done)


async def test_registration_interrupted_by_a_restart_continues(
    start_bot, participant, sessionmaker
):
    first = await start_bot()
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await first.close()

    await start_bot()
    await answer(participant, press="Flandres maritimes (Dunkerque)")
    results = await answer(participant, text="soudeur")
    assert any("oudeur" in label for label in buttons(results))


async def test_an_unknown_occupation_and_an_empty_choice_get_clear_answers(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press="✅ J'accepte")
    await answer(participant, press="Wallonie picarde")
    nothing = await answer(participant, text="astronaute spatial")
    assert "Je n'ai trouvé aucun métier" in texts(nothing)
    sector = await answer(participant, press="Logistique")
    assert "Touchez les métiers" in texts(sector)
    await participant.press("Terminé ✅")
    await participant.replies()
    assert "Choisissez au moins un métier" in participant.callback_answers[-1]


@pytest.mark.parametrize("command", ["/menu", "/cancel", "/profile"])
async def test_leaving_at_the_home_step_takes_the_keyboard_away_without_bare_dots(
    bot_app, participant, command
):
    await up_to_the_home_step(participant)
    replies = await answer(participant, text=command)
    assert replies and no_bare_dots(replies)
    assert not reply_keyboard_shown(await participant.messages())


async def test_the_home_steps_back_button_pressed_after_cancel_says_it_expired(
    bot_app, participant
):
    """A phone may still show the reply keyboard of a step that is gone: its button is then
    answered like any expired button, with the menu."""
    home = await up_to_the_home_step(participant)
    [back] = [b for m in home for row in m.keyboard for b in row if "Retour" in b]
    await answer(participant, text="/cancel")
    replies = await answer(participant, text=back)
    assert "Ce bouton n'est plus actif" in texts(replies)
    assert "👤 Mon profil" in buttons(replies)
