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
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import answer
from tests.helpers.people import FORKLIFT, WELDER, add_staff, seed
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


def card_note(locale: str, **notes: str) -> str:
    """The note under a vacancy card's text (its last line) for `notes` (`translated`,
    `machine`): the text translated by machine, or the original shown."""
    card = say(
        "alert-card",
        locale,
        title="",
        employer="",
        town="",
        km=0,
        contract="",
        hours=0,
        reasons="",
        description="",
        **notes,
    )
    return card.splitlines()[-1]


UNAVAILABLE_FR = card_note("fr", translated="no", machine="no")
MACHINE_FR = card_note("fr", translated="yes", machine="yes")
MACHINE_NL = card_note("nl", translated="yes", machine="yes")
FOR_FRENCH_READERS = say("vpost-preview-for", "nl", lang="fr")
# A card's variables that differ for each reader (why it fits) or are the poster's text.
ANY_READER = {"reasons": ..., "description": ...}


async def stored(sessionmaker) -> list[Vacancy]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Vacancy)))


async def dutch_vacancy_up_to_the_preview(consultant: UserClient, until: date):
    """Els posts a forklift driver's job in Kortrijk, in Dutch; the preview she gets."""

    assert say("vpost-lang", "nl") in texts(await answer(consultant, text="/vacancy"))
    title = await answer(consultant, press=say("vpost-lang-nl", "nl"))
    assert say("vpost-title", "nl") in texts(title)
    employer = await answer(consultant, text="Heftruckchauffeur  (m/v/x)")
    assert say("vpost-employer", "nl") in texts(employer)
    occupation = await answer(consultant, text="Vlaamse Verpakking NV")
    assert say("vpost-occupation", "nl") in texts(occupation)
    results = await answer(consultant, text="heftruck")
    assert "Heftruckchauffeur" in buttons(results)
    assert say("vpost-place", "nl") in texts(await answer(consultant, press="Heftruckchauffeur"))
    dutch = await answer(consultant, text="8500")
    assert say("vpost-dutch-level", "nl", level="A0") in buttons(dutch)
    licence = await answer(consultant, press=say("vpost-dutch-level", "nl", level="A1"))
    assert say("vpost-licence", "nl") in texts(licence)
    await answer(consultant, press=say("button-no", "nl"))
    schedule = await answer(consultant, press=say("contract-permanent", "nl"))
    assert say("vpost-schedule", "nl") in texts(schedule)
    await answer(consultant, press=say("availability-shifts", "nl"))
    hours = await answer(consultant, press=say("button-next", "nl"))
    assert say("vpost-hours", "nl") in texts(hours)
    assert say("vpost-expires", "nl") in texts(await answer(consultant, text="38"))
    await answer(consultant, text=until.strftime("%d.%m.%Y"))
    await answer(consultant, text="Je rijdt met de heftruck.\nWe werken in ploegen.")
    return (await answer(consultant, text="https://www.vdab.be/vacatures/123"))[-1]


async def test_a_vdab_consultant_posts_a_dutch_vacancy_and_a_fitting_participant_is_alerted(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)  # Amélie: forklift driver in Lille, instant alerts
    els = await add_staff(sessionmaker, 9200, "vdab", "Els")
    consultant = sandbox.user(9200, "Els", language_code="nl")
    until = date.today() + timedelta(days=40)
    preview = await dutch_vacancy_up_to_the_preview(consultant, until)
    assert say("vpost-preview", "nl") in preview.text
    card = {
        "employer": "Vlaamse Verpakking NV",
        "km": 0,
        "contract": {"key": "contract-permanent"},
        "hours": 38,
        **ANY_READER,
    }
    # No translator: French readers get the glossary's title and the Dutch text, and the
    # preview says so rather than promising a translation.
    dutch, french = preview.text.split(FOR_FRENCH_READERS)
    assert say("vpost-preview-for", "nl", lang="nl") in dutch
    assert holds(
        dutch,
        "alert-card",
        "nl",
        title="Heftruckchauffeur (m/v/x)",
        town="Kortrijk",
        translated="yes",
        machine="no",
        **card,
    )
    assert "Je rijdt met de heftruck." in dutch
    assert holds(
        french,
        "alert-card",
        title="Cariste (h/f/x)",
        town="Courtrai",
        translated="no",
        machine="no",
        **card,
    )
    assert "Je rijdt met de heftruck." in french and UNAVAILABLE_FR in french
    assert MACHINE_NL not in preview.text and MACHINE_FR not in preview.text
    assert preview.button_texts() == [
        say("vpost-publish", "nl"),
        say("vpost-edit", "nl"),
        say("vpost-cancel", "nl"),
    ]

    done = (await answer(consultant, press=say("vpost-publish", "nl")))[-1]
    assert done.button_texts() == [say("vpost-another", "nl")]

    [vacancy] = await stored(sessionmaker)
    assert holds(done.text, "vpost-published", "nl", id=vacancy.external_id, fits=1, telegram=1)
    assert vacancy.external_id.startswith("bot-") and vacancy.posted_by == els.id
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
    [alert] = [m for m in await participant.replies(timeout=15) if "Cariste" in m.text]
    french = {"title": "Cariste (h/f/x)", "town": "Courtrai", "translated": "no", "machine": "no"}
    whole = say("alert-card", **card | french | {"km": 26, "reasons": "", "description": ""})
    assert alert.text.startswith("\n".join(whole.splitlines()[:2]))  # title, employer
    assert holds(alert.text, "alert-card", **card | french | {"km": 26})
    assert say("match-reason-occupation", occupation="Cariste") in alert.text
    assert "Je rijdt met de heftruck." in alert.text and UNAVAILABLE_FR in alert.text
    assert say("alert-interested") in alert.button_texts()


