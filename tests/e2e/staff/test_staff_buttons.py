"""A counsellor's buttons do what they say whatever screen of theirs was left open: the open
screen is closed (its buttons no longer work) and the button's action happens (issue 12,
point 2). Without a desk group: the counsellor answers in private."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.base import as_utc
from bot.db.models import Participant, ProgrammeSession, Ticket, TicketStatus
from bot.demo import midday_zone
from bot.sandbox import UserClient
from tests.helpers import holds, say, texts
from tests.helpers.chat import collect
from tests.helpers.desk import HEADER, ask_question
from tests.helpers.people import seed
from tests.helpers.sessions import add_session
from tests.helpers.vacancies import publish

LABEL = "Person1 · P1 · LRT"  # Amélie as staff see her (`people.seed`)
# A screen left open, and the button it asks with.
LEFT_OPEN = {
    "/start": say("lang-button-fr"),  # the language question, as reported
    "/lang": say("lang-button-fr"),
    "/vacancy": say("vpost-lang-fr"),  # a staff dialog
    "/broadcast": say("bc-cancel"),  # a staff dialog whose first step is typed
    "/outcome": say("out-cancel"),  # a staff dialog whose first step is typed, too
}


@pytest.fixture
def settings(settings):
    # The outbox ticks fast, at midday: what the counsellor is sent arrives within the test.
    return settings.model_copy(update={"outbox_tick_s": 0.2, "tz": midday_zone()})


@pytest.fixture
def karim(sandbox) -> UserClient:
    return sandbox.user(9100, "Karim")


async def leave_open(karim: UserClient, command: str) -> tuple[int, str]:
    """Karim starts something and leaves it there: the message it asked in, and the data of
    its button."""
    await karim.send_text(command)
    asked = (await karim.replies())[-1]
    data = dict(zip(asked.button_texts(), asked.callback_data(), strict=True))
    return asked.message_id, data[LEFT_OPEN[command]]


async def assert_closed(karim: UserClient, left: tuple[int, str]) -> None:
    """The screen left open is gone: its button no longer works (an old phone may still show
    it), and what is typed reaches none of its steps."""
    message_id, data = left
    await karim.press_data(data, message_id=message_id)
    said = texts(await karim.replies()) + ((await karim.fetch_callback_answers())[-1].text or "")
    assert say("button-expired") in said or say("out-expired") in said
    await karim.send_text("Merci")
    said = texts(await karim.replies())
    assert say("flow-use-buttons") not in said and say("out-ask-who") not in said


async def buttons_of(user: UserClient, message_id: int) -> list[str]:
    return next(m for m in await user.messages() if m.message_id == message_id).button_texts()


async def request_from(participant: UserClient, karim: UserClient) -> int:
    """Amélie asks a question; the message id of its copy under which Karim has the buttons."""
    await ask_question(participant)
    await participant.send_text("Bonjour, quand est la prochaine présentation ?")
    await participant.replies()
    _header, copy = await collect(karim, 2)
    return copy.message_id


async def test_a_reply_reaches_the_participant_though_the_language_question_was_left_open(
    bot_app, participant, karim, sessionmaker
) -> None:
    """The story as reported: Karim sent /start and left the language question open."""
    await seed(participant, sessionmaker)
    await karim.send_text("/start")
    await karim.replies()
    copy = await request_from(participant, karim)

    await karim.press(say("esc-reply"), message_id=copy)
    assert say("esc-reply-ask", label=LABEL) in texts(await karim.replies())
    await karim.send_text("Jeudi à 14 h, je vous inscris.")
    said = texts(await karim.replies())
    assert say("esc-reply-sent", label=LABEL) in said and say("flow-use-buttons") not in said
    assert [m.text for m in await collect(participant, 2)] == [
        HEADER,
        "Jeudi à 14 h, je vous inscris.",
    ]


@pytest.mark.parametrize("command", ["/lang", "/vacancy", "/broadcast", "/outcome"])
async def test_reply_closes_whatever_was_left_open_and_the_answer_goes_out(
    bot_app, participant, karim, sessionmaker, command
) -> None:
    await seed(participant, sessionmaker)
    await karim.send_text("/menu")
    await karim.replies()
    copy = await request_from(participant, karim)
    left = await leave_open(karim, command)

    await karim.press(say("esc-reply"), message_id=copy)
    assert say("esc-reply-ask", label=LABEL) in texts(await karim.replies())
    assert await buttons_of(karim, copy) == [say("esc-reply"), say("esc-staff-close")]
    await karim.send_text("Jeudi à 14 h.")
    assert say("esc-reply-sent", label=LABEL) in texts(await karim.replies())
    assert [m.text for m in await collect(participant, 2)] == [HEADER, "Jeudi à 14 h."]
    await assert_closed(karim, left)


async def test_closing_a_request_closes_the_flow_left_open(
    bot_app, participant, karim, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    await karim.send_text("/menu")
    await karim.replies()
    copy = await request_from(participant, karim)
    left = await leave_open(karim, "/vacancy")

    await karim.press(say("esc-staff-close"), message_id=copy)
    await karim.replies(timeout=2)
    assert say("esc-staff-closed") in karim.callback_answers[-1]
    assert say("esc-closed-by-staff", name="Karim") in texts(await participant.replies())
    async with sessionmaker() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.participant_id == person))
    assert ticket.status == TicketStatus.CLOSED
    await assert_closed(karim, left)


async def job_announced(participant: UserClient, karim: UserClient):
    """Amélie announces a job at Vlaamse Verpakking; Karim's message with the buttons."""
    await participant.press(say("menu-found-job"))
    await participant.replies()
    await participant.send_text("Vlaamse Verpakking")
    await participant.replies()
    await participant.press(say("out-found-next-week"))
    await participant.replies()
    announced = {"label": ..., "employer": "Vlaamse Verpakking", "start": ...}
    replies = await karim.replies(timeout=15)
    found = [m for m in replies if holds(m.text or "", "out-reported", **announced)]
    return found[0]


