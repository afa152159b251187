"""Territory rights on every staff action (issue 13, point 1): a counsellor of Flandres
maritimes presses every staff button and sends every staff command aimed at Lille-Roubaix-
Tourcoing's session, request, job report and participant, and is refused each time (a short
answer, a log line with ids, nothing changed); Lille's counsellor and a coordinator are not.
The buttons and commands come from the bot's routers (`staff_actions`), so a new one fails
`test_every_staff_action_is_listed` until it is listed with what it carries."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

import pytest
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from sqlalchemy import func, select

from bot.app import create_dispatcher
from bot.db.base import utcnow
from bot.db.models import (
    Attendance,
    Booking,
    BookingStatus,
    OutboxMessage,
    Outcome,
    OutcomeKind,
    Participant,
    ProgrammeSession,
    SessionStatus,
    Staff,
    Ticket,
    TicketStatus,
)
from bot.i18n import build_core
from bot.sandbox import UserClient
from bot.services.staff import members as staff_service
from tests.e2e.staff.staff_actions import (
    BUTTONS,
    COMMANDS,
    OBJECT,
    TYPED,
    staff_buttons,
    staff_messages,
)
from tests.helpers import say, texts
from tests.helpers.people import add_person
from tests.helpers.sessions import add_session

# What a staff member is told when the object is not of their territory.
REFUSALS = [
    say(key)
    for key in (
        "rights-refused",
        "esc-not-yours",
        "out-not-allowed",
        "reassign-refused-other-territory",
    )
]


def refused(text: str) -> bool:
    return any(refusal in text for refusal in REFUSALS)


KARIM, INES, CLAIRE = 9100, 9300, 9400  # CET of LRT, CET of FM, coordinator


def test_every_staff_action_is_listed() -> None:
    """Every staff button and command the bot handles is in `staff_actions`, with what it
    carries: a new one fails here until its rights are decided and tested."""
    dispatcher = create_dispatcher(None, build_core(), MemoryStorage(), SimpleEventIsolation())
    assert staff_buttons(dispatcher) == set(BUTTONS)
    commands, typed = staff_messages(dispatcher)
    assert commands == set(COMMANDS)
    assert typed == set(TYPED)


@dataclass(frozen=True)
class Seeded:
    """Lille's objects: a session to come and a started one (Karim's, for LRT only), with
    the participant's seats; their open request to Karim; their job report."""

    session: int
    past: int
    booking: int
    ticket: int
    outcome: int
    person: int
    reference: str

    def ids(self) -> dict[str, int]:
        return {
            "session": self.session,
            "past": self.past,
            "booking": self.booking,
            "ticket": self.ticket,
            "outcome": self.outcome,
            "person": self.person,
        }


async def add_team(sessionmaker) -> dict[int, Staff]:
    async with sessionmaker() as session:
        team = {
            telegram_id: await staff_service.add_staff(
                session, telegram_id=telegram_id, role=role, territory=territory, name=name
            )
            for telegram_id, role, territory, name in (
                (KARIM, "cet", "LRT", "Karim"),
                (INES, "cet", "FM", "Inès"),
                (CLAIRE, "coordinator", None, "Claire"),
            )
        }
        await session.commit()
        return team


async def seed_lille(sessionmaker, karim: Staff, n: int = 1) -> Seeded:
    async with sessionmaker() as session:
        person = await add_person(session, n, telegram_id=1000 + n, counsellor=karim)
        lrt = {"territories": ["LRT"], "created_by": karim.id, "confirmed": 1}
        future = await add_session(session, **lrt)
        past = await add_session(session, starts_in=-timedelta(minutes=30), **lrt)
        seats = [
            Booking(session_id=sid, participant_id=person.id, status=BookingStatus.CONFIRMED)
            for sid in (future, past)
        ]
        ticket = Ticket(
            participant_id=person.id,
            topic="question",
            status=TicketStatus.OPEN,
            counsellor_id=karim.id,
            due_at=utcnow() + timedelta(days=1),
        )
        outcome = Outcome(
            participant_id=person.id,
            kind=OutcomeKind.JOB,
            employer="Vlaamse Verpakking",
            start_date=utcnow().date(),
            reported_by_participant=True,
        )
        session.add_all([*seats, ticket, outcome])
        await session.commit()
        return Seeded(
            future, past, seats[1].id, ticket.id, outcome.id, person.id, person.external_id
        )


