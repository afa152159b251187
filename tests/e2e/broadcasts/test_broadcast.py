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
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import answer
from tests.helpers.people import add_person, add_staff

HEADER = say("bc-header")
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


def is_report(message) -> bool:
    return holds(message.text or "", "bc-report", delivered=..., unreachable=..., failed=...)


async def final_state(staff: UserClient, rounds: int = 50):
    """The staff member's chat once the report of the sending is there."""
    for _ in range(rounds):
        messages = await staff.messages()
        if any(is_report(m) for m in messages):
            return messages
        await asyncio.sleep(0.2)
    raise AssertionError("no report")


async def stored(sessionmaker) -> list[Broadcast]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Broadcast)))


async def test_a_coordinator_sends_a_text_to_everyone_and_follows_it_to_the_report(
    bot_app, sandbox, sessionmaker
) -> None:
    people = await participants(sandbox, sessionmaker, {1001: "LRT", 1002: "FM", 1003: "WAPI"})
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = sandbox.user(9300, "Lies")

    assert say("bc-write") in texts(await answer(lies, text="/broadcast"))
    audience = await answer(lies, text=TEXT)
    assert say("bc-audience") in texts(audience)
    assert buttons(audience) == [
        say("bc-audience-mine"),
        say("bc-audience-territory"),
        say("bc-audience-occupation"),
        say("bc-audience-session"),
        say("bc-audience-everyone"),
        say("button-back"),
        say("bc-cancel"),
    ]
    confirm = await answer(lies, press=say("bc-audience-everyone"))
    assert say("bc-preview") in texts(confirm)
    assert say("bc-message", text=TEXT) in [m.text for m in confirm]
    assert say("bc-reach", count=3, unreachable=0) in texts(confirm)
    assert buttons(confirm) == [
        say("bc-send"),
        say("bc-edit"),
        say("button-back"),
        say("bc-cancel"),
    ]

    started = await answer(lies, press=say("bc-send"))
    assert say("bc-progress", sent=0, total=3) in texts(started)
    for client in people.values():
        [message] = await received(client)
        assert message.text == say("bc-message", text=TEXT)

    chat = await final_state(lies)
    [progress] = [m for m in chat if holds(m.text or "", "bc-progress", sent=..., total=...)]
    assert progress.text == say("bc-progress", sent=3, total=3) and progress.edited
    [report] = [m for m in chat if is_report(m)]
    assert report.text == say("bc-report", delivered=3, unreachable=0, failed=0)
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
    await answer(karim, text="/broadcast")

    await karim.send_photo(b"\xff\xd8\xff\xe0forum", caption="Forum de l'emploi")
    audience = await karim.replies()
    assert say("bc-audience-everyone") not in buttons(audience)
    territories = await answer(karim, press=say("bc-audience-territory"))
    assert buttons(territories) == [say("territory-LRT"), say("button-back"), say("bc-cancel")]
    confirm = await answer(karim, press=say("territory-LRT"))
    [preview] = [m for m in confirm if m.photo]
    assert preview.caption == say("bc-message", text="Forum de l'emploi")
    assert say("bc-reach", count=2, unreachable=0) in texts(confirm)
    await answer(karim, press=say("bc-send"))

    for telegram_id in (1001, 1002):
        [message] = await received(people[telegram_id])
        assert message.caption == say("bc-message", text="Forum de l'emploi")
        assert message.photo.content == b"\xff\xd8\xff\xe0forum"
    await final_state(karim)
    assert await received(people[1003], rounds=1) == []


async def test_a_counsellor_cannot_reach_everyone_or_another_territory_even_forging_buttons(
    bot_app, sandbox, sessionmaker
) -> None:
    await participants(sandbox, sessionmaker, {1003: "WAPI"})
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    karim = sandbox.user(9100, "Karim")
    await answer(karim, text="/broadcast")
    await answer(karim, text=TEXT)

    window = await karim.last_message_with_buttons()
    mine = next(d for d in window.callback_data() if d.endswith(":mine"))
    refused = await say_forged(karim, mine.replace(":mine", ":everyone"))
    assert say("bc-refused") in texts(refused)
    assert say("bc-audience") in texts(refused)

    await answer(karim, press=say("bc-audience-territory"))
    window = await karim.last_message_with_buttons()
    lrt = next(d for d in window.callback_data() if d.endswith(":LRT"))
    refused = await say_forged(karim, lrt.replace(":LRT", ":WAPI"))
    assert say("bc-refused") in texts(refused)
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
    await answer(lies, text="/broadcast")
    too_long = await answer(lies, text="x" * 3501)
    assert say("bc-text-long", length=3501) in texts(too_long)
    assert say("bc-write") in texts(too_long)
    await lies.send_photo(caption="x" * 1001)
    assert say("bc-caption-long", length=1001) in texts(await lies.replies())
    await lies.send_sticker()
    assert say("bc-type-message") in texts(await lies.replies())
    await answer(lies, text=TEXT)
    back = await answer(lies, press=say("button-back"))
    assert say("bc-current") in texts(back)
    await answer(lies, press=say("bc-keep"))
    await answer(lies, press=say("bc-audience-occupation"))
    unknown = await answer(lies, text="astronaute spatial")
    assert say("bc-occupation-unknown", query="astronaute spatial") in texts(unknown)
    picks = await answer(lies, text="cariste")
    confirm = await answer(lies, press=buttons(picks)[0])
    assert say("bc-reach", count=0, unreachable=0) in texts(confirm)
    assert say("bc-send") not in buttons(confirm)
    assert say("bc-cancelled") in texts(await answer(lies, press=say("bc-cancel")))
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
    await answer(els, text="/broadcast")
    await answer(els, text="De sessie begint om 14 uur.")

    sessions = await answer(els, press=say("bc-audience-session"))
    [item] = [
        b
        for b in buttons(sessions)
        if holds(b, "bc-session-item", when=..., title="Travailler en Flandre")
    ]
    confirm = await answer(els, press=item)
    assert say("bc-reach", count=1, unreachable=0) in texts(confirm)
    await answer(els, press=say("bc-send"))
    [message] = await received(people[1002])
    assert message.text == say("bc-message", text="De sessie begint om 14 uur.")
    await final_state(els)
    assert await received(people[1001], rounds=1) == []


async def test_a_participant_is_refused_the_broadcast(bot_app, participant) -> None:
    await participant.send_text("/broadcast")
    assert say("staff-only") in texts(await participant.replies())
