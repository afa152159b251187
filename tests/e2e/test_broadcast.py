"""Staff write one message to many participants: they pick whom among those they may reach,
see how many it reaches and a preview, send, and watch the progress and the report."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import (
    Booking,
    BookingStatus,
    Broadcast,
    Participant,
    ProgrammeSession,
    SessionStatus,
    User,
)
from bot.demo import midday_zone
from bot.sandbox import UserClient
from tests.e2e.test_vacancy_post import add_staff, say
from tests.helpers import buttons, texts
from tests.services.test_alerts import add_person

HEADER = "📣 Vos conseillers"
TEXT = "Salon de l'emploi à Courtrai jeudi, inscrivez-vous !"


@pytest.fixture
def settings(settings):
    # The clock ticks faster so the outbox and the progress job run within the test's patience.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


async def participants(sandbox, sessionmaker, territories: dict[int, str]) -> dict[int, UserClient]:
    """Followed participants (by Telegram id) who opened the bot, in their territory."""
    clients = {}
    async with sessionmaker() as session:
        for n, (telegram_id, territory) in enumerate(territories.items(), start=1):
            person = await add_person(session, n, telegram_id=telegram_id)
            person.territory = territory
        await session.commit()
    for telegram_id in territories:
        clients[telegram_id] = sandbox.user(telegram_id, f"Person{telegram_id}")
        await clients[telegram_id].send_text("/menu")
        await clients[telegram_id].replies()
    return clients


async def received(client: UserClient, rounds: int = 40) -> list:
    """The broadcasts this participant got (waiting up to `rounds` × 0.2 s for the outbox)."""
    for _ in range(rounds):
        messages = await client.messages()
        found = [m for m in messages if (m.text or m.caption or "").startswith(HEADER)]
        if found:
            return found
        await asyncio.sleep(0.2)
    return []


async def final_state(staff: UserClient, needle: str, rounds: int = 50):
    """The staff member's chat once a message containing `needle` is there."""
    for _ in range(rounds):
        messages = await staff.messages()
        if any(needle in (m.text or "") for m in messages):
            return messages
        await asyncio.sleep(0.2)
    raise AssertionError(f"no message with {needle!r}")


async def stored(sessionmaker) -> list[Broadcast]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Broadcast)))


async def test_a_coordinator_sends_a_text_to_everyone_and_follows_it_to_the_report(
    bot_app, sandbox, sessionmaker
) -> None:
    people = await participants(sandbox, sessionmaker, {1001: "LRT", 1002: "FM", 1003: "WAPI"})
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = sandbox.user(9300, "Lies")

    assert "Écrivez votre message" in texts(await say(lies, text="/broadcast"))
    audience = await say(lies, text=TEXT)
    assert "Qui doit recevoir" in texts(audience)
    assert buttons(audience) == [
        "👥 Mes participants",
        "📍 Un territoire",
        "🛠 Un métier",
        "📅 Les inscrits d'une session",
        "🌍 Tout le monde",
        "◀️ Retour",
        "✖️ Annuler",
    ]
    confirm = await say(lies, press="🌍 Tout le monde")
    assert "Aperçu" in texts(confirm)
    assert f"{HEADER}\n\n{TEXT}" in [m.text for m in confirm]
    assert "Il atteindra 3 personnes (aucune injoignable)." in texts(confirm)
    assert buttons(confirm) == ["✅ Envoyer", "✏️ Modifier le message", "◀️ Retour", "✖️ Annuler"]

    started = await say(lies, press="✅ Envoyer")
    assert "📤 Envoi : 0 / 3" in texts(started)
    for client in people.values():
        [message] = await received(client)
        assert message.text == f"{HEADER}\n\n{TEXT}"

    chat = await final_state(lies, "Message envoyé")
    [progress] = [m for m in chat if (m.text or "").startswith("📤")]
    assert progress.text == "📤 Envoi : 3 / 3" and progress.edited
    [report] = [m for m in chat if "Message envoyé" in (m.text or "")]
    assert "Reçu par : 3" in report.text and "Échecs : 0" in report.text
    [broadcast] = await stored(sessionmaker)
    assert (broadcast.status, broadcast.total, broadcast.audience) == ("done", 3, "everyone")
    assert (broadcast.progress_chat_id, broadcast.progress_message_id) == (
        9300,
        progress.message_id,
    )


async def test_a_counsellor_sends_a_photo_to_their_territory(
    bot_app, sandbox, sessionmaker
) -> None:
    people = await participants(sandbox, sessionmaker, {1001: "LRT", 1002: "LRT", 1003: "WAPI"})
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    karim = sandbox.user(9100, "Karim")
    await say(karim, text="/broadcast")

    await karim.send_photo(b"\xff\xd8\xff\xe0forum", caption="Forum de l'emploi")
    audience = await karim.replies()
    assert "🌍 Tout le monde" not in buttons(audience)
    territories = await say(karim, press="📍 Un territoire")
    assert buttons(territories) == ["Lille-Roubaix-Tourcoing", "◀️ Retour", "✖️ Annuler"]
    confirm = await say(karim, press="Lille-Roubaix-Tourcoing")
    [preview] = [m for m in confirm if m.photo]
    assert preview.caption == f"{HEADER}\n\nForum de l'emploi"
    assert "Il atteindra 2 personnes" in texts(confirm)
    await say(karim, press="✅ Envoyer")

    for telegram_id in (1001, 1002):
        [message] = await received(people[telegram_id])
        assert message.caption == f"{HEADER}\n\nForum de l'emploi"
        assert message.photo.content == b"\xff\xd8\xff\xe0forum"
    await final_state(karim, "Message envoyé")
    assert await received(people[1003], rounds=1) == []


