"""A registered participant sees their profile and changes one field at a time."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Participant
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import SECRET_NAME, answer, register_in_french, reply_keyboard_shown


async def saved(sessionmaker) -> Participant:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


async def test_profile_shows_the_card_with_one_button_per_field(bot_app, participant):
    await register_in_french(participant)
    card = await answer(participant, text="/profile")
    assert say("profile-title") in texts(card)
    assert SECRET_NAME in texts(card) and "Cariste" in texts(card)
    assert buttons(card)[:4] == [
        say("profile-edit-name"),
        say("profile-edit-territory"),
        say("profile-edit-occupations"),
        say("profile-edit-dutch"),
    ]


async def test_changing_the_dutch_level_changes_only_that(bot_app, participant, sessionmaker):
    await register_in_french(participant)
    before = await saved(sessionmaker)
    await answer(participant, text="/profile")
    question = await answer(participant, press=say("profile-edit-dutch"))
    assert say("reg-dutch") in texts(question)
    card = await answer(participant, press=say("dutch-B2"))
    assert say("dutch-B2") in texts(card)
    after = await saved(sessionmaker)
    assert after.dutch_level == "B2"
    assert (after.first_name, after.occupations, after.home_postcode) == (
        before.first_name,
        before.occupations,
        before.home_postcode,
    )


async def test_adding_an_occupation_keeps_the_first_one(bot_app, participant, sessionmaker):
    await register_in_french(participant)
    await answer(participant, text="/profile")
    await answer(participant, press=say("profile-edit-occupations"))
    results = await answer(participant, text="soudeur")
    soudeur = say("reg-occupations-confirm", best="Soudeur")
    assert soudeur in buttons(results)
    card = await answer(participant, press=soudeur)
    assert "Cariste, Soudeur" in texts(card)
    assert len((await saved(sessionmaker)).occupations) == 2


async def test_back_during_an_edit_returns_to_the_profile_unchanged(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    await answer(participant, text="/profile")
    await answer(participant, press=say("profile-edit-commute"))
    card = await answer(participant, press=say("button-back"))
    assert say("profile-title") in texts(card)
    assert (await saved(sessionmaker)).max_commute_km == 15


async def test_each_field_is_changed_with_the_registration_step_and_the_card_comes_back(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    await answer(participant, text="/profile")

    async def change(field: str, *steps: str, typed: str | None = None) -> list:
        await answer(participant, press=field)
        replies = []
        for step in steps:
            replies = await answer(participant, press=step)
        if typed is not None:
            replies = await answer(participant, text=typed)
        assert say("profile-title") in texts(replies)
        assert all((m.text or "").strip() != "..." for m in replies)
        return replies

    await change(say("profile-edit-name"), typed="Nadia")
    await change(say("profile-edit-territory"), say("territory-FM"))
    await change(say("profile-edit-transport"), say("transport-car"))
    await change(say("profile-edit-commute"), say("commute-km", km=60))
    card = await change(say("profile-edit-home"), typed="59140")
    assert "🏠 Dunkerque" in texts(card)
    await change(say("profile-edit-availability"), say("availability-weekends"), say("button-next"))
    card = await change(say("profile-edit-alerts"), say("alerts-instant"))
    assert holds(
        texts(card),
        "profile-card",
        name="Nadia",
        territory={"key": "territory-FM"},
        licence={"key": "button-yes"},
        car={"key": "button-yes"},
        commute=60,
        **dict.fromkeys(("occupations", "dutch", "home", "availability", "alerts"), ...),
    )

    after = await saved(sessionmaker)
    assert (after.first_name, after.territory, after.has_car) == ("Nadia", "FM", True)
    assert (after.max_commute_km, after.home_postcode, after.alert_mode) == (60, "59140", "instant")
    assert after.availability == ["weekends"]


async def test_a_shared_location_shows_the_nearest_town_on_the_card(bot_app, participant):
    await register_in_french(participant)
    await answer(participant, text="/profile")
    await answer(participant, press=say("profile-edit-home"))
    await participant.send_location(50.72, 3.16)  # Tourcoing
    replies = await participant.replies()
    assert [m.text for m in replies if m.remove_keyboard] == [
        say("reg-home-noted", town="Tourcoing")
    ]
    assert "🏠 Tourcoing" in texts(replies) and "📍" not in texts(replies)


async def test_back_from_the_home_step_of_an_edit_shows_the_card_without_bare_dots(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    await answer(participant, text="/profile")
    home = await answer(participant, press=say("profile-edit-home"))
    [back] = [t for row in home[-1].keyboard for t in row if t.startswith(say("button-back"))]
    card = await answer(participant, text=back)
    assert say("profile-title") in texts(card) and "🏠 Roubaix" in texts(card)
    assert all((m.text or "").strip() != "..." for m in card)
    assert not reply_keyboard_shown(await participant.messages())
    assert (await saved(sessionmaker)).home_postcode == "59100"
