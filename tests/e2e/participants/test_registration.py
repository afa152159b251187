"""A participant registers: consent first, one question per message, buttons, a way back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Participant
from bot.sandbox import UserClient
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import answer, begin, reply_keyboard_shown

BACK = {"fr": say("button-back"), "nl": say("button-back", "nl")}


async def up_to_the_home_step(participant: UserClient) -> list:
    """A French journey up to "where do you live?" (the step with a reply keyboard); what
    that question came with."""
    await begin(participant, "fr")
    for step in (say("reg-consent-yes"), say("territory-LRT")):
        await answer(participant, press=step)
    await answer(participant, text="cariste")
    cariste = say("reg-occupations-confirm", best="Cariste")
    for step in (cariste, say("dutch-A0"), say("transport-none")):
        await answer(participant, press=step)
    return await answer(participant, press=say("commute-km", km=15))


async def stored(sessionmaker) -> Participant | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


def no_bare_dots(messages) -> bool:
    return all((m.text or "").strip() not in ("...", "…") for m in messages)


async def test_full_registration_in_french_stores_the_profile(bot_app, participant, sessionmaker):
    consent = await begin(participant, "fr")
    assert say("about") in texts(consent)  # what the programme offers
    assert say("reg-consent") in texts(consent)
    territory = await answer(participant, press=say("reg-consent-yes"))
    # The Telegram first name is used; the person is told how to change it.
    assert say("reg-name-kept", name="Amélie") in texts(territory)
    assert buttons(territory)[:3] == [
        say("territory-LRT"),
        say("territory-FM"),
        say("territory-WAPI"),
    ]
    await answer(participant, press=say("territory-LRT"))
    results = await answer(participant, text="carist")
    assert say("reg-occupations-found", query="carist", best="Cariste") in texts(results)
    dutch = await answer(participant, press=say("reg-occupations-confirm", best="Cariste"))
    assert say("reg-dutch") in texts(dutch)
    transport = await answer(participant, press=say("dutch-A1"))
    assert buttons(transport)[:3] == [
        say("transport-car"),
        say("transport-licence"),
        say("transport-none"),
    ]
    commute = await answer(participant, press=say("transport-licence"))
    assert say("reg-commute") in texts(commute)
    home = await answer(participant, press=say("commute-km", km=30))
    assert say("reg-home") in texts(home)
    bad = await answer(participant, text="75001")
    assert say("reg-home-invalid") in texts(bad)
    availability = await answer(participant, text="59200")
    assert say("reg-availability") in texts(availability)
    await answer(participant, press=say("availability-day"))
    await answer(participant, press=say("availability-nights"))
    await answer(participant, press=say("button-next"))
    done = await answer(participant, press=say("alerts-daily"))
    assert holds(texts(done), "reg-done", name="Amélie", summary=...)
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
    best = "Cariste" if fr else "Heftruckchauffeur"
    seen += await answer(user, press=say("reg-consent-yes", language))
    seen += await answer(user, press=say("territory-LRT" if fr else "territory-WAPI", language))
    seen += await answer(user, text="cariste" if fr else "heftruckchauffeur")
    seen += await answer(user, press=say("reg-occupations-confirm", language, best=best))
    seen += await answer(user, press=say("dutch-A1" if fr else "dutch-B1", language))
    seen += await answer(user, press=say("transport-car" if fr else "transport-none", language))
    seen += await answer(user, press=say("commute-km", language, km=30))
    seen += await answer(user, text="59200" if fr else "7700")
    seen += await answer(user, press=say("availability-day", language))
    seen += await answer(user, press=say("button-next", language))
    seen += await answer(user, press=say("alerts-daily", language))
    return seen


async def test_a_french_participant_registers_in_at_most_15_interactions(
    bot_app, participant, sessionmaker
):
    seen = await register_counting(participant, "fr")
    assert holds(texts(seen), "reg-done", name="Amélie", summary=...)
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
    assert holds(texts(seen), "reg-done", "nl", name="Jan", summary=...)

    assert jan.interactions == 13
    saved = await stored(sessionmaker)
    assert (saved.first_name, saved.territory, saved.home_postcode) == ("Jan", "WAPI", "7700")
    assert (saved.driving_licence, saved.has_car) == (False, False)
    assert no_bare_dots(seen)


async def test_registration_in_dutch_with_a_shared_location(bot_app, sandbox, sessionmaker):
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    await begin(jan, "nl")
    await answer(jan, press=say("reg-consent-yes", "nl"))
    await answer(jan, press=say("territory-WAPI", "nl"))
    results = await answer(jan, text="heftruck")
    assert say("reg-occupations-confirm", "nl", best="Heftruckchauffeur") in buttons(results)
    await answer(jan, press=say("reg-occupations-confirm", "nl", best="Heftruckchauffeur"))
    await answer(jan, press=say("dutch-B1", "nl"))
    commute = await answer(jan, press=say("transport-none", "nl"))
    assert say("reg-commute", "nl") in texts(commute)
    home = await answer(jan, press=say("commute-km", "nl", km=45))
    [location, back] = home[-1].keyboard
    assert location == [say("reg-home-share", "nl")] and back[0].startswith(BACK["nl"])
    await jan.send_location(50.74, 3.21)
    availability = await jan.replies()
    # The reply keyboard goes with a word saying what was understood, never a bare "...".
    assert no_bare_dots(availability)
    [noted] = [m for m in availability if m.remove_keyboard]
    assert noted.text == say("reg-home-noted", "nl", town="Moeskroen")
    assert not reply_keyboard_shown(await jan.messages())
    assert say("reg-availability", "nl") in texts(availability)
    await answer(jan, press=say("button-next", "nl"))
    done = await answer(jan, press=say("alerts-instant", "nl"))
    assert holds(texts(done), "reg-done", "nl", name="Jan", summary=...)
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
    assert noted.text == say("reg-home-noted", town="Tourcoing")
    assert not reply_keyboard_shown(await participant.messages())
    await answer(participant, press=say("button-next"))
    await answer(participant, press=say("alerts-off"))
    card = await answer(participant, text="/profile")
    assert "🏠 Tourcoing" in texts(card) and "59200" not in texts(card)
    # A Dutch reader reads the Dutch name of the town.
    await answer(participant, text="/lang")
    await answer(participant, press=say("lang-button-nl"))
    card = await answer(participant, text="/profile")
    assert "🏠 Toerkonje" in texts(card)


async def test_a_postcode_shared_by_several_communes_asks_which_one(
    bot_app, participant, sessionmaker
):
    await up_to_the_home_step(participant)
    towns = await answer(participant, text="59112")
    assert no_bare_dots(towns)
    assert [m.text for m in towns if m.remove_keyboard] == [
        say("reg-home-postcode", postcode="59112")
    ]
    assert say("reg-town") in texts(towns)
    assert buttons(towns) == ["Annœullin", "Carnin", BACK["fr"]]
    availability = await answer(participant, press="Carnin")
    assert say("reg-availability") in texts(availability)
    await answer(participant, press=say("button-next"))
    done = await answer(participant, press=say("alerts-off"))
    assert "🏠 Carnin" in texts(done)
    saved = await stored(sessionmaker)
    assert saved.home_postcode == "59112" and round(saved.home_lat, 2) == 50.52


async def test_a_search_with_several_close_matches_lists_them_to_tick(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press=say("reg-consent-yes"))
    await answer(participant, press=say("territory-LRT"))
    results = await answer(participant, text="chauffeur")
    assert say("reg-occupations-search", query="chauffeur") in texts(results)
    assert not any(label.startswith("👍") for label in buttons(results))
    await answer(participant, press="Chauffeur poids lourd")
    dutch = await answer(participant, press=say("button-done"))
    assert say("reg-dutch") in texts(dutch)


async def test_a_clear_match_is_taken_with_the_related_ones_ticked_before(
    bot_app, participant, sessionmaker
):
    await begin(participant, "fr")
    await answer(participant, press=say("reg-consent-yes"))
    await answer(participant, press=say("territory-LRT"))
    results = await answer(participant, text="magasinier")
    assert say("reg-occupations-found-more") in texts(results)
    assert buttons(results)[:2] == [say("reg-occupations-confirm", best="Magasinier"), "Cariste"]
    ticked = await answer(participant, press="Cariste")
    assert "✅ Cariste" in buttons(ticked)
    await answer(participant, press=say("reg-occupations-confirm", best="Magasinier"))
    for step in (say("dutch-A0"), say("transport-none"), say("commute-km", km=15)):
        await answer(participant, press=step)
    await answer(participant, text="59200")
    await answer(participant, press=say("button-next"))
    await answer(participant, press=say("alerts-off"))
    saved = await stored(sessionmaker)
    assert sorted(saved.occupations) == ["8344.1", "9333.8"]


async def test_declining_consent_stores_nothing(bot_app, participant, sessionmaker):
    await begin(participant, "fr")
    replies = await answer(participant, press=say("reg-consent-no"))
    assert say("reg-consent-declined") in texts(replies)
    assert await stored(sessionmaker) is None


async def test_a_telegram_name_that_is_not_a_first_name_is_asked_for(
    bot_app, sandbox, sessionmaker
):
    fox = UserClient(sandbox.url, user_id=1003, first_name="🦊", language_code="fr")
    await begin(fox, "fr")
    name = await answer(fox, press=say("reg-consent-yes"))
    assert say("reg-name") in texts(name)
    assert buttons(name) == [BACK["fr"]]
    territory = await answer(fox, text="Nadia")
    assert say("reg-territory") in texts(territory)
    back = await answer(fox, press=BACK["fr"])
    assert say("reg-name") in texts(back)


@pytest.mark.parametrize("bad_name", ["A", "Amélie123", "x" * 60])
async def test_a_bad_first_name_gets_a_clear_message_and_the_question_again(
    bot_app, sandbox, bad_name
):
    fox = UserClient(sandbox.url, user_id=1003, first_name="🦊", language_code="fr")
    await begin(fox, "fr")
    await answer(fox, press=say("reg-consent-yes"))
    replies = await answer(fox, text=bad_name)
    assert say("reg-name-invalid") in texts(replies)


async def test_back_returns_to_the_previous_question_at_every_step(bot_app, participant):
    """Forward one step, back, forward again: each "Back" shows the question before."""
    await begin(participant, "fr")

    async def back_shows(key: str, *, typed: bool = False, **variables) -> None:
        if typed:  # the home step's keyboard is under the input field: pressing it sends it
            shown = [m for m in await participant.messages() if m.keyboard][-1].keyboard
            [label] = [text for row in shown for text in row if text.startswith(BACK["fr"])]
            replies = await answer(participant, text=label)
        else:
            replies = await answer(participant, press=BACK["fr"])
        assert holds(texts(replies), key, **variables)
        assert no_bare_dots(replies)

    await answer(participant, press=say("reg-consent-yes"))
    await back_shows("reg-consent")
    await answer(participant, press=say("reg-consent-yes"))
    await answer(participant, press=say("territory-WAPI"))
    await back_shows("reg-territory")
    await answer(participant, press=say("territory-WAPI"))
    await answer(participant, text="soudeur")
    await answer(participant, press=say("reg-occupations-confirm", best="Soudeur"))
    await back_shows("reg-occupations", chosen=...)
    await answer(participant, press=say("button-done"))
    await answer(participant, press=say("dutch-A2"))
    await back_shows("reg-dutch")
    await answer(participant, press=say("dutch-A2"))
    await answer(participant, press=say("transport-none"))
    await back_shows("reg-transport")
    await answer(participant, press=say("transport-none"))
    await answer(participant, press=say("commute-km", km=30))
    await back_shows("reg-commute", typed=True)
    await answer(participant, press=say("commute-km", km=30))
    await answer(participant, text="59112")
    await back_shows("reg-home")
    await answer(participant, text="7700")
    await back_shows("reg-home")
    await answer(participant, text="7700")
    await answer(participant, press=say("button-next"))
    await back_shows("reg-availability")
    await answer(participant, press=say("button-next"))
    done = await answer(participant, press=say("alerts-off"))
    assert holds(texts(done), "reg-done", name="Amélie", summary=...)


async def test_registration_interrupted_by_a_restart_continues(
    start_bot, participant, sessionmaker
):
    first = await start_bot()
    await begin(participant, "fr")
    await answer(participant, press=say("reg-consent-yes"))
    await first.close()

    await start_bot()
    await answer(participant, press=say("territory-FM"))
    results = await answer(participant, text="soudeur")
    assert any("oudeur" in label for label in buttons(results))


async def test_an_unknown_occupation_and_an_empty_choice_get_clear_answers(bot_app, participant):
    await begin(participant, "fr")
    await answer(participant, press=say("reg-consent-yes"))
    await answer(participant, press=say("territory-WAPI"))
    nothing = await answer(participant, text="astronaute spatial")
    assert say("reg-occupations-not-found", query="astronaute spatial") in texts(nothing)
    sector = await answer(participant, press=say("sector-logistics"))
    assert say("reg-occupations-sector") in texts(sector)
    await participant.press(say("button-done"))
    await participant.replies()
    assert say("reg-occupations-need-one") in participant.callback_answers[-1]


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
    [back] = [b for m in home for row in m.keyboard for b in row if b.startswith(BACK["fr"])]
    await answer(participant, text="/cancel")
    replies = await answer(participant, text=back)
    assert say("button-expired") in texts(replies)
    assert say("menu-profile") in buttons(replies)
