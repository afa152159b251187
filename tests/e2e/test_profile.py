"""A registered participant sees their profile and changes one field at a time."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Participant
from tests.e2e.test_data_rights import SECRET_NAME, register
from tests.e2e.test_registration import answer, reply_keyboard_shown
from tests.helpers import buttons, texts


async def saved(sessionmaker) -> Participant:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


async def test_profile_shows_the_card_with_one_button_per_field(bot_app, participant):
    await register(participant)
    card = await answer(participant, text="/profile")
    assert "Votre profil" in texts(card)
    assert SECRET_NAME in texts(card) and "Cariste" in texts(card)
    assert buttons(card)[:4] == ["Prénom", "Territoire", "Métiers", "Néerlandais"]


async def test_changing_the_dutch_level_changes_only_that(bot_app, participant, sessionmaker):
    await register(participant)
    before = await saved(sessionmaker)
    await answer(participant, text="/profile")
    question = await answer(participant, press="Néerlandais")
    assert "niveau de néerlandais" in texts(question)
    card = await answer(participant, press="B2 : je parle bien")
    assert "B2 : je parle bien" in texts(card)
    after = await saved(sessionmaker)
    assert after.dutch_level == "B2"
    assert (after.first_name, after.occupations, after.home_postcode) == (
        before.first_name,
        before.occupations,
        before.home_postcode,
    )


async def test_adding_an_occupation_keeps_the_first_one(bot_app, participant, sessionmaker):
    await register(participant)
    await answer(participant, text="/profile")
    await answer(participant, press="Métiers")
    results = await answer(participant, text="soudeur")
    assert "👍 Oui : Soudeur" in buttons(results)
    card = await answer(participant, press="👍 Oui : Soudeur")
    assert "Cariste, Soudeur" in texts(card)
    assert len((await saved(sessionmaker)).occupations) == 2


async def test_back_during_an_edit_returns_to_the_profile_unchanged(
    bot_app, participant, sessionmaker
):
    await register(participant)
    await answer(participant, text="/profile")
    await answer(participant, press="Distance")
    card = await answer(participant, press="◀️ Retour")
    assert "Votre profil" in texts(card)
    assert (await saved(sessionmaker)).max_commute_km == 15


async def test_each_field_is_changed_with_the_registration_step_and_the_card_comes_back(
    bot_app, participant, sessionmaker
):
    await register(participant)
    await answer(participant, text="/profile")

    async def change(field: str, *steps: str, typed: str | None = None) -> list:
        await answer(participant, press=field)
        replies = []
        for step in steps:
            replies = await answer(participant, press=step)
        if typed is not None:
            replies = await answer(participant, text=typed)
        assert "Votre profil" in texts(replies)
        assert all((m.text or "").strip() != "..." for m in replies)
        return replies

    await change("Prénom", typed="Nadia")
    await change("Territoire", "Flandres maritimes (Dunkerque)")
    await change("Permis, voiture", "🚗 Permis et voiture")
    await change("Distance", "60 km")
    card = await change("Domicile", typed="59140")
    assert "🏠 Dunkerque" in texts(card)
    await change("Disponibilités", "Week-end", "Suivant ▶️")
    card = await change("Offres", "Tout de suite")
    assert "👤 Nadia · Flandres maritimes (Dunkerque)" in texts(card)
    assert "Permis : Oui · Voiture : Oui · jusqu'à 60 km" in texts(card)

    after = await saved(sessionmaker)
    assert (after.first_name, after.territory, after.has_car) == ("Nadia", "FM", True)
    assert (after.max_commute_km, after.home_postcode, after.alert_mode) == (60, "59140", "instant")
    assert after.availability == ["weekends"]


async def test_a_shared_location_shows_the_nearest_town_on_the_card(bot_app, participant):
    await register(participant)
    await answer(participant, text="/profile")
    await answer(participant, press="Domicile")
    await participant.send_location(50.72, 3.16)  # Tourcoing
    replies = await participant.replies()
    assert [m.text for m in replies if m.remove_keyboard] == ["🏠 Tourcoing, noté."]
    assert "🏠 Tourcoing" in texts(replies) and "📍" not in texts(replies)


async def test_back_from_the_home_step_of_an_edit_shows_the_card_without_bare_dots(
    bot_app, participant, sessionmaker
):
    await register(participant)
    await answer(participant, text="/profile")
    home = await answer(participant, press="Domicile")
    [back] = [text for row in home[-1].keyboard for text in row if text.startswith("◀️ Retour")]
    card = await answer(participant, text=back)
    assert "Votre profil" in texts(card) and "🏠 Roubaix" in texts(card)
    assert all((m.text or "").strip() != "..." for m in card)
    assert not reply_keyboard_shown(await participant.messages())
    assert (await saved(sessionmaker)).home_postcode == "59100"
