"""A counsellor organises a session from the bot: lists, opens, changes, cancels it, books
for someone who phoned, marks attendance; the people booked hear about it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.base import as_utc, utcnow
from bot.db.models import Booking, OutboxMessage, ProgrammeSession, Role, Staff
from bot.demo import midday_zone
from bot.services import sessions
from bot.services.session_desk import parse_when
from tests.helpers import texts
from tests.services.test_alerts import add_person
from tests.services.test_bookings import add_session

TITLE = "Vlaamse Verpakking se présente"


@pytest.fixture
def settings(settings):
    # The outbox and the clock's checks tick fast, at midday: what the booked are sent
    # arrives within the test.
    return settings.model_copy(
        update={"outbox_tick_s": 0.2, "sla_tick_s": 0.5, "tz": midday_zone()}
    )


@pytest.fixture
def tz(settings) -> ZoneInfo:
    return ZoneInfo(settings.tz)


@pytest.fixture
def karim(sandbox):
    return sandbox.user(9100, "Karim")


async def seed(
    sessionmaker, amelie_client, tz, *, capacity=10, starts_in=timedelta(days=7), **extra
):
    """Karim (Lille's CET); Amélie on Telegram, her chat open, holding a seat in one of
    Lille's sessions (Karim's to manage)."""
    extra.setdefault("territories", ["LRT"])
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k")
        )
        amelie = await add_person(session, 1, telegram_id=1001)
        await session.commit()
    await amelie_client.send_text("/menu")
    await amelie_client.replies()
    async with sessionmaker() as session:
        sid = await add_session(session, capacity=capacity, starts_in=starts_in, **extra)
        programme_session = await session.get(ProgrammeSession, sid)
        await sessions.take_seat(session, programme_session, amelie.id, utcnow(), tz)
        await session.commit()
    await amelie_client.replies(timeout=3)  # the .ics of her seat
    return sid, amelie.id


async def add_booked(sessionmaker, sid, n, tz, **person) -> int:
    """Another participant (imported: not on Telegram unless asked) booked for `sid`."""
    async with sessionmaker() as session:
        other = await add_person(session, n, **{"on_telegram": False, **person})
        programme_session = await session.get(ProgrammeSession, sid)
        await sessions.take_seat(session, programme_session, other.id, utcnow(), tz)
        await session.commit()
        return other.id


async def open_session(karim, title=TITLE):
    """/mysessions, then the session's button: the session's screen."""
    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    [button] = [b for b in listing.button_texts() if title in b]
    await karim.press(button, message_id=listing.message_id)
    return (await karim.replies())[-1]


async def press(user, text, message):
    await user.press(text, message_id=message.message_id)
    return (await user.replies())[-1]


async def test_a_counsellor_lists_the_sessions_and_sees_who_is_booked(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz, capacity=1)
    await add_booked(sessionmaker, sid, 2, tz)  # full: on the waitlist

    await karim.send_text("/mysessions")
    [listing] = await karim.replies()
    assert "Sessions à venir" in listing.text
    [button] = listing.button_texts()
    assert button.endswith(f"· {TITLE} · 1/1 · ⏳1")

    await karim.press(button, message_id=listing.message_id)
    screen = (await karim.replies())[-1]
    assert screen.edited and screen.message_id == listing.message_id
    assert "1/1 places réservées · ⏳ 1 en attente" in screen.text
    assert "https://meet.example/vv" in screen.text
    assert "✅ Présences" not in screen.button_texts()  # not before it starts
    assert "🕑 Changer l'horaire" in screen.button_texts()

    who = await press(karim, "👥 Qui est inscrit", screen)
    assert "Avec une place :\n1. Person1 · P1" in who.text
    assert "En liste d'attente (dans l'ordre) :\n1. Person2 · P2" in who.text


async def test_a_dutch_speaking_consultant_gets_the_desk_in_dutch(
    bot_app, sandbox, participant, sessionmaker, tz
) -> None:
    await seed(sessionmaker, participant, tz, title_nl="Vlaamse Verpakking, online")
    consultant = sandbox.user(9100, "Karim", language_code="nl")
    screen = await open_session(consultant, "Vlaamse Verpakking, online")
    assert "1/10 plaatsen gereserveerd" in screen.text
    assert "🕑 Tijdstip wijzigen" in screen.button_texts()


async def test_without_sessions_the_list_points_to_newsession(bot_app, karim, sessionmaker):
    async with sessionmaker() as session:
        session.add(
            Staff(telegram_id=9100, role=Role.CET, territory="LRT", name="Karim", referral_code="k")
        )
        await session.commit()
    await karim.send_text("/mysessions")
    assert "/newsession" in texts(await karim.replies())


async def test_a_new_time_tells_the_booked_and_moves_their_reminders(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, amelie = await seed(sessionmaker, participant, tz)
    screen = await open_session(karim)
    question = await press(karim, "🕑 Changer l'horaire", screen)
    assert "Nouvelle date et heure" in question.text

    await karim.send_text("mardi prochain")
    assert "Je n'ai pas compris cette date" in texts(await karim.replies())
    await karim.send_text("12/01/2020 14:30")
    assert "déjà passé" in texts(await karim.replies())

    new_start = (datetime.now(tz) + timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    await karim.send_text(new_start.strftime("%d/%m/%Y %H:%M"))
    [confirm] = await karim.replies()
    assert "nouvel horaire" in confirm.text
    assert "Le bot préviendra 1 personne inscrite." in confirm.text

    done = await press(karim, "✅ Confirmer", confirm)
    assert "✅ Horaire changé." in done.text and "1 personne prévenue par le bot." in done.text

    told = await participant.replies(timeout=15)
    assert "✏️ Changement" in texts(told)
    [ics] = [m for m in told if m.document]
    assert ics.document.filename.endswith(".ics")
    assert new_start.strftime("%Y%m%dT%H%M").encode() in ics.document.content
    async with sessionmaker() as session:
        reminders = {
            row.dedupe_key.rsplit(":", 1)[1]: as_utc(row.not_before)
            for row in await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{sid}:{amelie}:")
                )
            )
        }
    assert reminders == {
        "3d": new_start - timedelta(days=3),
        "1d": new_start - timedelta(days=1),
        "1h": new_start - timedelta(hours=1),
    }


async def test_fewer_seats_than_booked_is_asked_again(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    await add_booked(sessionmaker, sid, 2, tz)
    screen = await open_session(karim)
    await press(karim, "💺 Changer les places", screen)

    await karim.send_text("1")
    answer = texts(await karim.replies())
    assert "de 2 à 500" in answer and "Combien de places" in answer

    await karim.send_text("12")
    [confirm] = await karim.replies()
    assert "12 places (avant : 10)" in confirm.text
    done = await press(karim, "✅ Confirmer", confirm)
    assert "✅ Nombre de places changé." in done.text and "2/12 places" in done.text


async def test_cancelling_tells_the_booked_and_cancels_their_reminders(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, amelie = await seed(sessionmaker, participant, tz)
    await add_booked(sessionmaker, sid, 2, tz)
    screen = await open_session(karim)

    confirm = await press(karim, "❌ Annuler la session", screen)
    assert "Le bot préviendra 1 personne inscrite." in confirm.text
    assert "1 personne inscrite n'est pas joignable" in confirm.text
    done = await press(karim, "❌ Oui, annuler la session", confirm)
    assert "❌ Session annulée." in done.text and "1 personne prévenue" in done.text
    assert "🕑 Changer l'horaire" not in done.button_texts()

    assert "❌ Désolé" in texts(await participant.replies(timeout=15))
    async with sessionmaker() as session:
        statuses = set(
            await session.scalars(
                select(OutboxMessage.status).where(
                    OutboxMessage.dedupe_key.startswith(f"reminder:{sid}:{amelie}:")
                )
            )
        )
    assert statuses == {"cancelled"}


async def test_a_counsellor_books_an_imported_participant_who_phoned(
    bot_app, participant, karim, sessionmaker, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    async with sessionmaker() as session:
        imported = await add_person(session, 2, on_telegram=False)
        # She already holds a seat in another session at the same time.
        other = await add_session(session, starts_in=timedelta(days=7, minutes=30))
        (await session.get(ProgrammeSession, other)).title_fr = "Atelier néerlandais"
        await sessions.take_seat(
            session, await session.get(ProgrammeSession, other), imported.id, utcnow(), tz
        )
        await session.commit()
    screen = await open_session(karim)

    question = await press(karim, "➕ Inscrire un participant", screen)
    assert "Écrivez son prénom ou sa référence" in question.text
    await karim.send_text("Zoé")
    assert "Personne ne correspond" in texts(await karim.replies())
    await karim.send_text("person2")
    [choices] = await karim.replies()
    assert choices.button_texts()[0] == "Person2 · P2"

    done = await press(karim, "Person2 · P2", choices)
    assert "✅ Person2 · P2 a une place." in done.text
    assert "📞 Person2 · P2 n'est pas joignable sur Telegram" in done.text
    assert "⚠️ À la même heure, Person2 · P2 est aussi inscrit(e) à « Atelier néerlandais »" in (
        done.text
    )
    assert "2/10 places réservées" in done.text
    async with sessionmaker() as session:
        booking = await session.scalar(
            select(Booking).where(Booking.session_id == sid, Booking.participant_id == imported.id)
        )
        karim_id = await session.scalar(select(Staff.id).where(Staff.telegram_id == 9100))
    assert (booking.status, booking.booked_by) == ("confirmed", karim_id)


async def test_a_person_on_telegram_booked_by_their_counsellor_is_told_and_can_cancel(
    bot_app, participant, karim, sandbox, sessionmaker, tz
) -> None:
    await seed(sessionmaker, participant, tz)
    bruno = sandbox.user(1002, "Bruno")
    async with sessionmaker() as session:
        await add_person(session, 2, telegram_id=1002)
        await session.commit()
    await bruno.send_text("/menu")
    await bruno.replies()
    screen = await open_session(karim)
    await press(karim, "➕ Inscrire un participant", screen)
    await karim.send_text("person2")
    [choices] = await karim.replies()
    done = await press(karim, "Person2 · P2", choices)
    assert "✅ Person2 · P2 a une place." in done.text
    assert "n'est pas joignable" not in done.text

    got = await bruno.replies(timeout=15)
    while not any(m.document for m in got):
        got += await bruno.replies(timeout=15)
    [told] = [m for m in got if "a réservé une place pour vous" in (m.text or "")]
    assert told.text.startswith("✅ Karim, de l'équipe En Avant · Vooruit")
    assert "Vlaamse Verpakking" in told.text
    assert told.button_texts() == ["❌ Annuler ma place"]
    await bruno.press("❌ Annuler ma place", message_id=told.message_id)
    assert "Annuler votre place" in texts(await bruno.replies())


async def test_only_those_marked_present_are_asked_how_it_was_once_the_list_is_done(
    bot_app, participant, karim, sandbox, sessionmaker, clock, tz
) -> None:
    sid, _ = await seed(sessionmaker, participant, tz, starts_in=timedelta(hours=2), cutoff_hours=1)
    bruno = sandbox.user(1002, "Bruno")
    await add_booked(sessionmaker, sid, 2, tz, on_telegram=True, telegram_id=1002)
    await bruno.send_text("/menu")
    await bruno.replies(timeout=3)
    screen = await open_session(karim)
    await karim.press_data(f"desk:att:{sid}:", message_id=screen.message_id)
    await karim.replies(timeout=1)
    assert "une fois la session commencée" in karim.callback_answers[-1]

    clock.advance(timedelta(hours=3))  # the session ended an hour ago
    screen = await open_session(karim)
    assert "Présences : pas encore notées" in screen.text
    sheet = await press(karim, "✅ Présences", screen)
    assert sheet.button_texts() == ["◻️ Person1 · P1", "◻️ Person2 · P2", "✔️ Terminé"]

    # Amélie goes through ✅ on the way to ❌: she is asked nothing.
    sheet = await press(karim, "◻️ Person1 · P1", sheet)
    sheet = await press(karim, "✅ Person1 · P1", sheet)
    sheet = await press(karim, "◻️ Person2 · P2", sheet)
    assert sheet.button_texts() == ["❌ Person1 · P1", "✅ Person2 · P2", "✔️ Terminé"]
    assert "Venues : 1 · absentes : 1 · à noter : 0" in sheet.text
    assert not [m for m in await bruno.replies(timeout=1) if "Comment" in (m.text or "")]

    screen = await press(karim, "✔️ Terminé", sheet)
    assert "« Comment c'était ? » part à la personne venue." in screen.text
    assert "Présences notées : 2/2 · absents : 50 %" in screen.text
    [feedback] = [m for m in await bruno.replies(timeout=15) if "Comment c'était" in m.text]
    assert feedback.button_texts() == ["1", "2", "3", "4", "5"]
    assert not [m for m in await participant.replies(timeout=1) if "Comment" in (m.text or "")]


async def test_without_the_list_done_those_present_are_asked_two_hours_after_the_end(
    bot_app, participant, karim, sessionmaker, clock, tz
) -> None:
    await seed(sessionmaker, participant, tz, starts_in=timedelta(hours=2), cutoff_hours=1)
    clock.advance(timedelta(hours=2, minutes=30))  # during the session
    sheet = await press(karim, "✅ Présences", await open_session(karim))
    await press(karim, "◻️ Person1 · P1", sheet)
    assert not [m for m in await participant.replies(timeout=1) if "Comment" in (m.text or "")]

    clock.advance(timedelta(hours=2, minutes=31))  # two hours after the end: the clock asks
    [feedback] = [
        m for m in await participant.replies(timeout=15) if "Comment c'était" in (m.text or "")
    ]
    assert feedback.button_texts() == ["1", "2", "3", "4", "5"]


async def test_a_participant_is_refused_the_desk(bot_app, participant, sessionmaker, tz) -> None:
    sid, _ = await seed(sessionmaker, participant, tz)
    await participant.send_text("/mysessions")
    assert "réservée à l'équipe" in texts(await participant.replies())
    await participant.press_data(f"desk:drop:{sid}:")
    await participant.replies(timeout=1)
    assert "réservée à l'équipe" in participant.callback_answers[-1]
    async with sessionmaker() as session:
        assert (await session.get(ProgrammeSession, sid)).status == "published"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/01 14:30", datetime(2027, 1, 12, 14, 30)),
        ("3/12 9h05", datetime(2026, 12, 3, 9, 5)),
        ("01/12 09:00", datetime(2027, 12, 1, 9, 0)),  # today's 09:00 is past: next year's
        ("12/01/2027 14:30", datetime(2027, 1, 12, 14, 30)),
        ("31/02 10:00", None),
        ("28/03/2027 02:30", None),  # the clocks skip it
        ("demain 14:30", None),
    ],
)
def test_a_typed_time_is_read_day_first_in_programme_time(typed, expected) -> None:
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    found = parse_when(typed, now, paris)
    assert found == (expected.replace(tzinfo=paris) if expected else None)
