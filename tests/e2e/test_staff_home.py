"""Staff get their own home: /start, /menu and /cancel show what waits for them (requests,
today's sessions), their link and their commands, never the participant's welcome or menu;
a staff member can still try the participant side on purpose (issue 12, point 3)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.db.base import utcnow
from bot.db.models import Participant, ProgrammeSession, Role, Staff, User
from bot.demo import midday_zone
from bot.services import tickets
from tests.e2e.test_fallback import MENU
from tests.helpers import buttons, texts
from tests.services.test_alerts import add_person
from tests.services.test_bookings import add_session

HOME_BUTTONS = ["📅 Toutes les sessions", "🔗 Mon lien et son QR code"]
PARTICIPANT_VIEW = "👤 Voir le bot comme un participant"


@pytest.fixture
def settings(settings):
    # At midday, so a session two hours ahead is today's.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


async def add_member(sessionmaker, telegram_id=9100, role=Role.CET, name="Karim", **extra):
    async with sessionmaker() as session:
        member = Staff(
            telegram_id=telegram_id,
            role=role,
            territory=extra.pop("territory", "LRT" if role == Role.CET else None),
            name=name,
            referral_code=f"code{telegram_id}",
        )
        session.add(member)
        await session.commit()
        return member


async def locale_of(sessionmaker, telegram_id: int) -> str | None:
    async with sessionmaker() as session:
        return await session.scalar(select(User.locale).where(User.telegram_id == telegram_id))


async def test_a_counsellors_start_shows_the_staff_home_not_the_participant_welcome(
    bot_app, sandbox, sessionmaker
) -> None:
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/start")
    [home] = await karim.replies()
    assert "Bonjour Karim ! Voici votre espace équipe." in home.text
    assert "Conseiller emploi transfrontalier · Lille-Roubaix-Tourcoing" in home.text
    assert "Aucune demande n'attend votre réponse." in home.text
    assert "Pas de session aujourd'hui." in home.text
    assert "?start=ref_code9100" in home.text
    assert "/mysessions" in home.text and "/outcome" in home.text
    assert home.button_texts() == [*HOME_BUTTONS, PARTICIPANT_VIEW]
    assert "Dans quelle langue" not in home.text
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Participant)) == 0
    assert await locale_of(sessionmaker, 9100) == "fr"  # Telegram's, kept for what is queued


async def test_a_dutch_speaking_vdab_consultant_gets_the_home_in_dutch(
    bot_app, sandbox, sessionmaker
) -> None:
    await add_member(sessionmaker, 9400, Role.VDAB, "Jan")
    jan = sandbox.user(9400, "Jan", language_code="nl-BE")
    await jan.send_text("/start")
    [home] = await jan.replies()
    assert "Hallo Jan! Dit is uw teamruimte." in home.text
    assert "VDAB-consulent" in home.text
    assert "Geen enkele vraag wacht op uw antwoord." in home.text
    assert "Uw commando's" in home.text
    assert home.button_texts() == [
        "📅 Alle sessies",
        "🔗 Mijn link en QR-code",
        "👤 De bot zien als deelnemer",
    ]
    assert await locale_of(sessionmaker, 9400) == "nl"


@pytest.mark.parametrize("command", ["/menu", "/cancel"])
async def test_menu_and_cancel_show_the_staff_home(bot_app, sandbox, sessionmaker, command):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/vacancy")
    await karim.replies()
    await karim.send_text(command)
    replies = await karim.replies()
    assert "Espace équipe" in texts(replies)
    assert "💼 Mes offres" not in buttons(replies)
    assert "🎉 J'ai trouvé un emploi !" not in buttons(replies)
    assert buttons(replies) == [*HOME_BUTTONS, PARTICIPANT_VIEW]


async def open_request(sessionmaker, n: int, karim: Staff, hours_ago: int) -> None:
    """Person<n>, followed by Karim, asked a question `hours_ago` hours ago."""
    async with sessionmaker() as session:
        person = await add_person(session, n, counsellor=karim, telegram_id=1000 + n)
        tz = ZoneInfo("Europe/Paris")
        await tickets.open_ticket(
            session, person, "question", utcnow() - timedelta(hours=hours_ago), tz
        )
        await session.commit()


async def test_the_requests_waiting_come_oldest_first_and_open_to_an_answer(
    bot_app, sandbox, sessionmaker
) -> None:
    karim_row = await add_member(sessionmaker)
    await open_request(sessionmaker, 1, karim_row, hours_ago=2)
    await open_request(sessionmaker, 2, karim_row, hours_ago=30)
    amelie = sandbox.user(1001, "Amélie")
    await amelie.send_text("/menu")
    await amelie.replies()
    karim = sandbox.user(9100, "Karim")

    await karim.send_text("/menu")
    [home] = await karim.replies()
    assert "2 demandes attendent votre réponse, la plus ancienne d'abord" in home.text
    first, second = home.button_texts()[:2]
    assert first.startswith("📨 Person2 · P2 · LRT · ") and second.startswith("📨 Person1 · P1")

    await karim.press(second, message_id=home.message_id)
    screen = (await karim.replies())[-1]
    assert screen.message_id == home.message_id  # in place of the home
    assert "Person1 · P1 · LRT" in screen.text and "Sujet : ❓ Une question" in screen.text
    assert "Ses messages sont plus haut dans notre conversation." in screen.text
    assert screen.button_texts() == ["↩️ Répondre", "✅ Clore la demande", "◀️ Espace équipe"]

    await karim.press("↩️ Répondre", message_id=screen.message_id)
    await karim.replies()
    await karim.send_text("Bonjour Amélie, c'est noté.")
    assert "Envoyé à Person1" in texts(await karim.replies())
    assert "Bonjour Amélie, c'est noté." in texts(await amelie.replies())

    await karim.press("◀️ Espace équipe", message_id=screen.message_id)
    again = (await karim.replies())[-1]
    assert "1 demande attend votre réponse" in again.text  # answered: it waits on Amélie


async def test_todays_sessions_show_with_a_button_into_the_session_desk(
    bot_app, sandbox, sessionmaker
) -> None:
    karim = await add_member(sessionmaker)
    other = await add_member(sessionmaker, 9200, name="Sophie")
    async with sessionmaker() as session:
        await add_session(session, starts_in=timedelta(hours=2), created_by=karim.id, capacity=12)
        await add_session(session, starts_in=timedelta(days=1), created_by=karim.id)
        sophies = await add_session(session, starts_in=timedelta(hours=3), created_by=other.id)
        (await session.get(ProgrammeSession, sophies)).title_fr = "Atelier CV"
        await session.commit()
    client = sandbox.user(9100, "Karim")
    await client.send_text("/menu")
    [home] = await client.replies()
    assert "Aujourd'hui" in home.text
    assert "Vlaamse Verpakking se présente · 0/12 inscrits" in home.text
    assert "Atelier CV" not in home.text  # Sophie's
    [session_button] = [b for b in home.button_texts() if b.startswith("📅 ") and "·" in b]
    await client.press(session_button, message_id=home.message_id)
    screen = (await client.replies())[-1]
    assert "0/12 places réservées" in screen.text and "👥 Qui est inscrit" in screen.button_texts()


async def test_a_coordinator_sees_everyones_sessions_of_the_day(bot_app, sandbox, sessionmaker):
    karim = await add_member(sessionmaker)
    await add_member(sessionmaker, 9500, Role.COORDINATOR, "Claire")
    async with sessionmaker() as session:
        await add_session(session, starts_in=timedelta(hours=2), created_by=karim.id)
        await session.commit()
    claire = sandbox.user(9500, "Claire")
    await claire.send_text("/menu")
    [home] = await claire.replies()
    assert "Coordination du programme" in home.text
    assert "Vlaamse Verpakking se présente" in home.text


async def test_the_home_gives_the_referral_link_as_a_qr_code(bot_app, sandbox, sessionmaker):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/menu")
    [home] = await karim.replies()
    await karim.press("🔗 Mon lien et son QR code", message_id=home.message_id)
    [photo] = [m for m in await karim.replies() if m.photo]
    assert "?start=ref_code9100" in photo.caption


async def test_a_staff_member_tries_the_participant_side_until_staff(
    bot_app, sandbox, sessionmaker
) -> None:
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/start")
    [home] = await karim.replies()

    await karim.press(PARTICIPANT_VIEW, message_id=home.message_id)
    replies = await karim.replies()
    assert "Vous voyez maintenant le bot comme un participant" in texts(replies)
    assert buttons(replies) == MENU
    await karim.send_text("/menu")
    assert buttons(await karim.replies()) == MENU  # /menu keeps him there
    await karim.send_text("/start")
    assert "Avant de commencer" in texts(await karim.replies())  # a newcomer's registration

    await karim.send_text("/staff")
    assert "Espace équipe" in texts(await karim.replies())
    await karim.send_text("/menu")
    assert buttons(await karim.replies()) == [*HOME_BUTTONS, PARTICIPANT_VIEW]


@pytest.mark.parametrize("start", ["/start participant", "/start ref_code9100"])
async def test_start_participant_or_a_participants_link_opens_the_participant_welcome(
    bot_app, sandbox, sessionmaker, start
) -> None:
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text(start)
    replies = await karim.replies()
    assert "Je suis l'assistant du projet" in texts(replies)
    assert buttons(replies) == ["🇫🇷 Français", "🇧🇪 Nederlands"]


async def test_lang_works_for_staff_and_brings_them_home(bot_app, sandbox, sessionmaker):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/lang")
    await karim.replies()
    await karim.press("🇧🇪 Nederlands")
    replies = await karim.replies_until("Teamruimte")
    assert "Teamruimte" in texts(replies)
    assert await locale_of(sessionmaker, 9100) == "nl"


async def test_a_participant_never_gets_the_staff_home(bot_app, participant) -> None:
    await participant.send_text("/staff")
    assert "réservée à l'équipe" in texts(await participant.replies())
    await participant.send_text("/menu")
    replies = await participant.replies()
    assert "Espace équipe" not in texts(replies) and buttons(replies) == MENU
