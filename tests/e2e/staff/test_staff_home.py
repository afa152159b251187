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
from bot.services.desk import tickets
from tests.helpers import buttons, holds, say, texts
from tests.helpers.people import add_member, add_person
from tests.helpers.screens import HOME_BUTTONS, MENU, PARTICIPANT_VIEW
from tests.helpers.sessions import add_session


@pytest.fixture
def settings(settings):
    # At midday, so a session two hours ahead is today's.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


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
    assert say("staff-home-hello", name="Karim") in home.text
    assert say("staff-role-cet", territory={"key": "territory-LRT"}) in home.text
    assert say("staff-home-requests", count=0) in home.text
    assert say("staff-home-sessions", count=0) in home.text
    assert "?start=ref_code9100" in home.text
    assert say("staff-home-commands") in home.text
    assert home.button_texts() == [*HOME_BUTTONS, PARTICIPANT_VIEW]
    assert say("lang-choose") not in home.text
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
    assert say("staff-home-hello", "nl", name="Jan") in home.text
    assert say("staff-role-vdab", "nl") in home.text
    assert say("staff-home-requests", "nl", count=0) in home.text
    assert say("staff-home-commands", "nl") in home.text
    assert home.button_texts() == [
        say("staff-home-all-sessions", "nl"),
        say("staff-home-invite", "nl"),
        say("staff-home-participant", "nl"),
    ]
    assert await locale_of(sessionmaker, 9400) == "nl"


@pytest.mark.parametrize("command", ["/menu", "/cancel"])
async def test_menu_and_cancel_show_the_staff_home(bot_app, sandbox, sessionmaker, command):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/vacancy")
    await karim.replies()
    await karim.send_text(command)
    # The dialog's question loses its buttons first; the home follows once it is drawn.
    replies = await karim.replies_until(say("staff-home-title", name="Karim"))
    assert say("staff-home-title", name="Karim") in texts(replies)
    assert say("menu-jobs") not in buttons(replies)
    assert say("menu-found-job") not in buttons(replies)
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
    assert say("staff-home-requests", count=2) in home.text
    first, second = home.button_texts()[:2]
    assert first.startswith("📨 Person2 · P2 · LRT · ") and second.startswith("📨 Person1 · P1")

    await karim.press(second, message_id=home.message_id)
    screen = (await karim.replies())[-1]
    assert screen.message_id == home.message_id  # in place of the home
    label = "Person1 · P1 · LRT"
    assert holds(
        screen.text, "staff-ticket", label=label, topic={"key": "esc-topic-question"}, since=...
    )
    assert say("staff-ticket-private") in screen.text
    assert say("reach-line", reach=say("reach-telegram")) in screen.text
    assert screen.button_texts() == [
        say("esc-reply"),
        say("esc-staff-close"),
        say("staff-home-back"),
    ]

    await karim.press(say("esc-reply"), message_id=screen.message_id)
    await karim.replies()
    await karim.send_text("Bonjour Amélie, c'est noté.")
    assert say("esc-reply-sent", label=label) in texts(await karim.replies())
    assert "Bonjour Amélie, c'est noté." in texts(await amelie.replies())

    await karim.press(say("staff-home-back"), message_id=screen.message_id)
    again = (await karim.replies())[-1]
    # answered: it waits on Amélie
    assert say("staff-home-requests", count=1) in again.text


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
    assert say("staff-home-sessions", count=1) in home.text
    today = {"time": ..., "title": "Vlaamse Verpakking se présente"}
    assert holds(home.text, "staff-home-session", confirmed=0, capacity=12, **today)
    assert "Atelier CV" not in home.text  # Sophie's
    [session_button] = [b for b in home.button_texts() if b.startswith("📅 ") and "·" in b]
    await client.press(session_button, message_id=home.message_id)
    screen = (await client.replies())[-1]
    anything = dict.fromkeys(("kind", "title", "when", "minutes", "url", "waiting", "cutoff"), ...)
    assert holds(screen.text, "desk-session", confirmed=0, capacity=12, **anything)
    assert say("desk-button-who") in screen.button_texts()


async def test_a_coordinator_sees_everyones_sessions_of_the_day(bot_app, sandbox, sessionmaker):
    karim = await add_member(sessionmaker)
    await add_member(sessionmaker, 9500, Role.COORDINATOR, "Claire")
    async with sessionmaker() as session:
        await add_session(session, starts_in=timedelta(hours=2), created_by=karim.id)
        await session.commit()
    claire = sandbox.user(9500, "Claire")
    await claire.send_text("/menu")
    [home] = await claire.replies()
    assert say("staff-role-coordinator") in home.text
    assert "Vlaamse Verpakking se présente" in home.text


async def test_the_home_gives_the_referral_link_as_a_qr_code(bot_app, sandbox, sessionmaker):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/menu")
    [home] = await karim.replies()
    await karim.press(say("staff-home-invite"), message_id=home.message_id)
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
    assert say("staff-participant-view") in texts(replies)
    assert buttons(replies) == MENU
    await karim.send_text("/menu")
    assert buttons(await karim.replies()) == MENU  # /menu keeps him there
    await karim.send_text("/start")
    assert say("reg-consent") in texts(await karim.replies())  # a newcomer's registration

    await karim.send_text("/staff")
    assert say("staff-home-title", name="Karim") in texts(await karim.replies())
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
    assert say("welcome-new", name="Karim") in texts(replies)
    assert buttons(replies) == [say("lang-button-fr"), say("lang-button-nl")]


async def test_lang_works_for_staff_and_brings_them_home(bot_app, sandbox, sessionmaker):
    await add_member(sessionmaker)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("/lang")
    await karim.replies()
    await karim.press(say("lang-button-nl"))
    home = say("staff-home-title", "nl", name="Karim")
    replies = await karim.replies_until(home)
    assert home in texts(replies)
    assert await locale_of(sessionmaker, 9100) == "nl"


async def test_a_participant_never_gets_the_staff_home(bot_app, participant) -> None:
    await participant.send_text("/staff")
    assert say("staff-only") in texts(await participant.replies())
    await participant.send_text("/menu")
    replies = await participant.replies()
    assert not holds(texts(replies), "staff-home-title", name=...)
    assert buttons(replies) == MENU