async def snapshot(sessionmaker) -> list[tuple]:
    """What a staff action could change."""
    watched = (
        (ProgrammeSession, ("url", "starts_at", "capacity", "status", "confirmed")),
        (ProgrammeSession, ("attendance_confirmed_at",)),
        (Booking, ("status", "attendance", "booked_by")),
        (Ticket, ("status", "closed_at", "first_answer_at")),
        (Outcome, ("confirmed_at", "confirmed_by")),
        (Participant, ("status", "counsellor_id")),
    )
    rows: list[tuple] = []
    async with sessionmaker() as session:
        for model, columns in watched:
            for row in await session.scalars(select(model).order_by(model.id)):
                rows.append((model.__name__, row.id, *(getattr(row, c) for c in columns)))
        rows.append(("outbox", await session.scalar(select(func.count(OutboxMessage.id)))))
    return rows


async def press(user: UserClient, data: str, message_id: int, after: str | None) -> str:
    """The answer to a press of `data` (after `after`, the flow the button belongs to)."""
    if after:
        await user.send_text(after)
        await user.replies()
    query = await user.press_data(data, message_id=message_id)
    return (await user.wait_callback_answer(query)).text or ""


async def home_of(user: UserClient) -> int:
    await user.send_text("/staff")
    return (await user.replies())[-1].message_id


def refusals(caplog, member: Staff) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith(f"rights: staff {member.id} refused")
    ]


async def test_a_counsellor_of_another_territory_is_refused_every_button_on_its_objects(
    bot_app, sandbox, sessionmaker, caplog
) -> None:
    caplog.set_level(logging.WARNING)
    team = await add_team(sessionmaker)
    lille = await seed_lille(sessionmaker, team[KARIM])
    before = await snapshot(sessionmaker)
    ines = sandbox.user(INES, "Inès")
    home = await home_of(ines)

    for key, button in BUTTONS.items():
        if button.kind != OBJECT:
            continue
        logged = len(refusals(caplog, team[INES]))
        answer = await press(ines, button.data.format(**lille.ids()), home, button.after)
        assert refused(answer), key
        assert len(refusals(caplog, team[INES])) == logged + 1, key

    assert await snapshot(sessionmaker) == before
    seen = texts(await ines.messages())
    assert "Person1" not in seen and "P1" not in seen


async def test_a_counsellor_of_another_territory_is_refused_or_kept_to_their_territory_by_every_command(  # noqa: E501
    bot_app, sandbox, sessionmaker, caplog
) -> None:
    caplog.set_level(logging.WARNING)
    team = await add_team(sessionmaker)
    lille = await seed_lille(sessionmaker, team[KARIM])
    before = await snapshot(sessionmaker)
    ines = sandbox.user(INES, "Inès")
    await ines.send_text("/staff")
    await ines.replies()

    command = COMMANDS["reassign"][0].format(person=lille.reference, to=INES)
    await ines.send_text(command)
    assert refused(texts(await ines.replies()))
    await ines.send_text("/mysessions")
    [listing] = await ines.replies()
    assert f"desk:open:{lille.session}:" not in listing.callback_data()
    await ines.send_text("/outcome")
    await ines.replies()
    await ines.send_text("Person1")
    assert "Personne de votre territoire ne correspond" in texts(await ines.replies())
    await ines.send_text("/report")
    await ines.replies()
    await ines.press("Ce mois-ci")
    # (first, the /outcome dialog left open loses its buttons: the report's button closed it)
    table, _chart = (await ines.replies_until(lambda m: m.photo))[-2:]
    assert "FM" in table.text and "LRT" not in table.text
    await ines.send_text("/broadcast")
    await ines.replies()
    await ines.send_text("Bonjour à tous")
    await ines.replies()
    await ines.press("📅 Les inscrits d'une session")
    assert "Aucune session n'est prévue" in texts(await ines.replies())

    assert await snapshot(sessionmaker) == before


@pytest.mark.parametrize("actor", [KARIM, CLAIRE], ids=["counsellor-of-lille", "coordinator"])
async def test_lille_s_counsellor_and_a_coordinator_may_use_every_button(
    bot_app, sandbox, sessionmaker, actor
) -> None:
    team = await add_team(sessionmaker)
    lille = await seed_lille(sessionmaker, team[KARIM])
    member = sandbox.user(actor, "Staff")
    home = await home_of(member)

    for key, button in BUTTONS.items():
        if button.kind == OBJECT:
            answer = await press(member, button.data.format(**lille.ids()), home, button.after)
            assert not refused(answer), key
            await member.replies(timeout=1)
    await member.send_text(COMMANDS["reassign"][0].format(person=lille.reference, to=KARIM))
    assert not refused(texts(await member.replies()))

    async with sessionmaker() as session:
        assert (await session.get(Booking, lille.booking)).attendance == Attendance.ATTENDED
        past = await session.get(ProgrammeSession, lille.past)
        assert past.attendance_confirmed_at is not None
        cancelled = await session.get(ProgrammeSession, lille.session)
        assert cancelled.status == SessionStatus.CANCELLED
        assert (await session.get(Ticket, lille.ticket)).status == TicketStatus.CLOSED
        assert (await session.get(Outcome, lille.outcome)).confirmed_at is not None


