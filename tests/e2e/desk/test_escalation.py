"""A participant talks to their counsellor: through the staff desk (a forum topic each), or
in private with a Reply button; late answers nudge the counsellor, then go to the backup."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.app import create_bot, create_limiter
from bot.db.base import utcnow
from bot.db.models import (
    OutboxMessage,
    OutboxStatus,
    Participant,
    Role,
    Staff,
    Ticket,
    TicketStatus,
    User,
)
from bot.delivery.sender import OutboxSender
from bot.demo import midday_zone
from bot.i18n import build_core
from bot.sandbox import UserClient
from bot.services.desk import tickets
from tests.helpers import holds, say, texts
from tests.helpers.chat import collect, staff_member
from tests.helpers.desk import HEADER, ask_question
from tests.helpers.people import seed


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
    if "sms_stub" in request.fixturenames:  # an SMS provider (Brevo's API on the stub), midday
        stub = request.getfixturevalue("sms_stub")
        update |= {
            "sms_provider": "brevo",
            "sms_api_url": stub.url,
            "sms_api_key": SecretStr("brevo-key"),
            "tz": midday_zone(),
        }
    return settings.model_copy(update=update)


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
    assert holds(opened, "esc-opened", name="Karim", due=...)
    assert say("esc-write-now") in opened

    await participant.send_text("Bonjour, ma fiche de paie est fausse")
    first = await participant.replies()
    await participant.send_photo(b"\xff\xd8 payslip")
    second = await participant.replies(timeout=1.5)
    assert holds(texts(first), "esc-relayed", name="Karim", due=...)
    assert say("esc-relayed-again", name="Karim") not in texts(second)  # once per burst

    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    topic = await topic_messages(karim, desk, thread, 4)
    assert [m.service for m in topic] == ["forum_topic_created", None, None, None]
    card, text, photo = topic[1:]
    assert holds(
        card.text,
        "esc-desk-card",
        label="Person1 · P1 · LRT",
        topic={"key": "esc-topic-question"},
        territory={"key": "territory-LRT"},
        occupations="Cariste",
        dutch={"key": "dutch-A2"},
        counsellor="Karim",
        bookings=...,
        reach={"key": "reach-telegram"},  # how the counsellor can reach them outside the desk
    )
    assert "59000" not in card.text  # no address, no contact details
    assert text.text == "Bonjour, ma fiche de paie est fausse"
    assert photo.photo is not None and photo.photo.content == b"\xff\xd8 payslip"

    await karim.send_text("Bonjour Amélie, je regarde.", chat_id=desk, thread_id=thread)
    await karim.send_photo(b"\xff\xd8 corrected", chat_id=desk, thread_id=thread)
    answers = await collect(participant, 4)
    assert [m.text for m in answers] == [HEADER, "Bonjour Amélie, je regarde.", HEADER, None]
    assert answers[3].photo.content == b"\xff\xd8 corrected"
    assert say("fallback-text") not in texts(await karim.replies(timeout=1, chat_id=desk))

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
        closed = say("esc-staff-closed")
        assert closed in texts(await karim.replies_until(closed, chat_id=desk))
    else:
        card = (await karim.messages(chat_id=desk, thread_id=thread))[1]
        await karim.press(say("esc-staff-close"), message_id=card.message_id, chat_id=desk)
        await karim.replies(chat_id=desk, timeout=1)
        assert say("esc-staff-closed") in karim.callback_answers[-1]
    told = await participant.replies()
    assert say("esc-closed-by-staff", name="Karim") in texts(told)
    assert say("menu-talk") in told[-1].button_texts()
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
    assert say("esc-not-yours") in texts(await ines.replies(chat_id=desk))
    await ines.send_text("/close", chat_id=desk, thread_id=thread)
    assert say("esc-not-yours") in texts(await ines.replies(chat_id=desk))
    card = (await ines.messages(chat_id=desk, thread_id=thread))[1]
    query = await ines.press(say("esc-staff-close"), message_id=card.message_id, chat_id=desk)
    assert say("esc-not-yours") in (await ines.wait_callback_answer(query)).text

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
    assert (queued.participant_id, queued.chat_id) == (person, 1001)  # for Amélie, any channel
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


async def test_an_answer_to_someone_who_blocked_the_bot_waits_for_their_sms(
    start_bot, sandbox, participant, sessionmaker, desk, crash_before_sending
) -> None:
    """Amélie asked, then blocked the bot; she agreed to SMS: Karim's answer is queued for her
    as a participant (the sender sends `sms-copy`), and Karim is not told it failed."""
    await start_bot()
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    async with sessionmaker() as session:
        amelie = await session.get(Participant, person)
        amelie.phone, amelie.phone_consent_at = "+33612345678", utcnow()
        await session.execute(update(User).where(User.telegram_id == 1001).values(reachable=False))
        await session.commit()
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("Je vous appelle demain.", chat_id=desk, thread_id=thread)
    for _ in range(100):
        async with sessionmaker() as session:
            queued = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "copy"))
        if queued is not None:
            break
        await asyncio.sleep(0.1)
    assert (queued.participant_id, queued.chat_id) == (person, 1001)
    assert queued.payload["header"]["vars"] == {"name": "Karim"}  # what `sms-copy` says
    assert say("esc-not-delivered") not in texts(await karim.replies(timeout=0.5, chat_id=desk))


async def test_someone_who_blocked_the_bot_is_told_by_sms_that_their_counsellor_answered(
    bot_app, sandbox, participant, sessionmaker, desk, sms_stub
) -> None:
    person = await seed(participant, sessionmaker)
    await ask_question(participant)
    async with sessionmaker() as session:
        amelie = await session.get(Participant, person)
        amelie.phone, amelie.phone_consent_at = "+33612345678", utcnow()
        await session.execute(update(User).where(User.telegram_id == 1001).values(reachable=False))
        await session.commit()
    thread = await thread_of(sessionmaker, person)
    karim = sandbox.user(9100, "Karim")
    await karim.send_text("Je vous appelle demain.", chat_id=desk, thread_id=thread)
    for _ in range(200):
        if sms_stub.to("+33612345678"):
            break
        await asyncio.sleep(0.1)
    [sms] = sms_stub.to("+33612345678")
    first, stop = sms.text.splitlines()
    assert first.startswith("En Avant: ") and "Karim" in first  # `sms-copy`: open the bot
    assert stop == say("sms-stop")
    assert await participant.replies(timeout=0.5) == []  # nothing on Telegram


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
    await participant.press(say("menu-talk"), message_id=menu.message_id)
    [ask] = await participant.replies()
    await participant.press(say("esc-topic-mobility"), message_id=ask.message_id)
    assert holds(texts(await participant.replies()), "esc-opened", name="Karim", due=...)

    await participant.send_voice(b"OggS voice", duration=3)
    await participant.replies()
    header, copy = await collect(karim, 2)
    assert header.text == say(
        "esc-incoming", label="Person1 · P1 · LRT", topic={"key": "esc-topic-mobility"}
    )
    assert copy.voice is not None and copy.voice.content == b"OggS voice"
    assert copy.button_texts() == [say("esc-reply"), say("esc-staff-close")]

    await karim.press(say("esc-reply"), message_id=copy.message_id)
    assert say("esc-reply-ask", label="Person1 · P1 · LRT") in texts(await karim.replies())
    await karim.send_document(b"%PDF form", "aide-mobilite.pdf")
    assert say("esc-reply-sent", label="Person1 · P1 · LRT") in texts(await karim.replies())
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
    await participant.press(say("esc-topic-question"), message_id=ask.message_id)
    await participant.replies()

    await participant.send_text("bonjour, je cherche du travail")
    said = texts(await participant.replies())
    assert say("fallback-text") not in said and holds(said, "esc-relayed", name="Karim", due=...)
    await participant.send_sticker()
    assert say("fallback-media") not in texts(await participant.replies(timeout=1.5))
    assert len(await collect(karim, 4)) == 4  # two headers, two copies

    await participant.send_text("/menu")
    assert say("menu-title") in texts(await participant.replies())

    await participant.send_text("/close")
    assert say("esc-closed") in texts(await participant.replies())
    told = texts(await karim.replies(timeout=15))
    assert say("esc-staff-told-closed", label="Person1 · P1 · LRT") in told
    await participant.send_text("bonjour")
    assert say("esc-relayed-again", name="Karim") not in texts(await participant.replies())


async def test_asking_again_reuses_the_open_request(bot_app, sandbox, participant, sessionmaker):
    person = await seed(participant, sessionmaker)
    await staff_member(sandbox, 9100, "Karim")
    await ask_question(participant)
    await participant.send_text("/counsellor")
    said = texts(await participant.replies())
    assert say("esc-ongoing", name="Karim") in said
    async with sessionmaker() as session:
        assert len((await session.scalars(select(Ticket))).all()) == 1
    assert (await ticket_of(sessionmaker, person)).status == TicketStatus.OPEN


async def test_someone_not_registered_is_invited_to_register(bot_app, sandbox) -> None:
    stranger = sandbox.user(1500, "Paul")
    await stranger.send_text("/counsellor")
    assert say("esc-register-first") in texts(await stranger.replies())


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
    label, question = "Person1 · P1 · LRT", {"key": "esc-topic-question"}
    assert holds(nudge.text, "esc-nudge", label=label, opened=..., topic=question)
    assert say("esc-reply") in nudge.button_texts()
    assert await sophie.replies(timeout=1) == []

    tz = bot_app.clock.tz
    clock.advance(tickets.backup_due(due, tz) - clock() + timedelta(minutes=1))
    [request] = await collect(sophie, 1)
    assert holds(
        request.text,
        "esc-backup-request",
        counsellor="Karim",
        label=label,
        opened=...,
        topic=question,
    )
    assert say("esc-handed-over", name="Sophie") in texts(await collect(participant, 1))
    await asyncio.sleep(0.5)  # more ticks: nothing more is sent
    assert await sophie.replies(timeout=0.5) == []
    assert await karim.replies(timeout=0.5) == []

    await sophie.press(say("esc-reply"), message_id=request.message_id)
    await sophie.replies()
    await sophie.send_text("Bonjour, je remplace Karim : lundi.")
    await sophie.replies()
    answer = await collect(participant, 2)
    assert [m.text for m in answer] == [
        say("esc-answer-header", name="Sophie"),
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
    assert say("button-expired") in karim.callback_answers[-1]


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
    assert say("staff-ticket-desk") in screen.text

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
    await participant.press(say("delete-yes"))
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
