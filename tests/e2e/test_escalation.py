"""A participant talks to their counsellor: through the staff desk (a forum topic each), or
in private with a Reply button; late answers nudge the counsellor, then go to the backup."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import create_bot, create_limiter
from bot.db.models import (
    OutboxMessage,
    OutboxStatus,
    Participant,
    Role,
    Staff,
    Ticket,
    TicketStatus,
)
from bot.delivery.sender import OutboxSender
from bot.i18n import build_core
from bot.sandbox import UserClient
from bot.services import tickets
from tests.helpers import texts
from tests.services.test_alerts import add_person

TOPICS = [
    "❓ Une question",
    "🚗 Aide pour les trajets",
    "📄 Contrat ou fiche de paie",
    "✏️ Autre chose",
    "◀️ Menu",
]
HEADER = "💬 Votre conseiller Karim :"


@pytest.fixture
def desk(sandbox) -> int:
    """The counsellors' forum supergroup."""
    return sandbox.create_group("CET desk", is_forum=True)


@pytest.fixture
def settings(settings, request):
    # Faster ticks, so deadline messages arrive within the test's patience; the desk group's
    # limiter scaled up like the others (20 a minute would space its messages by 3 s); a desk
    # only for the tests that ask for one.
    update = {"outbox_tick_s": 0.2, "sla_tick_s": 0.2, "send_group_per_min": 6000}
    if "crash_before_sending" in request.fixturenames:
        update["outbox_tick_s"] = 3600  # the process dies before its outbox sends anything
    if "desk" in request.fixturenames:
        update["desk_chat_id"] = request.getfixturevalue("desk")
    return settings.model_copy(update=update)


async def seed(participant: UserClient, sessionmaker, *, backup: bool = False) -> int:
    """Amélie (Person1 · P1 · LRT), registered and followed by Karim (backed up by Sophie),
    has opened her chat with the bot."""
    async with sessionmaker() as session:
        sophie = None
        if backup:
            sophie = Staff(
                telegram_id=9200, role=Role.CET, territory="LRT", name="Sophie", referral_code="s1"
            )
            session.add(sophie)
            await session.flush()
        karim = Staff(
            telegram_id=9100,
            role=Role.CET,
            territory="LRT",
            name="Karim",
            referral_code="k1",
            backup_id=sophie.id if sophie else None,
        )
        session.add(karim)
        await session.flush()
        amelie = await add_person(session, 1, counsellor=karim, telegram_id=1001)
        await session.commit()
    await participant.send_text("/menu")
    await participant.replies()
    return amelie.id


async def staff_member(sandbox, telegram_id: int, name: str) -> UserClient:
    """A staff member with their private chat with the bot open."""
    member = sandbox.user(telegram_id, name)
    await member.send_text("/menu")
    await member.replies()
    return member


async def ask_question(participant: UserClient) -> str:
    """/counsellor, then "A question": what the bot says once the ticket is open."""
    await participant.send_text("/counsellor")
    [ask] = await participant.replies()
    assert ask.button_texts() == TOPICS
    await participant.press("❓ Une question", message_id=ask.message_id)
    return texts(await participant.replies())


async def collect(user: UserClient, count: int, *, chat_id: int | None = None) -> list:
    """The bot's next `count` messages to `user` (they may come in several updates)."""
    found: list = []
    for _ in range(10):
        found += [m for m in await user.replies(chat_id=chat_id) if not m.edited]
        if len(found) >= count:
            break
    return found


async def topic_messages(member: UserClient, desk: int, thread: int, count: int) -> list:
    """The desk topic once it holds `count` messages (copies come through the outbox)."""
    for _ in range(100):
        topic = await member.messages(chat_id=desk, thread_id=thread)
        if len(topic) >= count:
            break
        await asyncio.sleep(0.1)
    return topic


async def moved_thread(sessionmaker, participant_id: int, old: int) -> int:
    """The participant's topic once the outbox found the old one deleted and opened another."""
    for _ in range(100):
        thread = await thread_of(sessionmaker, participant_id)
        if thread != old:
            break
        await asyncio.sleep(0.1)
    return thread


async def ticket_of(sessionmaker, participant_id: int) -> Ticket:
    async with sessionmaker() as session:
        return await session.scalar(select(Ticket).where(Ticket.participant_id == participant_id))


async def thread_of(sessionmaker, participant_id: int) -> int:
    async with sessionmaker() as session:
        return (await session.get(Participant, participant_id)).desk_thread_id


# --- the desk -----------------------------------------------------------------------------