async def test_on_a_session_for_everyone_a_counsellor_sees_and_books_only_their_people(
    bot_app, sandbox, sessionmaker, caplog
) -> None:
    """Claire's session is open to every territory: Inès (Flandres maritimes) sees its seats,
    her own people and how many others; she books her people, not Lille's, and may not
    change or cancel it."""
    caplog.set_level(logging.WARNING)
    team = await add_team(sessionmaker)
    async with sessionmaker() as session:
        lille = await add_person(session, 1, telegram_id=1001)
        dunkerque = [await add_person(session, n, on_telegram=False) for n in (2, 3)]
        for person in dunkerque:
            person.territory = "FM"
        sid = await add_session(session, created_by=team[CLAIRE].id, confirmed=2)
        session.add_all(
            Booking(session_id=sid, participant_id=p.id, status=BookingStatus.CONFIRMED)
            for p in (lille, dunkerque[0])
        )
        await session.commit()
    ines = sandbox.user(INES, "Inès")

    await ines.send_text("/mysessions")
    [listing] = await ines.replies()
    await ines.press_data(f"desk:open:{sid}:", message_id=listing.message_id)
    screen = (await ines.replies_until("places réservées"))[-1]
    assert "2/10 places réservées" in screen.text
    assert screen.button_texts() == [
        "👥 Qui est inscrit",
        "➕ Inscrire un participant",
        "⬅️ Toutes les sessions",
    ]
    await ines.press("👥 Qui est inscrit", message_id=screen.message_id)
    who = (await ines.replies_until("d'un autre territoire"))[-1].text
    assert "1. Person2 · P2" in who and "Person1" not in who
    assert "+ 1 personne d'un autre territoire" in who

    home = await home_of(ines)
    for data in (f"desk:ask:{sid}:url", f"desk:cancel:{sid}:", f"desk:pick:{sid}:{lille.id}"):
        assert refused(await press(ines, data, home, None)), data
    assert not refused(await press(ines, f"desk:pick:{sid}:{dunkerque[1].id}", home, None))
    expected = {lille.id, dunkerque[0].id, dunkerque[1].id}
    for _ in range(50):  # the press is answered first; the booking commits with the update
        async with sessionmaker() as session:
            booked = set(
                await session.scalars(
                    select(Booking.participant_id).where(Booking.session_id == sid)
                )
            )
        if booked == expected:
            break
        await asyncio.sleep(0.2)
    assert booked == expected
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, sid)).status == SessionStatus.PUBLISHED


@pytest.mark.parametrize(
    ("command", "step"),
    [("/outcome", "who"), ("/mysessions", "people")],
    ids=["outcome-whom", "session-booking"],
)
async def test_a_person_of_another_territory_forged_into_a_dialog_s_list_is_refused(
    bot_app, sandbox, sessionmaker, caplog, command, step
) -> None:
    """The dialogs' lists of people (`/outcome`'s whom, the session desk's booking) hold only
    the actor's people; a press forged with someone else's is refused when it comes."""
    caplog.set_level(logging.WARNING)
    team = await add_team(sessionmaker)
    lille = await seed_lille(sessionmaker, team[KARIM])
    async with sessionmaker() as session:  # a session open to every territory, Claire's
        everyone = await add_session(session, created_by=team[CLAIRE].id, confirmed=0)
        await session.commit()
    before = await snapshot(sessionmaker)
    ines = sandbox.user(INES, "Inès")
    await ines.send_text(command)
    asked = (await ines.replies())[-1]
    if command == "/mysessions":
        await ines.press_data(f"desk:book:{everyone}:", message_id=asked.message_id)
        asked = (await ines.replies())[-1]
    intent = asked.callback_data()[0].split("\x1d")[0]

    query = await ines.press_data(f"{intent}\x1d{step}:{lille.person}", message_id=asked.message_id)
    assert refused((await ines.wait_callback_answer(query)).text or "")
    assert len(refusals(caplog, team[INES])) == 1
    assert await snapshot(sessionmaker) == before
