"""Booking without Telegram: someone taps the link of an SMS invitation, sees the session on a
small page, taps "Confirm my seat" once, and has a seat (or a place on the waitlist), with the
reminders queued for them. Opening the link books nothing; the link books once; an old, a
changed or a foreign link says so."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.config import Settings
from bot.db.models import (
    Booking,
    BookingStatus,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    SessionStatus,
    UsedLink,
)
from bot.i18n import build_core
from bot.services.sessions import links
from bot.web.links import MESSAGES, link_routes
from bot.web.server import operations_app
from tests.helpers.people import add_person
from tests.helpers.sessions import NOW, a_session

SETTINGS = Settings(
    _env_file=None,
    public_url="https://bot.example.org",
    link_secret=SecretStr("s3cret-of-the-bot!"),
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(sessionmaker, clock) -> AsyncIterator[TestClient]:
    """The webhook server's pages as the bot serves them (`operations_app` with the link
    routes), on a local port."""
    app = operations_app({}, link_routes(SETTINGS, sessionmaker, build_core(), clock))
    async with TestClient(TestServer(app)) as client:
        yield client


async def invitation_link(sessionmaker, session_id: int, participant_id: int) -> str:
    """The path of the link an SMS invitation carries (made as the sender makes it)."""
    url = await links.link_maker(SETTINGS, sessionmaker)(
        "book", {"session_id": session_id}, participant_id, NOW
    )
    return urlsplit(url).path


async def setup(sessionmaker, *, capacity=10, locale="fr", on_telegram=False, **session_extra):
    """A published session in five days and a person invited to it (by default, someone who
    never opened Telegram: imported with a phone number and its consent)."""
    async with sessionmaker() as session:
        programme_session = await a_session(
            session,
            capacity=capacity,
            status=session_extra.pop("status", SessionStatus.PUBLISHED),
            **session_extra,
        )
        person = await add_person(session, 1, on_telegram=on_telegram, locale=locale)
        person.locale = locale
        person.phone, person.phone_consent_at = "+33612345678", NOW
        await session.commit()
        return programme_session, person


async def count(sessionmaker, model, *where) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def booking_of(sessionmaker, session_id: int, participant_id: int) -> Booking | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Booking).where(
                Booking.session_id == session_id, Booking.participant_id == participant_id
            )
        )


async def test_opening_the_link_shows_the_session_and_books_nothing(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    response = await client.get(path)

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    page = await response.text()
    assert '<html lang="fr">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "« Vlaamse Verpakking se présente »" in page
    assert "mercredi 2 décembre à 11:00" in page  # Paris time
    assert '<form method="post"><button type="submit">✅ Confirmer ma place</button>' in page
    assert "<script" not in page and "http" not in page.split("</head>")[1]
    # A preview, a second look: still nothing booked, nothing queued, the link unused.
    await client.get(path)
    assert await count(sessionmaker, Booking) == 0
    assert await count(sessionmaker, OutboxMessage) == 0
    assert await count(sessionmaker, UsedLink) == 0


async def test_one_tap_books_the_seat(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    response = await client.post(path)

    assert response.status == 200
    page = await response.text()
    assert "✅ C'est réservé : votre place pour « Vlaamse Verpakking se présente »" in page
    assert "Vous allez recevoir des rappels avant" in page
    assert "<form" not in page
    booking = await booking_of(sessionmaker, programme_session.id, person.id)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.booked_by is None  # they booked it themselves
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, programme_session.id)).confirmed == 1
        used = (await session.scalars(select(UsedLink))).one()
    assert (used.participant_id, used.session_id) == (person.id, programme_session.id)


async def test_a_telegram_user_booking_by_link_gets_the_calendar_and_the_reminders(
    client, sessionmaker
) -> None:
    programme_session, person = await setup(sessionmaker, on_telegram=True)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    await client.post(path)

    async with sessionmaker() as session:
        keys = set(await session.scalars(select(OutboxMessage.dedupe_key)))
    reminders = {key for key in keys if key.startswith("reminder:")}
    assert len(reminders) == 3  # 3 days, the day before, the hour before
    assert any(key.startswith("ics:") for key in keys)


async def test_the_reminders_of_a_seat_booked_by_link_reach_someone_without_telegram(
    client, sessionmaker
) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    await client.post(path)

    async with sessionmaker() as session:
        rows = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("reminder:"))
            )
        )
    assert len(rows) == 3
    assert {row.participant_id for row in rows} == {person.id}


async def test_the_link_books_once(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker, on_telegram=True)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)
    await client.post(path)
    async with sessionmaker() as session:
        queued = await session.scalar(select(func.count()).select_from(OutboxMessage))

    again = await client.post(path)

    assert "Ce lien a déjà servi." in await again.text()
    assert await count(sessionmaker, Booking) == 1
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, programme_session.id)).confirmed == 1
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == queued
    assert "Ce lien a déjà servi." in await (await client.get(path)).text()


async def test_a_double_tap_shows_the_seat(client, sessionmaker) -> None:
    """Two quick taps: the second page still says they have their seat."""
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    first, second = await client.post(path), await client.post(path)

    assert "✅ C'est réservé" in await first.text()
    page = await second.text()
    assert "✅ Vous avez déjà une place pour « Vlaamse Verpakking se présente »" in page
    assert "Ce lien a déjà servi." in page
    assert await count(sessionmaker, Booking) == 1


async def test_two_taps_at_once_take_one_seat(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker, capacity=5)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    pages = [await r.text() for r in await asyncio.gather(*(client.post(path) for _ in "ab"))]

    assert sum("✅ C'est réservé" in page for page in pages) == 1
    assert all("✅ C'est réservé" in page or "déjà une place" in page for page in pages)
    assert await count(sessionmaker, Booking) == 1
    assert await count(sessionmaker, UsedLink) == 1
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, programme_session.id)).confirmed == 1


async def test_the_punctuation_after_a_link_in_a_sentence_is_forgiven(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    shown = await client.get(path + ".")
    tapped = await client.post(path + ").")

    assert "✅ Confirmer ma place" in await shown.text()
    assert "✅ C'est réservé" in await tapped.text()


async def test_a_seat_already_held_is_said_and_not_taken_twice(client, sessionmaker) -> None:
    """Booked by their counsellor meanwhile: the link says so, and stays unused."""
    programme_session, person = await setup(sessionmaker)
    first = await invitation_link(sessionmaker, programme_session.id, person.id)
    await client.post(first)
    second = links.sign(
        b"s3cret-of-the-bot!", links.BOOK, programme_session.id, person.id, NOW + timedelta(days=1)
    )

    shown = await (await client.get(f"/b/{second}")).text()
    tapped = await (await client.post(f"/b/{second}")).text()

    for page in (shown, tapped):
        assert "✅ Vous avez déjà une place pour « Vlaamse Verpakking se présente »" in page
        assert "<form" not in page
    assert await count(sessionmaker, Booking) == 1
    assert await count(sessionmaker, UsedLink) == 1


async def test_a_full_session_puts_them_on_the_waitlist(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker, capacity=1)
    async with sessionmaker() as session:
        other = await add_person(session, 2)
        await session.commit()
    await client.post(await invitation_link(sessionmaker, programme_session.id, other.id))

    response = await client.post(
        await invitation_link(sessionmaker, programme_session.id, person.id)
    )

    page = await response.text()
    assert "⏳ C'est complet. Vous êtes n° 1 sur la liste d'attente" in page
    booking = await booking_of(sessionmaker, programme_session.id, person.id)
    assert booking.status == BookingStatus.WAITLISTED
    assert await count(sessionmaker, UsedLink) == 2


async def test_a_link_past_the_cutoff_has_expired(client, sessionmaker, clock) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)
    clock.now = programme_session.starts_at - timedelta(hours=23)  # cut-off: 24 h before

    shown = await (await client.get(path)).text()
    tapped = await (await client.post(path)).text()

    for page in (shown, tapped):
        assert "⌛ Ce lien a expiré. Contactez votre conseiller pour réserver." in page
        assert "« Vlaamse Verpakking se présente »" in page
        assert "<form" not in page
    assert await count(sessionmaker, Booking) == 0
    assert await count(sessionmaker, UsedLink) == 0


async def test_the_page_is_in_dutch_for_a_dutch_participant(client, sessionmaker) -> None:
    programme_session, person = await setup(
        sessionmaker, locale="nl", title_nl="VV stelt zich voor"
    )
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    shown = await (await client.get(path)).text()
    tapped = await (await client.post(path)).text()

    assert '<html lang="nl">' in shown
    assert '"VV stelt zich voor"' in shown
    assert "woensdag 2 december om 11:00" in shown
    assert "✅ Mijn plaats bevestigen" in shown
    assert '✅ Gereserveerd: uw plaats voor "VV stelt zich voor"' in tapped


async def test_a_cancelled_session_is_said(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)
    async with sessionmaker() as session:
        (await session.get(ProgrammeSession, programme_session.id)).status = SessionStatus.CANCELLED
        await session.commit()

    for response in (await client.get(path), await client.post(path)):
        assert "❌ Cette session a été annulée." in await response.text()
    assert await count(sessionmaker, Booking) == 0


async def test_someone_no_longer_followed_cannot_book(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)
    async with sessionmaker() as session:
        (await session.get(Participant, person.id)).status = ParticipantStatus.JOB
        await session.commit()

    page = await (await client.post(path)).text()

    assert "Ce lien n'est plus valable." in page
    assert await count(sessionmaker, Booking) == 0


@pytest.mark.parametrize("method", ["get", "post"])
async def test_a_link_that_is_not_ours_is_refused_in_the_browser_language(
    client, sessionmaker, method
) -> None:
    programme_session, person = await setup(sessionmaker)
    path = await invitation_link(sessionmaker, programme_session.id, person.id)
    changed = path[:-1] + ("A" if path[-1] != "A" else "B")
    forged = links.sign(b"guessed", links.BOOK, programme_session.id, person.id, NOW)

    for wrong in (changed, f"/b/{forged}", "/b/hello", "/b/" + "x" * 500):
        response = await getattr(client, method)(wrong, headers={"Accept-Language": "nl-BE,nl"})
        assert response.status == 404
        assert "Deze link is niet geldig." in await response.text()
    assert await count(sessionmaker, Booking) == 0
    assert await count(sessionmaker, UsedLink) == 0


async def test_what_the_page_shows_is_escaped(client, sessionmaker) -> None:
    programme_session, person = await setup(sessionmaker, title_fr="<script>alert(1)</script> & co")
    path = await invitation_link(sessionmaker, programme_session.id, person.id)

    page = await (await client.get(path)).text()

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_every_answer_of_the_page_is_written(locale: str) -> None:
    core = build_core()
    assert set(MESSAGES) == set(links.LinkState)
    for key in [*MESSAGES.values(), "link-page-title", "link-confirm-button", "link-error"]:
        assert core.has(key, locale), key


def test_no_pages_without_a_public_address(sessionmaker) -> None:
    assert link_routes(Settings(_env_file=None), sessionmaker, build_core()) == []
