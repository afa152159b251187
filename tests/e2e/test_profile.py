"""A registered participant sees their profile and changes one field at a time."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Participant
from tests.e2e.test_data_rights import SECRET_NAME, register
from tests.e2e.test_registration import answer
from tests.e2e.test_welcome import buttons, texts


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
    await answer(participant, text="soudeur")
    results = await answer(participant, text="soudeur")
    welder = next(label for label in buttons(results) if "oudeur" in label)
    await answer(participant, press=welder)
    await answer(participant, press="Terminé ✅")
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