async def test_confirming_a_job_works_with_a_broadcast_being_written(
    bot_app, participant, karim, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    left = await leave_open(karim, "/broadcast")
    report = await job_announced(participant, karim)

    await karim.press(say("out-button-confirm"), message_id=report.message_id)
    # The broadcast's question may be drawn again first (it closes); the confirmation follows.
    said = texts(
        await karim.replies_until(
            lambda m: holds(m.text or "", "out-review-confirmed", label="Person1 · P1", start=...)
        )
    )
    assert holds(said, "out-review-confirmed", label="Person1 · P1", start=...)
    async with sessionmaker() as session:
        assert (await session.get(Participant, person)).status == "job"
    await assert_closed(karim, left)


async def test_correcting_a_job_takes_the_typed_employer_with_the_language_question_open(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    await karim.send_text("/menu")
    await karim.replies()
    report = await job_announced(participant, karim)
    left = await leave_open(karim, "/lang")

    await karim.press(say("out-button-correct"), message_id=report.message_id)
    assert say("out-ask-employer") in texts(await karim.replies())
    await karim.send_text("Vlaamse Verpakking NV")
    said = texts(await karim.replies())
    assert say("out-ask-occupation") in said and say("flow-use-buttons") not in said
    assert await buttons_of(karim, left[0]) == []  # the language question's: closed
    correct = [say("out-button-confirm"), say("out-button-correct")]
    assert await buttons_of(karim, report.message_id) == correct


async def test_the_session_desk_works_with_a_vacancy_being_written(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(participant, sessionmaker)
    tz = ZoneInfo(bot_app.settings.tz)
    async with sessionmaker() as session:
        sid = await add_session(
            session, capacity=10, starts_in=timedelta(days=7), territories=["LRT"]
        )
        await session.commit()
    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    left = await leave_open(karim, "/vacancy")

    await karim.press(listing.button_texts()[0], message_id=listing.message_id)
    screen = (await karim.replies())[-1]
    await karim.press(say("desk-button-time"), message_id=screen.message_id)
    assert holds(texts(await karim.replies()), "desk-ask-starts_at", title=..., when=...)
    new_start = (datetime.now(tz) + timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    await karim.send_text(new_start.strftime("%d/%m/%Y %H:%M"))
    confirm = (await karim.replies())[-1]  # below the question, whose buttons go
    await karim.press(say("desk-button-confirm"), message_id=confirm.message_id)
    assert say("desk-changed-starts_at") in texts(await karim.replies())
    async with sessionmaker() as session:
        assert as_utc((await session.get(ProgrammeSession, sid)).starts_at) == new_start
    await assert_closed(karim, left)


async def test_a_staff_button_replaces_the_desk_question_left_unanswered(
    bot_app, participant, karim, sessionmaker
) -> None:
    """Karim was asked a session's new time, then answers a participant: what he types goes
    to the participant, not into the session."""
    await seed(participant, sessionmaker)
    async with sessionmaker() as session:
        await add_session(session, capacity=10, starts_in=timedelta(days=7), territories=["LRT"])
        await session.commit()
    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    await karim.press(listing.button_texts()[0], message_id=listing.message_id)
    screen = (await karim.replies())[-1]
    copy = await request_from(participant, karim)
    await karim.press(say("desk-button-time"), message_id=screen.message_id)
    await karim.replies()

    await karim.press(say("esc-reply"), message_id=copy)
    await karim.replies()
    await karim.send_text("12/01/2030 14:30")
    assert say("esc-reply-sent", label=LABEL) in texts(await karim.replies())
    assert [m.text for m in await collect(participant, 2)] == [HEADER, "12/01/2030 14:30"]


async def test_writing_to_an_interested_participant_from_the_lead_with_a_vacancy_being_written(
    bot_app, participant, karim, sessionmaker
) -> None:
    person = await seed(participant, sessionmaker)
    left = await leave_open(karim, "/vacancy")
    await publish(sessionmaker)
    [card] = [m for m in await participant.replies(timeout=15) if "Cariste 1" in m.text]
    await participant.press(say("alert-interested"), message_id=card.message_id)
    await participant.replies()
    [lead] = [m for m in await karim.replies(timeout=15) if "Piste" in m.text]
    assert lead.button_texts() == [say("lead-write", name="Person1")]

    await karim.press(say("lead-write", name="Person1"), message_id=lead.message_id)
    assert say("esc-reply-ask", label=LABEL) in texts(await karim.replies())
    await karim.send_text("Bonjour, je vous aide pour la candidature ?")
    assert say("esc-reply-sent", label=LABEL) in texts(await karim.replies())
    assert [m.text for m in await collect(participant, 2)] == [
        HEADER,
        "Bonjour, je vous aide pour la candidature ?",
    ]
    async with sessionmaker() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.participant_id == person))
    assert ticket.status == TicketStatus.WAITING  # her answer comes back to Karim
    await assert_closed(karim, left)