async def test_desk_topic_gets_the_card_then_every_message_and_staff_answers_come_back(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    opened = await ask_question(participant)
    assert "Votre conseiller Karim vous répond d'ici" in opened
    assert "Écrivez votre message maintenant" in opened

    await participant.send_text("Bonjour, ma fiche de paie est fausse")
    first = await participant.replies()
    await participant.send_photo(b"\xff\xd8 payslip")
    second = await participant.replies(timeout=1.5)
    assert "Transmis à Karim. Réponse attendue d'ici" in texts(first)
    assert "Transmis" not in texts(second)  # once per burst

    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    topic = await topic_messages(karim, desk, thread, 4)
    assert [m.service for m in topic] == ["forum_topic_created", None, None, None]
    card, text, photo = topic[1:]
    assert "Person1 · P1 · LRT" in card.text
    assert "Sujet : ❓ Une question" in card.text
    assert "Métiers : Cariste" in card.text and "Conseiller : Karim" in card.text
    assert "59000" not in card.text  # no address, no contact details
    assert text.text == "Bonjour, ma fiche de paie est fausse"
    assert photo.photo is not None and photo.photo.content == b"\xff\xd8 payslip"

    await karim.send_text("Bonjour Amélie, je regarde.", chat_id=desk, thread_id=thread)
    await karim.send_photo(b"\xff\xd8 corrected", chat_id=desk, thread_id=thread)
    answers = await collect(participant, 4)
    assert [m.text for m in answers] == [HEADER, "Bonjour Amélie, je regarde.", HEADER, None]
    assert answers[3].photo.content == b"\xff\xd8 corrected"
    assert "Je n'ai pas compris" not in texts(await karim.replies(timeout=1, chat_id=desk))

    ticket = await ticket_of(sessionmaker, person)
    assert ticket.status == TicketStatus.WAITING
    assert ticket.first_answer_by is not None

    await participant.send_text("Merci !")
    await participant.replies()
    assert (await ticket_of(sessionmaker, person)).status == TicketStatus.OPEN


async def test_a_deleted_topic_is_opened_again_with_its_card(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    old = await thread_of(sessionmaker, person)
    del sandbox.state.chats[desk].topics[old]  # staff deleted the topic

    await participant.send_text("Vous êtes là ?")
    await participant.replies()
    new = await moved_thread(sessionmaker, person, old)
    assert new != old
    topic = await topic_messages(sandbox.user(9100), desk, new, 3)
    assert [m.service for m in topic] == ["forum_topic_created", None, None]
    assert "Person1 · P1 · LRT" in topic[1].text and topic[2].text == "Vous êtes là ?"


@pytest.mark.parametrize("how", ["/close", "button"])
async def test_staff_close_the_request_from_the_topic(
    bot_app, sandbox, participant, sessionmaker, desk, how
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    if how == "/close":
        await karim.send_text("/close", chat_id=desk, thread_id=thread)
        assert "Demande fermée" in texts(await karim.replies_until("Demande fermée", chat_id=desk))
    else:
        card = (await karim.messages(chat_id=desk, thread_id=thread))[1]
        await karim.press("✅ Clore la demande", message_id=card.message_id, chat_id=desk)
        await karim.replies(chat_id=desk, timeout=1)
        assert "Demande fermée" in karim.callback_answers[-1]
    told = await participant.replies()
    assert "Karim a fermé votre demande" in texts(told)
    assert "💬 Parler à mon conseiller" in told[-1].button_texts()
    assert (await ticket_of(sessionmaker, person)).status == TicketStatus.CLOSED


async def test_in_the_desk_a_counsellor_of_another_territory_neither_answers_nor_closes(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    """Inès (Flandres maritimes) writes in Amélie's topic (Lille): nothing reaches Amélie,
    the request stays open, and Inès is told it is not hers."""
    person = await seed(participant, sessionmaker)
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9300, role=Role.CET, territory="FM", name="Inès", referral_code="i")
        )
        await session.commit()
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    ines = sandbox.user(9300, "Inès")

    await ines.send_text("Bonjour, ici Inès.", chat_id=desk, thread_id=thread)
    assert "pas de votre territoire" in texts(await ines.replies(chat_id=desk))
    await ines.send_text("/close", chat_id=desk, thread_id=thread)
    assert "pas de votre territoire" in texts(await ines.replies(chat_id=desk))
    card = (await ines.messages(chat_id=desk, thread_id=thread))[1]
    query = await ines.press("✅ Clore la demande", message_id=card.message_id, chat_id=desk)
    assert "pas de votre territoire" in (await ines.wait_callback_answer(query)).text

    assert await participant.replies(timeout=1) == []
    assert (await ticket_of(sessionmaker, person)).status == TicketStatus.OPEN


@pytest.fixture
def crash_before_sending() -> None:
    """The bot's outbox never ticks: what the handlers queued waits for another process."""


async def test_a_counsellors_answer_survives_a_crash_between_the_answer_and_the_send(
    start_bot, sandbox, participant, sessionmaker, settings, desk, crash_before_sending
) -> None:
    app = await start_bot()
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("Je vous appelle demain.", chat_id=desk, thread_id=thread)
    for _ in range(100):  # the handler committed the copy in the outbox
        async with sessionmaker() as session:
            queued = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "copy"))
        if queued is not None:
            break
        await asyncio.sleep(0.1)
    assert queued.status == OutboxStatus.PENDING
    await app.close()  # the process is gone before its outbox ran
    assert await participant.replies(timeout=0.5) == []

    bot = create_bot(settings, create_limiter(settings))
    try:
        await OutboxSender(sessionmaker, bot, build_core()).send_due()
    finally:
        await bot.session.close()

    answer = await collect(participant, 2)
    assert [m.text for m in answer] == [HEADER, "Je vous appelle demain."]
    assert await participant.replies(timeout=0.5) == []  # once