async def test_a_counsellor_cannot_reach_everyone_or_another_territory_even_forging_buttons(
    bot_app, sandbox, sessionmaker
) -> None:
    await participants(sandbox, sessionmaker, {1003: "WAPI"})
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    karim = sandbox.user(9100, "Karim")
    await say(karim, text="/broadcast")
    await say(karim, text=TEXT)

    window = await karim.last_message_with_buttons()
    mine = next(d for d in window.callback_data() if d.endswith(":mine"))
    refused = await say_forged(karim, mine.replace(":mine", ":everyone"))
    assert "Vous ne pouvez pas écrire à ce public" in texts(refused)
    assert "Qui doit recevoir" in texts(refused)

    await say(karim, press="📍 Un territoire")
    window = await karim.last_message_with_buttons()
    lrt = next(d for d in window.callback_data() if d.endswith(":LRT"))
    refused = await say_forged(karim, lrt.replace(":LRT", ":WAPI"))
    assert "Vous ne pouvez pas écrire à ce public" in texts(refused)
    assert await stored(sessionmaker) == []
    assert await received(sandbox.user(1003), rounds=1) == []


async def say_forged(user: UserClient, callback_data: str) -> list:
    await user.press_data(callback_data)
    return await user.replies()


async def test_each_bad_message_gets_its_reason_and_the_question_again(
    bot_app, sandbox, sessionmaker
) -> None:
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = sandbox.user(9300, "Lies")
    await say(lies, text="/broadcast")
    too_long = await say(lies, text="x" * 3501)
    assert "trop long (3\u202f501 caractères)" in texts(
        too_long
    ) and "Écrivez votre message" in texts(too_long)
    await lies.send_photo(caption="x" * 1001)
    assert "légende est trop longue (1\u202f001 caractères)" in texts(await lies.replies())
    await lies.send_sticker()
    assert "Envoyez un texte, une photo ou un document" in texts(await lies.replies())
    await say(lies, text=TEXT)
    back = await say(lies, press="◀️ Retour")
    assert "Vous avez déjà écrit un message" in texts(back)
    await say(lies, press="Garder ▶️")
    await say(lies, press="🛠 Un métier")
    unknown = await say(lies, text="astronaute spatial")
    assert "aucun métier pour « astronaute spatial »" in texts(unknown)
    picks = await say(lies, text="cariste")
    confirm = await say(lies, press=buttons(picks)[0])
    assert "Il n'atteindrait personne" in texts(confirm)
    assert "✅ Envoyer" not in buttons(confirm)
    assert "rien n'est envoyé" in texts(await say(lies, press="✖️ Annuler"))
    assert await stored(sessionmaker) == []


async def test_a_vdab_consultant_writes_to_those_booked_on_a_session(
    bot_app, sandbox, sessionmaker
) -> None:
    people = await participants(sandbox, sessionmaker, {1001: "LRT", 1002: "WAPI"})
    async with sessionmaker() as session:
        programme_session = ProgrammeSession(
            kind="info",
            title_fr="Travailler en Flandre",
            starts_at=utcnow() + timedelta(days=3),
            duration_min=60,
            url="https://meet.example/info",
            capacity=10,
            status=SessionStatus.PUBLISHED,
        )
        session.add(programme_session)
        await session.flush()
        booked = await session.scalar(
            select(Participant.id).join(User).where(User.telegram_id == 1002)
        )
        session.add(
            Booking(
                session_id=programme_session.id,
                participant_id=booked,
                status=BookingStatus.WAITLISTED,
            )
        )
        await session.commit()
    await add_staff(sessionmaker, 9200, "vdab", "Els")
    els = sandbox.user(9200, "Els")
    await say(els, text="/broadcast")
    await say(els, text="De sessie begint om 14 uur.")

    sessions = await say(els, press="📅 Les inscrits d'une session")
    [item] = [b for b in buttons(sessions) if "Travailler en Flandre" in b]
    confirm = await say(els, press=item)
    assert "Il atteindra 1 personne (aucune injoignable)." in texts(confirm)
    await say(els, press="✅ Envoyer")
    [message] = await received(people[1002])
    assert message.text == f"{HEADER}\n\nDe sessie begint om 14 uur."
    await final_state(els, "Message envoyé")
    assert await received(people[1001], rounds=1) == []


async def test_a_participant_is_refused_the_broadcast(bot_app, participant) -> None:
    await participant.send_text("/broadcast")
    assert "réservée à l'équipe" in texts(await participant.replies())
