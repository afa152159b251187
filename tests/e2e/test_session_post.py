"""Staff create an online session in the bot: one question per message in their language, a
calendar, a preview of the invitation with how many it reaches, and on publishing the
targeted participants are invited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import select

from bot.db.base import as_utc
from bot.db.models import ProgrammeSession, SessionStatus
from bot.demo import midday_zone
from bot.flows.session_post import NewSession
from bot.services import staff as staff_service
from tests.e2e.test_vacancies import seed
from tests.e2e.test_vacancy_post import add_staff, say
from tests.helpers import buttons, texts
from tests.services.test_alerts import FORKLIFT, add_person
from tests.stubs.libretranslate import LibreTranslateStub, Reply

BOOK = "📅 Réserver ma place"


@pytest.fixture
async def libre() -> AsyncIterator[LibreTranslateStub]:
    server = LibreTranslateStub()  # "translates" by writing "[fr>nl] " in front
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settings(settings, libre):
    # Invitations go out within the test's patience, at midday; titles go to the stub.
    return settings.model_copy(
        update={
            "outbox_tick_s": 0.2,
            "tz": midday_zone(),
            "translator": "libre",
            "translator_url": libre.url,
        }
    )


def month_name(day: date, locale: str) -> str:
    text = format_date(day, "LLLL y", locale=locale)
    return text[:1].upper() + text[1:]


async def stored(sessionmaker) -> list[ProgrammeSession]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ProgrammeSession)))


async def test_a_counsellor_creates_a_session_in_french_and_the_targeted_participant_is_invited(
    bot_app, sandbox, participant, sessionmaker, settings, clock
) -> None:
    await seed(participant, sessionmaker)  # Amélie (LRT, A2, forklift) and Karim, her CET
    async with sessionmaker() as session:  # someone in Wallonie picarde: not targeted
        other = await add_person(session, 2, telegram_id=1002)
        other.territory = "WAPI"
        await session.commit()
    karim = sandbox.user(9100, "Karim")
    tz = ZoneInfo(settings.tz)

    kinds = await say(karim, text="/newsession")
    assert "Nouvelle session en ligne" in texts(kinds)
    assert buttons(kinds) == [
        "Présentation d'entreprise en ligne",
        "Atelier langue et culture",
        "Séance d'information",
        "✖️ Annuler",
    ]
    assert "titre de la session, en français" in texts(
        await say(karim, press="Présentation d'entreprise en ligne")
    )
    await karim.send_photo()
    assert "Écrivez votre réponse en texte" in texts(await karim.replies())
    await karim.send_text("/foo")
    assert "Je ne connais pas la commande /foo" in texts(await karim.replies())
    too_long = await say(karim, text="x" * 201)
    assert "trop long (201 caractères)" in texts(too_long) and "en français" in texts(too_long)

    dutch_title = await say(karim, text="Vlaamse Verpakking  se présente")
    assert "titre en néerlandais" in texts(dutch_title)
    assert buttons(dutch_title)[:2] == ["🌐 Traduire automatiquement", "Passer ⏭️"]
    translated = await say(karim, press="🌐 Traduire automatiquement")
    assert "Traduction automatique : « [fr>nl] Vlaamse Verpakking se présente »" in texts(
        translated
    )
    back = await say(karim, press="◀️ Retour")
    assert "« Vlaamse Verpakking se présente »" in texts(back)
    await say(karim, press="Garder ▶️")
    description = await say(karim, press="Garder ▶️")
    assert "description en français" in texts(description)
    await say(karim, text="Une usine d'emballage à Courtrai recrute des caristes.")
    calendar = (await say(karim, press="Passer ⏭️"))[-1]  # no Dutch description

    today = clock().astimezone(tz).date()
    assert "Quel jour" in calendar.text
    assert f"🗓 {month_name(today, 'fr_FR')}" in calendar.button_texts()
    assert calendar.button_texts()[1:8] == ["Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"]
    # The calendar stays on screen past midnight: yesterday can no longer be picked.
    clock.advance(timedelta(days=1))
    past = await say(karim, press=f"[{today.day}]")
    assert "déjà passée" in texts(past) and "Quel jour" in texts(past)
    day = today + timedelta(days=1)
    times = await say(karim, press=f"[{day.day}]")
    assert f"À quelle heure commence-t-elle, {format_date(day, 'EEEE d MMMM', locale='fr')}" in (
        texts(times)
    )
    assert "09:00" in buttons(times) and "18:00" in buttons(times)
    assert "déjà passé" in texts(await say(karim, press="09:00"))  # it is midday
    assert "Je ne comprends pas cette heure" in texts(await say(karim, text="25:00"))
    assert "Combien de temps" in texts(await say(karim, text="18h30"))

    assert "lien pour se connecter" in texts(await say(karim, press="90 min"))
    insecure = await say(karim, text="http://meet.example/vv")
    assert "commence par https://" in texts(insecure) and "lien pour se connecter" in texts(
        insecure
    )
    assert "Ce lien ne convient pas" in texts(await say(karim, text="https://"))
    await say(karim, text="https://meet.example/vv")
    assert "de 1 à 500" in texts(await say(karim, text="0"))
    territories = await say(karim, press="20")
    assert "quels territoires" in texts(territories)
    ticked = await say(karim, press="Lille-Roubaix-Tourcoing")
    assert "✅ Lille-Roubaix-Tourcoing" in buttons(ticked)
    await say(karim, press="Suivant ▶️")
    results = await say(karim, text="cariste")
    assert "Cariste" in buttons(results)
    chosen = await say(karim, press="Cariste")
    assert "Métiers choisis : Cariste" in texts(chosen) and "✖️ Cariste" in buttons(chosen)
    await say(karim, press="Suivant ▶️")
    await say(karim, press="A2")
    await say(karim, press="B1")
    assert "Jusqu'à quand" in texts(await say(karim, press="Suivant ▶️"))
    await say(karim, press="Jusqu'à 2 h avant")

    # Edit goes back one step; the answers given are kept.
    await say(karim, press="✏️ Modifier")
    levels = await say(karim, press="◀️ Retour")
    assert {"✅ A2", "✅ B1", "A0"} <= set(buttons(levels))
    await say(karim, press="Suivant ▶️")
    preview = (await say(karim, press="Jusqu'à 2 h avant"))[-1]
    assert "Aperçu" in preview.text and BOOK in preview.text
    assert "Présentation d'entreprise en ligne\n« Vlaamse Verpakking se présente »" in preview.text
    assert "(90 min), en ligne.\n20 places." in preview.text
    assert "Pour ceux qui lisent le néerlandais" in preview.text
    assert "Online bedrijfspresentatie" in preview.text and "[fr>nl] Vlaamse" in preview.text
    assert "Réservations jusqu'à 2 h avant le début." in preview.text
    assert "Lille-Roubaix-Tourcoing · Cariste · néerlandais : A2, B1" in preview.text
    assert "Elle atteindra 1 participant." in preview.text
    assert preview.button_texts() == ["✅ Publier", "✏️ Modifier", "✖️ Annuler"]

    done = (await say(karim, press="✅ Publier"))[-1]
    assert "Session publiée : 1 invitation en file d'envoi." in done.text
    assert done.button_texts() == ["➕ Créer une autre session"]
    assert "Nouvelle session" in texts(await say(karim, press="➕ Créer une autre session"))

    [created] = await stored(sessionmaker)
    async with sessionmaker() as session:
        karim_id = (await staff_service.staff_by_telegram_id(session, 9100)).id
    assert (created.kind, created.status, created.created_by) == (
        "company_presentation",
        SessionStatus.PUBLISHED,
        karim_id,
    )
    assert (created.title_fr, created.title_nl) == (
        "Vlaamse Verpakking se présente",
        "[fr>nl] Vlaamse Verpakking se présente",
    )
    assert created.description_fr == "Une usine d'emballage à Courtrai recrute des caristes."
    assert created.description_nl is None
    assert as_utc(created.starts_at) == datetime.combine(day, time(18, 30), tz).astimezone(UTC)
    assert (created.duration_min, created.url, created.capacity) == (
        90,
        "https://meet.example/vv",
        20,
    )
    assert (created.territories, created.occupations, created.dutch_levels) == (
        ["LRT"],
        [FORKLIFT],
        ["A2", "B1"],
    )
    assert (created.cutoff_hours, created.confirmed) == (2, 0)

    [invite] = [m for m in await participant.replies(timeout=15) if BOOK in m.button_texts()]
    assert "Présentation d'entreprise en ligne" in invite.text
    assert "« Vlaamse Verpakking se présente »" in invite.text and "20 places" in invite.text


async def test_a_vdab_consultant_works_in_dutch_and_is_refused_after_leaving_the_team(
    bot_app, sandbox, sessionmaker, libre, clock, settings
) -> None:
    await add_staff(sessionmaker, 9200, "vdab", "Els")
    els = sandbox.user(9200, "Els", language_code="nl")
    tz = ZoneInfo(settings.tz)

    assert "Nieuwe onlinesessie" in texts(await say(els, text="/newsession"))
    assert "in het Frans" in texts(await say(els, press="Infosessie"))
    await say(els, text="Travailler en Belgique : mode d'emploi")
    libre.queue(Reply.error(500))  # the translation provider is down
    down = await say(els, press="🌐 Automatisch vertalen")
    assert "Automatisch vertalen lukt nu niet" in texts(down)
    assert "titel in het Nederlands" in texts(down)
    await say(els, text="Werken in België: zo gaat het")
    dutch_description = await say(els, press="Overslaan ⏭️")
    assert "beschrijving in het Nederlands" in texts(dutch_description)
    assert "🌐 Automatisch vertalen" not in buttons(dutch_description)  # nothing to translate
    calendar = (await say(els, press="Overslaan ⏭️"))[-1]

    today = clock().astimezone(tz).date()
    next_month = (today.replace(day=1) + timedelta(days=31)).replace(day=1)
    assert f"🗓 {month_name(today, 'nl_BE')}" in calendar.button_texts()
    assert calendar.button_texts()[1:8] == ["Ma", "Di", "Wo", "Do", "Vr", "Za", "Zo"]
    paged = await say(els, press=f"{month_name(next_month, 'nl_BE')} >>")
    assert f"🗓 {month_name(next_month, 'nl_BE')}" in buttons(paged)
    assert "Hoe laat begint ze" in texts(await say(els, press="15"))
    assert "Hoe lang duurt ze" in texts(await say(els, text="10u30"))
    assert "van 15 tot 480" in texts(await say(els, text="600"))
    await say(els, text="75")
    await say(els, text="https://teams.example/abc")
    assert "regio's" in texts(await say(els, text="12"))
    await say(els, press="Volgende ▶️")  # every territory
    await say(els, press="Alle beroepen")
    await say(els, press="Volgende ▶️")  # every level
    preview = (await say(els, press="Tot 48 u vooraf"))[-1]
    assert "Voorbeeld" in preview.text
    assert 'Infosessie\n"Werken in België: zo gaat het"' in preview.text
    assert "(75 min), online" in preview.text
    assert "Voor wie Frans leest" in preview.text
    assert "Séance d'information\n« Travailler en Belgique : mode d'emploi »" in preview.text
    assert "alle regio's · alle beroepen · Nederlands: alle niveaus" in preview.text
    assert "Ze bereikt voorlopig niemand" in preview.text

    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9200)
        await session.commit()
    refused = await say(els, press="✅ Publiceren")
    assert "voorbehouden aan het projectteam" in texts(refused)
    assert await stored(sessionmaker) == []


async def test_cancelling_publishes_nothing(bot_app, sandbox, sessionmaker) -> None:
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    karim = sandbox.user(9100, "Karim")
    await say(karim, text="/newsession")
    await say(karim, press="Séance d'information")
    assert "rien n'est publié" in texts(await say(karim, press="✖️ Annuler"))
    assert await stored(sessionmaker) == []


async def test_a_participant_is_refused_the_session_flow(bot_app, participant) -> None:
    await participant.send_text("/newsession")
    assert "réservée à l'équipe" in texts(await participant.replies())
    await participant.press_data(NewSession().pack())
    await participant.replies()
    assert "réservée à l'équipe" in participant.callback_answers[-1]