async def test_an_answer_deleted_before_it_was_copied_is_reported_under_it(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    sandbox.inject_failure(
        "copyMessage", status=400, description="Bad Request: message to copy not found"
    )
    sent = await karim.send_text("Oups, supprimé.", chat_id=desk, thread_id=thread)
    [notice] = await karim.replies_until("Pas remis", chat_id=desk)
    assert (notice.thread_id, notice.reply_to_message_id) == (thread, sent.message_id)
    assert [m.text for m in await collect(participant, 1)] == [HEADER]
    async with sessionmaker() as session:
        copy = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "copy"))
    assert (copy.status, copy.error) == (
        OutboxStatus.FAILED,
        "Bad Request: message to copy not found",
    )


# --- private messages (no desk) -----------------------------------------------------------


async def test_without_a_desk_the_counsellor_answers_with_the_reply_button(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    karim = await staff_member(sandbox, 9100, "Karim")
    await participant.send_text("/menu")
    [menu] = await participant.replies()
    await participant.press("💬 Parler à mon conseiller", message_id=menu.message_id)
    [ask] = await participant.replies()
    await participant.press("🚗 Aide pour les trajets", message_id=ask.message_id)
    assert "Votre conseiller Karim vous répond" in texts(await participant.replies())

    await participant.send_voice(b"OggS voice", duration=3)
    await participant.replies()
    header, copy = await collect(karim, 2)
    assert header.text == "📨 Person1 · P1 · LRT · 🚗 Aide pour les trajets :"
    assert copy.voice is not None and copy.voice.content == b"OggS voice"
    assert copy.button_texts() == ["↩️ Répondre", "✅ Clore la demande"]

    await karim.press("↩️ Répondre", message_id=copy.message_id)
    assert "Votre réponse à Person1 · P1 · LRT" in texts(await karim.replies())
    await karim.send_document(b"%PDF form", "aide-mobilite.pdf")
    assert "Envoyé à Person1" in texts(await karim.replies())
    header, document = await collect(participant, 2)
    assert header.text == HEADER
    assert document.document is not None and document.document.content == b"%PDF form"

    ticket = await ticket_of(sessionmaker, person)
    assert ticket.status == TicketStatus.WAITING and ticket.topic == "mobility"


async def test_inside_an_open_ticket_the_bot_leaves_free_text_to_the_counsellor(
    bot_app, sandbox, participant, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    karim = await staff_member(sandbox, 9100, "Karim")
    await participant.press_data("esc:start:0:")  # the FAQ's and the fallback's button
    [ask] = await participant.replies()
    await participant.press("❓ Une question", message_id=ask.message_id)
    await participant.replies()

    await participant.send_text("bonjour, je cherche du travail")
    said = texts(await participant.replies())
    assert "Je n'ai pas compris" not in said and "Transmis à Karim" in said
    await participant.send_sticker()
    assert "Je ne sais pas lire" not in texts(await participant.replies(timeout=1.5))
    assert len(await collect(karim, 4)) == 4  # two headers, two copies

    await participant.send_text("/menu")
    assert "Que voulez-vous faire ?" in texts(await participant.replies())

    await participant.send_text("/close")
    assert "C'est fermé" in texts(await participant.replies())
    assert "Person1 · P1 · LRT a fermé sa demande" in texts(await karim.replies(timeout=15))
    await participant.send_text("bonjour")
    assert "Transmis" not in texts(await participant.replies())


async def test_asking_again_reuses_the_open_request(bot_app, sandbox, participant, sessionmaker):
    person = await seed(participant, sessionmaker)
    await staff_member(sandbox, 9100, "Karim")
    await ask_question(participant)
    await participant.send_text("/counsellor")
    said = texts(await participant.replies())
    assert "Vous avez déjà une demande en cours avec Karim" in said
    async with sessionmaker() as session:
        assert len((await session.scalars(select(Ticket))).all()) == 1
    assert (await ticket_of(sessionmaker, person)).status == TicketStatus.OPEN


async def test_someone_not_registered_is_invited_to_register(bot_app, sandbox) -> None:
    stranger = sandbox.user(1500, "Paul")
    await stranger.send_text("/counsellor")
    assert "inscrivez-vous d'abord" in texts(await stranger.replies())


# --- deadlines ----------------------------------------------------------------------------


async def test_a_late_answer_nudges_the_counsellor_then_the_backup_takes_over(
    bot_app, sandbox, participant, sessionmaker, clock
) -> None:
    person = await seed(participant, sessionmaker, backup=True)
    karim = await staff_member(sandbox, 9100, "Karim")
    sophie = await staff_member(sandbox, 9200, "Sophie")
    await ask_question(participant)
    await participant.send_text("Quand commence mon contrat ?")
    await participant.replies()
    await collect(karim, 2)

    due = (await ticket_of(sessionmaker, person)).due_at
    clock.advance(due - clock() + timedelta(minutes=1))
    [nudge] = await collect(karim, 1)
    assert "⏰ Person1 · P1 · LRT attend une réponse" in nudge.text
    assert "↩️ Répondre" in nudge.button_texts()
    assert await sophie.replies(timeout=1) == []

    tz = bot_app.clock.tz
    clock.advance(tickets.backup_due(due, tz) - clock() + timedelta(minutes=1))
    [request] = await collect(sophie, 1)
    assert "Vous remplacez Karim" in request.text
    assert "Sophie, un autre conseiller du projet, va vous répondre" in texts(
        await collect(participant, 1)
    )
    await asyncio.sleep(0.5)  # more ticks: nothing more is sent
    assert await sophie.replies(timeout=0.5) == []
    assert await karim.replies(timeout=0.5) == []

    await sophie.press("↩️ Répondre", message_id=request.message_id)
    await sophie.replies()
    await sophie.send_text("Bonjour, je remplace Karim : lundi.")
    await sophie.replies()
    answer = await collect(participant, 2)
    assert [m.text for m in answer] == [
        "💬 Votre conseiller Sophie :",
        "Bonjour, je remplace Karim : lundi.",
    ]
    ticket = await ticket_of(sessionmaker, person)
    assert ticket.status == TicketStatus.WAITING and ticket.escalated_at is not None


async def test_an_old_button_in_the_desk_group_gets_a_note_and_no_menu(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    card = (await karim.messages(chat_id=desk, thread_id=thread))[1]
    await karim.press_data("menu:vanished", message_id=card.message_id, chat_id=desk)
    assert await karim.replies(chat_id=desk, timeout=2) == []
    assert "Ce bouton n'est plus actif" in karim.callback_answers[-1]


async def test_a_request_opened_from_the_staff_home_links_to_its_desk_topic(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    thread = await thread_of(sessionmaker, person)
    karim = await staff_member(sandbox, 9100, "Karim")
    await karim.send_text("/menu")
    [home] = await karim.replies()
    await karim.press(home.button_texts()[0], message_id=home.message_id)
    screen = (await karim.replies())[-1]
    assert "Ses messages sont dans son sujet du groupe de l'équipe." in screen.text
    [link] = [b.url for row in screen.buttons for b in row if b.url]
    assert link == f"https://t.me/c/{str(desk).removeprefix('-100')}/{thread}"


async def test_erasing_my_data_deletes_my_topic_in_the_desk(
    bot_app, sandbox, participant, sessionmaker, desk
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    await participant.send_text("J'habite rue des Lilas")
    await participant.replies()
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    for _ in range(100):  # the copy may still be on its way
        topic = await karim.messages(chat_id=desk, thread_id=thread)
        if any(m.text == "J'habite rue des Lilas" for m in topic):
            break
        await asyncio.sleep(0.1)

    await participant.send_text("/delete")
    await participant.replies()
    await participant.press("🗑️ Oui, tout effacer")
    await participant.replies_until("vos données personnelles sont effacées")
    for _ in range(100):
        if not await karim.messages(chat_id=desk, thread_id=thread):
            break
        await asyncio.sleep(0.1)
    assert await karim.messages(chat_id=desk, thread_id=thread) == []
    assert (await session_participant(sessionmaker, person)).desk_thread_id is None


async def session_participant(sessionmaker, participant_id: int) -> Participant:
    async with sessionmaker() as session:
        return await session.get(Participant, participant_id)
