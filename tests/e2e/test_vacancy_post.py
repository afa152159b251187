"""Staff post a vacancy in the bot: a short flow in Dutch or French, a preview of the card,
and the participants whose profile fits hear about it from the background job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Vacancy
from bot.demo import midday_zone
from bot.sandbox import UserClient
from bot.services import staff as staff_service
from tests.e2e.test_vacancies import seed
from tests.helpers import buttons, texts
from tests.services.test_alerts import FORKLIFT, WELDER
from tests.stubs.libretranslate import LibreTranslateStub


@pytest.fixture
async def libre(request) -> AsyncIterator[LibreTranslateStub | None]:
    """A translation provider for the tests marked `translated` ("[nl>fr] " in front)."""
    if request.node.get_closest_marker("translated") is None:
        yield None
        return
    server = LibreTranslateStub()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settings(settings, libre):
    # The clock ticks faster so the background job runs within the test's patience.
    update = {"outbox_tick_s": 0.2, "tz": midday_zone()}
    if libre is not None:
        update |= {"translator": "libre", "translator_url": libre.url}
    return settings.model_copy(update=update)


async def add_staff(sessionmaker, telegram_id: int, role: str, name: str, territory=None):
    async with sessionmaker() as session:
        member = await staff_service.add_staff(
            session, telegram_id=telegram_id, role=role, name=name, territory=territory
        )
        await session.commit()
        return member


async def say(user: UserClient, *, press: str | None = None, text: str | None = None) -> list:
    if press is not None:
        await user.press(press)
    else:
        await user.send_text(text)
    return await user.replies()


async def stored(sessionmaker) -> list[Vacancy]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Vacancy)))


async def dutch_vacancy_up_to_the_preview(consultant: UserClient, until: date):
    """Els posts a forklift driver's job in Kortrijk, in Dutch; the preview she gets."""

    assert "In welke taal" in texts(await say(consultant, text="/vacancy"))
    assert "functietitel" in texts(await say(consultant, press="🇧🇪 Nederlands"))
    assert "werkgever" in texts(await say(consultant, text="Heftruckchauffeur  (m/v/x)"))
    assert "Welk beroep" in texts(await say(consultant, text="Vlaamse Verpakking NV"))
    results = await say(consultant, text="heftruck")
    assert "Heftruckchauffeur" in buttons(results)
    assert "werkplek" in texts(await say(consultant, press="Heftruckchauffeur"))
    dutch = await say(consultant, text="8500")
    assert "A0: niet nodig" in buttons(dutch)
    assert "rijbewijs" in texts(await say(consultant, press="A1"))
    await say(consultant, press="Nee")
    assert "Welke uren" in texts(await say(consultant, press="Vast contract (onbepaalde duur)"))
    await say(consultant, press="Ploegen (2x8, 3x8)")
    assert "Hoeveel uur" in texts(await say(consultant, press="Volgende ▶️"))
    assert "Tot wanneer" in texts(await say(consultant, text="38"))
    await say(consultant, text=until.strftime("%d.%m.%Y"))
    await say(consultant, text="Je rijdt met de heftruck.\nWe werken in ploegen.")
    return (await say(consultant, text="https://www.vdab.be/vacatures/123"))[-1]


