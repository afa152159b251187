"""A participant announces a job and their counsellor confirms it; a counsellor records a
training; staff get the programme report as a table and a chart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Outcome, Participant, Role, Staff
from tests.helpers import holds, say, texts
from tests.helpers.people import add_person


@pytest.fixture
def settings(settings):
    # The outbox ticks fast: the counsellor's message arrives within the test's patience.
    return settings.model_copy(update={"outbox_tick_s": 0.2})


@pytest.fixture
def karim(sandbox):
    return sandbox.user(9100, "Karim")


async def seed(sessionmaker, amelie_client, karim_client) -> tuple[int, int]:
    """Karim (CET, Lille-Roubaix-Tourcoing) follows Amélie (on Telegram) and Nadia (imported,
    not on Telegram); both chats are open."""
    async with sessionmaker() as session:
        karim = Staff(
            telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k1"
        )
        session.add(karim)
        await session.flush()
        amelie = await add_person(session, 1, counsellor=karim, telegram_id=1001)
        nadia = await add_person(session, 2, counsellor=karim, on_telegram=False)
        nadia.first_name = "Nadia"
        await session.commit()
    for client in (amelie_client, karim_client):
        await client.send_text("/menu")
        await client.replies()
    return amelie.id, nadia.id


async def participant_of(sessionmaker, participant_id: int) -> Participant:
    async with sessionmaker() as session:
        return await session.get(Participant, participant_id)


async def test_a_job_announced_by_the_participant_is_confirmed_by_the_counsellor(
    bot_app, participant, karim, sessionmaker
) -> None:
    amelie, _ = await seed(sessionmaker, participant, karim)

    await participant.press(say("menu-found-job"))
    assert say("out-found-ask-employer") in texts(await participant.replies())
    await participant.send_text("x")
    assert say("out-wrong-employer") in texts(await participant.replies())
    await participant.send_text("Vlaamse Verpakking")
    assert say("out-found-ask-start") in texts(await participant.replies())
    await participant.send_text("le 40 janvier")
    assert say("out-wrong-date") in texts(await participant.replies())
    await participant.press(say("out-found-next-week"))
    assert say("out-found-done") in texts(await participant.replies())

    found = {"label": ..., "employer": "Vlaamse Verpakking", "start": ...}
    [report] = [
        m for m in await karim.replies(timeout=15) if holds(m.text or "", "out-reported", **found)
    ]
    assert "Person1" in report.text and "Vlaamse Verpakking" in report.text
    assert report.button_texts() == [say("out-button-confirm"), say("out-button-correct")]
    await karim.press(say("out-button-confirm"), message_id=report.message_id)
    confirmed = texts(await karim.replies())
    assert holds(confirmed, "out-review-confirmed", label="Person1 · P1", start=...)

    person = await participant_of(sessionmaker, amelie)
    assert (person.status, person.employer) == ("job", "Vlaamse Verpakking")
    told = texts(await participant.replies(timeout=15))
    assert say("out-confirmed-participant") in told


async def test_a_counsellor_records_an_ibo_training_step_by_step(
    bot_app, participant, karim, sessionmaker
) -> None:
    _, nadia = await seed(sessionmaker, participant, karim)

    await karim.send_text("/outcome")
    assert say("out-ask-who") in texts(await karim.replies())
    await karim.send_text("zoé")
    assert say("out-who-none") in texts(await karim.replies())
    await karim.send_text("nad")
    listing = (await karim.replies())[-1]  # below the question, whose buttons go
    assert listing.button_texts() == ["Nadia · P2", say("out-cancel")]
    await karim.press("Nadia · P2")
    followed = {"key": "out-status-followed"}
    assert say("out-ask-kind", label="Nadia · P2", status=followed) in texts(await karim.replies())
    await karim.press(say("out-kind-job"))
    assert say("out-ask-employer") in texts(await karim.replies())
    await karim.press(say("button-back"))
    await karim.replies()
    await karim.press(say("out-kind-training"))
    assert say("out-ask-training") in texts(await karim.replies())
    await karim.press(say("out-training-ibo"))
    await karim.replies()
    await karim.send_text("31/02")
    assert say("out-wrong-date") in texts(await karim.replies())
    await karim.press(say("out-today"))
    summary = texts(await karim.replies())
    ibo = {"key": "out-summary-training", "vars": {"training": "IBO", "start": ...}}
    assert holds(summary, "out-summary", label="Nadia · P2", what=ibo)
    await karim.press(say("out-button-save"))
    training = {"key": "out-status-training"}
    assert say("out-saved", label="Nadia · P2", status=training) in texts(await karim.replies())

    assert (await participant_of(sessionmaker, nadia)).status == "training"
    async with sessionmaker() as session:
        outcome = await session.scalar(select(Outcome))
        assert (outcome.kind, outcome.training, outcome.confirmed_by) == ("training", "IBO", 1)


async def test_the_report_comes_as_a_table_and_a_chart(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    await karim.send_text("/report")
    assert say("report-ask-period") in texts(await karim.replies())
    await karim.press(say("report-this-month"))
    # The chart is drawn in a worker thread: on a busy machine it comes seconds after the table.
    replies = await karim.replies_until(lambda m: m.photo is not None, timeout=30)
    [table] = [m for m in replies if m.text and say("report-title") in m.text]
    assert say("report-col-metric") in table.text and say("report-followed") in table.text
    [chart] = [m for m in replies if m.photo is not None]
    assert chart.photo.content.startswith(b"\x89PNG")
    assert holds(chart.caption, "report-caption", period=...)


async def test_participants_cannot_record_outcomes_or_read_the_report(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    for command in ("/outcome", "/report"):
        await participant.send_text(command)
        replies = texts(await participant.replies())
        assert say("out-ask-who") not in replies and say("report-ask-period") not in replies


async def test_someone_not_registered_is_asked_to_register_first(bot_app, participant) -> None:
    await participant.send_text("/start")
    await participant.replies()
    await participant.press_data("menu:found_job")
    assert say("out-found-register-first") in texts(await participant.replies())


async def test_a_flow_started_since_gets_what_is_typed_not_the_unfinished_outcome(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    await karim.send_text("/outcome")
    await karim.replies()
    await karim.send_text("/vacancy")
    await karim.replies()
    await karim.press(say("vpost-lang-fr"))
    assert say("vpost-title") in texts(await karim.replies())
    await karim.send_text("Cariste de nuit")
    assert say("vpost-employer") in texts(await karim.replies())
