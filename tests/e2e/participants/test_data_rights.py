"""A participant sees everything kept about them, and can erase it."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from bot.db.base import Base, utcnow
from bot.db.models import Participant
from bot.delivery import outbox
from bot.services.desk import tickets
from bot.services.staff import members as staff_service
from bot.services.vacancies import alerts
from tests.helpers import say, texts
from tests.helpers.chat import SECRET_NAME, inbox, register_in_french
from tests.helpers.vacancies import add_vacancy


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"outbox_tick_s": 0.1})


async def test_mydata_sends_a_json_file_of_everything_kept(bot_app, participant):
    await register_in_french(participant)
    await participant.send_text("/mydata")
    [message] = [m for m in await participant.replies() if m.document]
    data = json.loads(message.document.content)
    assert data["participant"]["first_name"] == SECRET_NAME
    assert data["participant"]["home_postcode"] == "59100"
    assert data["telegram_account"]["language"] == "fr"
    assert data["vacancies_suggested"] == []


async def test_mydata_lists_the_vacancies_suggested_and_the_answers(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    async with sessionmaker() as session:
        person = await session.scalar(select(Participant))
        vacancy = await add_vacancy(session, 1)
        await alerts.answer(session, person, vacancy, "not_for_me", utcnow(), "distance")
        await session.commit()
    await participant.send_text("/mydata")
    [message] = [m for m in await participant.replies() if m.document]
    [suggested] = json.loads(message.document.content)["vacancies_suggested"]
    assert suggested["vacancy"] == "VDAB-1"
    assert (suggested["your_answer"], suggested["reason"]) == ("not_for_me", "distance")


async def test_delete_erases_every_trace_and_tells_the_counsellor(
    bot_app, participant, sandbox, sessionmaker, engine
):
    async with sessionmaker() as session:
        cet = await staff_service.add_staff(
            session, telegram_id=9001, role="cet", territory="FM", name="Sophie"
        )
        await session.commit()
        code = cet.referral_code
    counsellor = sandbox.user(9001, "Sophie")
    await counsellor.send_text("/start")
    await counsellor.replies()
    await register_in_french(participant, counsellor_code=code)
    async with sessionmaker() as session:
        saved = await session.scalar(select(Participant))
        assert (saved.territory, saved.counsellor_id) == ("FM", cet.id)
        await outbox.enqueue(
            session,
            chat_id=1001,
            dedupe_key="later",
            key="welcome-back",
            variables={"name": SECRET_NAME},
            not_before=None,
        )
        # A lead for the counsellor, not sent yet: it names the participant.
        await outbox.enqueue(
            session,
            chat_id=9001,
            dedupe_key=f"lead:{saved.id}:7:{cet.id}",
            key="welcome-back",
            variables={"name": SECRET_NAME},
            not_before=utcnow() + timedelta(hours=1),
        )
        await session.commit()

    await participant.send_text("/delete")
    confirm = await participant.replies()
    assert say("delete-confirm-counsellor", name="Sophie") in texts(confirm)
    await participant.press(say("delete-yes"))
    # The buttons go first, the answer once everything is erased (on a busy machine, later
    # than replies() waits after the first event).
    await inbox(participant, say("delete-done"))

    # Nothing personal left in any column of any table.
    async with engine.connect() as connection:
        table_names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        for table in table_names:
            rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()
            dump = repr(rows)
            assert SECRET_NAME not in dump, table
            assert "59100" not in dump, table
            assert not any(cell == 1001 for row in rows for cell in row), table  # Telegram id
    async with sessionmaker() as session:
        kept = await session.scalar(select(Participant))
    assert (kept.territory, kept.status) == ("FM", "followed")  # anonymous programme figures
    notice = await counsellor.replies(timeout=5)
    assert say("counsellor-participant-deleted", territory="FM") in texts(notice)
    assert Base.metadata.tables  # every table was scanned above


TELEGRAM_ID = 730001873  # a number no other row, key or page holds by chance
EMPLOYER = "Brasserie Quenotte"
POSTCODE = "59100"


def _decoded(cell):
    """A cell as stored, and JSON-decoded when it is JSON (outbox payloads, FSM data), so a
    name stored escaped ("Zo\\u00e9lie") is found too."""
    yield cell
    if isinstance(cell, str) and cell[:1] in "[{":
        with contextlib.suppress(ValueError):
            yield json.loads(cell)


def traces(value, needles: tuple[str, ...]) -> list[str]:
    found = [n for n in needles if n in repr(value) or n in json.dumps(value, default=str)]
    return found


async def test_delete_leaves_no_trace_in_any_table_key_payload_or_database_file(
    bot_app, sandbox, sessionmaker, engine, database_url
):
    async with sessionmaker() as session:
        sophie = await staff_service.add_staff(
            session, telegram_id=9001, role="cet", territory="FM", name="Sophie"
        )
        karim = await staff_service.add_staff(
            session, telegram_id=9002, role="cet", territory="FM", name="Karim"
        )
        await session.commit()
    counsellors = [sandbox.user(9001, "Sophie"), sandbox.user(9002, "Karim")]
    for member in counsellors:
        await member.send_text("/start")
        await member.replies()
    amelie = sandbox.user(TELEGRAM_ID, "Amélie")
    await register_in_french(amelie, counsellor_code=sophie.referral_code)

    # She tells her counsellor she found a job (the employer typed), Karim answered one of her
    # requests, and she was interested in a vacancy (a lead with her name went to Sophie).
    await amelie.send_text("/menu")
    await amelie.replies()
    await amelie.press(say("menu-found-job"))
    await amelie.replies()
    await amelie.send_text(EMPLOYER)
    await amelie.replies()
    await amelie.press(say("out-found-next-week"))
    await amelie.replies_until("conseiller")
    async with sessionmaker() as session:
        person = await session.scalar(select(Participant))
        vacancy = await add_vacancy(session, 1)
        await alerts.express_interest(session, person, vacancy, utcnow())
        await tickets.staff_answered(session, person, karim, utcnow())
        await session.commit()
    await inbox(counsellors[0], "Piste")

    await amelie.send_text("/delete")
    await amelie.replies()
    await amelie.press(say("delete-yes"))
    await inbox(amelie, say("delete-done"))
    # Both who followed her are told: her counsellor, and Karim who answered her.
    for member in counsellors:
        await inbox(member, say("counsellor-participant-deleted", territory="FM"))

    needles = (SECRET_NAME, EMPLOYER, POSTCODE, str(TELEGRAM_ID))
    async with engine.connect() as connection:
        table_names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        for table in table_names:
            for row in (await connection.execute(text(f"SELECT * FROM {table}"))).all():
                for cell in row:
                    for value in _decoded(cell):
                        assert traces(value, needles) == [], (table, row)
    if database_url.startswith("sqlite"):
        # The file itself, its write-ahead log and shared memory: no old page keeps them.
        database = Path(database_url.split("///", 1)[1])
        escaped = json.dumps(SECRET_NAME)[1:-1]
        for path in (database, *database.parent.glob(database.name + "-*")):
            raw = path.read_bytes()
            for needle in (*needles, escaped):
                assert needle.encode() not in raw, (path.name, needle)