async def test_a_vdab_consultant_posts_a_dutch_vacancy_and_a_fitting_participant_is_alerted(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)  # Amélie: forklift driver in Lille, instant alerts
    els = await add_staff(sessionmaker, 9200, "vdab", "Els")
    consultant = sandbox.user(9200, "Els", language_code="nl")
    until = date.today() + timedelta(days=40)
    preview = await dutch_vacancy_up_to_the_preview(consultant, until)
    assert "Voorbeeld" in preview.text
    assert "💼 Heftruckchauffeur (m/v/x)\n🏢 Vlaamse Verpakking NV" in preview.text
    assert "Kortrijk · 0 km" in preview.text and "38 u per week" in preview.text
    assert "Je rijdt met de heftruck." in preview.text
    # No translator: French readers get the glossary's title and the Dutch text, and the
    # preview says so rather than promising a translation.
    dutch, french = preview.text.split("— Voor wie Frans leest:")
    assert "Heftruckchauffeur (m/v/x)" in dutch and "— Voor wie Nederlands leest:" in dutch
    assert "💼 Cariste (h/f/x)" in french and "Je rijdt met de heftruck." in french
    assert "Traduction automatique indisponible : voici le texte original." in french
    assert "automatisch vertaald" not in preview.text
    assert preview.button_texts() == ["✅ Plaatsen", "✏️ Wijzigen", "✖️ Annuleren"]

    done = (await say(consultant, press="✅ Plaatsen"))[-1]
    assert "Vacature geplaatst onder referentie bot-" in done.text
    assert "Eén gevolgde deelnemer heeft een passend profiel (1 op Telegram)" in done.text
    assert done.button_texts() == ["➕ Nog een vacature plaatsen"]

    [vacancy] = await stored(sessionmaker)
    assert vacancy.external_id in done.text and vacancy.posted_by == els.id
    assert (vacancy.lang, vacancy.title_nl) == ("nl", "Heftruckchauffeur (m/v/x)")
    assert vacancy.description_nl == "Je rijdt met de heftruck.\nWe werken in ploegen."
    assert (vacancy.occupation, vacancy.postcode, vacancy.municipality) == (
        FORKLIFT,
        "8500",
        "Kortrijk",
    )
    assert (vacancy.lat, vacancy.lon) == (50.828, 3.2649)
    assert (vacancy.dutch_level, vacancy.driving_licence, vacancy.contract) == (
        "A1",
        False,
        "permanent",
    )
    assert (vacancy.schedule, vacancy.hours_per_week, vacancy.expires) == (["shifts"], 38, until)
    assert vacancy.url == "https://www.vdab.be/vacatures/123"

    # No translator in tests: the glossary gives the French title, the text stays Dutch.
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste" in m.text]
    assert card.text.startswith("💼 Cariste (h/f/x)\n🏢 Vlaamse Verpakking NV")
    assert "Courtrai · 26 km" in card.text and "votre métier : Cariste" in card.text
    assert "Je rijdt met de heftruck." in card.text
    assert "Traduction automatique indisponible : voici le texte original." in card.text
    assert "🙋 Ça m'intéresse" in card.button_texts()


async def test_a_counsellor_posts_in_french_going_back_and_picking_the_commune(
    bot_app, sandbox, sessionmaker
) -> None:
    karim = await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    user = sandbox.user(9100, "Karim")
    await say(user, text="/vacancy")
    await say(user, press="🇫🇷 Français")
    await say(user, text="Soudeur TIG")
    back = await say(user, press="◀️ Retour")
    assert "intitulé du poste" in texts(back) and "« Soudeur TIG »" in texts(back)
    assert "Quel est l'employeur" in texts(await say(user, press="Garder ▶️"))
    await say(user, text="Ateliers du Westhoek")
    await say(user, text="soudeur")
    assert "lieu de travail" in texts(await say(user, press="Soudeur"))
    communes = await say(user, text="Comines")
    assert "Plusieurs communes" in texts(communes)
    assert buttons(communes)[:2] == ["Comines (59560)", "Comines-Warneton (7780)"]
    await say(user, press="Comines-Warneton (7780)")
    await say(user, press="A0 : pas besoin")
    await say(user, press="Oui")
    await say(user, press="Intérim")
    assert "Combien d'heures" in texts(await say(user, press="Pas d'horaire particulier"))
    for _ in range(3):  # hours, expiry date, description
        await say(user, press="Passer ⏭️")
    preview = await say(user, press="Passer ⏭️")  # link
    assert "Aperçu" in texts(preview) and "Soudeur TIG" in texts(preview)
    assert "Comines-Warneton · 0 km" in texts(preview)
    assert "Offre publiée" in texts(await say(user, press="✅ Publier"))
    assert "Nouvelle offre" in texts(await say(user, press="➕ Publier une autre offre"))

    [vacancy] = await stored(sessionmaker)
    assert (vacancy.lang, vacancy.title_fr, vacancy.posted_by) == ("fr", "Soudeur TIG", karim.id)
    assert (vacancy.occupation, vacancy.postcode, vacancy.municipality) == (
        WELDER,
        "7780",
        "Comines-Warneton",
    )
    assert (vacancy.dutch_level, vacancy.driving_licence, vacancy.contract) == (
        "A0",
        True,
        "interim",
    )
    assert (vacancy.schedule, vacancy.hours_per_week, vacancy.expires, vacancy.url) == (
        [],
        None,
        None,
        None,
    )