async def test_a_counsellor_posts_in_french_going_back_and_picking_the_commune(
    bot_app, sandbox, sessionmaker
) -> None:
    karim = await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    user = sandbox.user(9100, "Karim")
    await answer(user, text="/vacancy")
    await answer(user, press=say("vpost-lang-fr"))
    await answer(user, text="Soudeur TIG")
    back = await answer(user, press=say("button-back"))
    assert say("vpost-title") in texts(back)
    assert say("vpost-current", current="Soudeur TIG") in texts(back)
    assert say("vpost-employer") in texts(await answer(user, press=say("vpost-keep")))
    await answer(user, text="Ateliers du Westhoek")
    await answer(user, text="soudeur")
    assert say("vpost-place") in texts(await answer(user, press="Soudeur"))
    communes = await answer(user, text="Comines")
    assert say("vpost-place-pick") in texts(communes)
    comines_warneton = say("vpost-place-option", name="Comines-Warneton", postcode="7780")
    assert buttons(communes)[:2] == [
        say("vpost-place-option", name="Comines", postcode="59560"),
        comines_warneton,
    ]
    await answer(user, press=comines_warneton)
    await answer(user, press=say("vpost-dutch-level", level="A0"))
    await answer(user, press=say("button-yes"))
    await answer(user, press=say("contract-interim"))
    assert say("vpost-hours") in texts(await answer(user, press=say("vpost-schedule-none")))
    for _ in range(3):  # hours, expiry date, description
        await answer(user, press=say("vpost-skip"))
    preview = await answer(user, press=say("vpost-skip"))  # link
    assert say("vpost-preview") in texts(preview)
    assert holds(
        texts(preview),
        "alert-card",
        title="Soudeur TIG",
        employer="Ateliers du Westhoek",
        town="Comines-Warneton",
        km=0,
        contract={"key": "contract-interim"},
        hours=0,
        translated="yes",
        machine="no",
        **ANY_READER,
    )
    published = await answer(user, press=say("vpost-publish"))
    assert holds(texts(published), "vpost-published", id=..., fits=0, telegram=0)
    assert say("vpost-lang") in texts(await answer(user, press=say("vpost-another")))

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
    await answer(user, text="/vacancy")
    await user.send_photo()
    assert say("flow-use-buttons") in texts(await user.replies())
    await answer(user, press=say("vpost-lang-fr"))
    too_long = await answer(user, text="x" * 201)
    assert say("vpost-title-long", length=201) in texts(too_long)
    assert say("vpost-title") in texts(too_long)
    assert say("vpost-title-short") in texts(await answer(user, text="Op"))
    await answer(user, text="Soudeur")
    await user.send_sticker()
    assert say("vpost-type-text") in texts(await user.replies())
    await user.send_text("/foo")  # not taken for the employer's name
    assert say("fallback-command", command="/foo") in texts(await user.replies())
    await answer(user, text="Ateliers du Westhoek")
    unknown = await answer(user, text="astronaute spatial")
    assert say("vpost-occupation-unknown", query="astronaute spatial") in texts(unknown)
    assert say("vpost-occupation") in texts(unknown)
    await answer(user, text="soudeur")
    await answer(user, press="Soudeur")
    nowhere = await answer(user, text="75001")
    assert say("vpost-place-unknown", query="75001") in texts(nowhere)
    assert say("vpost-place") in texts(nowhere)
    await answer(user, text="8500")
    await answer(user, press=say("vpost-dutch-level", level="B1"))
    await answer(user, press=say("button-no"))
    await answer(user, press=say("contract-permanent"))
    await answer(user, press=say("button-next"))
    assert say("vpost-hours-invalid") in texts(await answer(user, text="quarante"))
    await answer(user, text="38")
    assert say("vpost-expires-invalid") in texts(await answer(user, text="31/02/2027"))
    assert say("vpost-expires-past") in texts(await answer(user, text="2020-01-31"))
    await answer(user, press=say("vpost-skip"))
    await answer(user, press=say("vpost-skip"))
    insecure = await answer(user, text="http://example.com/offre")
    assert say("vpost-url-invalid") in texts(insecure) and say("vpost-url") in texts(insecure)
    await answer(user, text="https://example.com/offre")
    cancelled = await answer(user, press=say("vpost-cancel"))
    assert say("vpost-cancelled") in texts(cancelled)
    assert await stored(sessionmaker) == []


async def test_a_participant_is_refused_the_vacancy_flow(bot_app, participant) -> None:
    await participant.send_text("/vacancy")
    assert say("staff-only") in texts(await participant.replies())
    await participant.press_data("vpost")
    await participant.replies()
    assert say("staff-only") in participant.callback_answers[-1]


@pytest.mark.translated
async def test_with_a_translator_the_preview_shows_the_translation_french_readers_get(
    bot_app, sandbox, sessionmaker, libre
) -> None:
    await add_staff(sessionmaker, 9200, "vdab", "Els")
    consultant = sandbox.user(9200, "Els", language_code="nl")
    preview = await dutch_vacancy_up_to_the_preview(consultant, date.today() + timedelta(days=9))
    _dutch, french = preview.text.split(FOR_FRENCH_READERS)
    assert "[nl>fr] Je rijdt met de heftruck." in french
    assert MACHINE_FR in french
    assert UNAVAILABLE_FR not in french