async def test_each_bad_answer_gets_its_own_message_and_the_question_again(
    bot_app, sandbox, sessionmaker
) -> None:
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    user = sandbox.user(9100, "Karim")
    await say(user, text="/vacancy")
    await user.send_photo()
    assert "Répondez avec les boutons" in texts(await user.replies())
    await say(user, press="🇫🇷 Français")
    too_long = await say(user, text="x" * 201)
    assert "trop long (201 caractères)" in texts(too_long) and "intitulé" in texts(too_long)
    assert "au moins 3" in texts(await say(user, text="Op"))
    await say(user, text="Soudeur")
    await user.send_sticker()
    assert "Écrivez votre réponse en texte" in texts(await user.replies())
    await user.send_text("/foo")  # not taken for the employer's name
    assert "Je ne connais pas la commande /foo" in texts(await user.replies())
    await say(user, text="Ateliers du Westhoek")
    unknown = await say(user, text="astronaute spatial")
    assert "aucun métier pour « astronaute spatial »" in texts(unknown)
    assert "Quel métier" in texts(unknown)
    await say(user, text="soudeur")
    await say(user, press="Soudeur")
    nowhere = await say(user, text="75001")
    assert "Je ne connais pas « 75001 »" in texts(nowhere) and "lieu de travail" in texts(nowhere)
    await say(user, text="8500")
    await say(user, press="B1")
    await say(user, press="Non")
    await say(user, press="CDI (contrat à durée indéterminée)")
    await say(user, press="Suivant ▶️")
    assert "de 1 à 50" in texts(await say(user, text="quarante"))
    await say(user, text="38")
    assert "Je ne comprends pas cette date" in texts(await say(user, text="31/02/2027"))
    assert "déjà passée" in texts(await say(user, text="2020-01-31"))
    await say(user, press="Passer ⏭️")
    await say(user, press="Passer ⏭️")
    insecure = await say(user, text="http://example.com/offre")
    assert "commence par https://" in texts(insecure) and "Un lien" in texts(insecure)
    await say(user, text="https://example.com/offre")
    cancelled = await say(user, press="✖️ Annuler")
    assert "rien n'est publié" in texts(cancelled)
    assert await stored(sessionmaker) == []


async def test_a_participant_is_refused_the_vacancy_flow(bot_app, participant) -> None:
    await participant.send_text("/vacancy")
    assert "réservée à l'équipe" in texts(await participant.replies())
    await participant.press_data("vpost")
    await participant.replies()
    assert "réservée à l'équipe" in participant.callback_answers[-1]


@pytest.mark.translated
async def test_with_a_translator_the_preview_shows_the_translation_french_readers_get(
    bot_app, sandbox, sessionmaker, libre
) -> None:
    await add_staff(sessionmaker, 9200, "vdab", "Els")
    consultant = sandbox.user(9200, "Els", language_code="nl")
    preview = await dutch_vacancy_up_to_the_preview(consultant, date.today() + timedelta(days=9))
    _dutch, french = preview.text.split("— Voor wie Frans leest:")
    assert "[nl>fr] Je rijdt met de heftruck." in french
    assert "Traduit automatiquement du néerlandais." in french
    assert "indisponible" not in french
