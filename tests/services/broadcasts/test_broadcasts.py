"""Who a broadcast reaches, who may send which, and how it is queued and followed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.db.models import (
    Booking,
    BookingStatus,
    Broadcast,
    BroadcastStatus,
    OutboxMessage,
    OutboxStatus,
    ParticipantStatus,
    Role,
    Staff,
    User,
)
from bot.i18n import LOCALES, build_core
from bot.services.broadcasts import sending as broadcasts
from bot.services.broadcasts.sending import CAPTION_MAX, TEXT_MAX, BroadcastRefused, Reach
from bot.services.participants import privacy
from bot.services.staff import rights
from tests.helpers.people import FORKLIFT, WELDER, add_person
from tests.helpers.sessions import a_session

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
PHOTO = {"kind": "photo", "file_id": "AgACAgQAAxkBAAI"}


async def add_staff(session, n: int, role: str, territory: str | None = None) -> Staff:
    member = Staff(
        telegram_id=9000 + n,
        role=role,
        territory=territory,
        name=f"Staff{n}",
        referral_code=f"ref{n}",
    )
    session.add(member)
    await session.flush()
    return member


async def person(session, n: int, territory: str = "LRT", **extra):
    participant = await add_person(session, n, **extra)
    participant.territory = territory
    await session.flush()
    return participant


async def campaign_rows(session, broadcast: Broadcast) -> list[OutboxMessage]:
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.campaign_id == broadcasts.campaign(broadcast))
            .order_by(OutboxMessage.id)
        )
    )


# --- who is reached -----------------------------------------------------------------------


async def test_everyone_is_the_followed_consented_participants_on_telegram(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    await person(session, 1)
    await person(session, 2, territory="WAPI")
    await person(session, 3, reachable=False)  # blocked the bot
    await person(session, 4, consent=False)
    await person(session, 5, status=ParticipantStatus.JOB)
    await person(session, 6, on_telegram=False)  # imported, never opened the bot
    erased = await person(session, 7)
    await privacy.erase(session, await session.get(User, erased.user_id), NOW)

    assert await broadcasts.count(session, coordinator, "everyone", None) == Reach(2, 1)


async def test_mine_is_the_participants_whose_counsellor_i_am(session) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    nadia = await add_staff(session, 2, Role.CET, "LRT")
    await person(session, 1, counsellor=karim)
    await person(session, 2, counsellor=karim, reachable=False)
    await person(session, 3, counsellor=nadia)

    assert await broadcasts.count(session, karim, "mine", None) == Reach(1, 1)


async def test_an_occupation_reaches_those_who_listed_it(session) -> None:
    els = await add_staff(session, 1, Role.VDAB)
    await person(session, 1, occupations=(FORKLIFT, WELDER))
    await person(session, 2, occupations=(WELDER,), territory="FM")
    await person(session, 3, occupations=(FORKLIFT,))

    assert await broadcasts.count(session, els, "occupation", WELDER) == Reach(2, 0)


async def test_a_session_reaches_those_confirmed_or_waitlisted(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    programme_session = await a_session(session)
    statuses = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.CANCELLED)
    for n, status in enumerate(statuses, start=1):
        participant = await person(session, n)
        session.add(
            Booking(session_id=programme_session.id, participant_id=participant.id, status=status)
        )
    await person(session, 4)  # not booked
    await session.flush()

    reach = await broadcasts.count(session, coordinator, "session", str(programme_session.id))
    assert reach == Reach(2, 0)


# --- who may reach whom -------------------------------------------------------------------


async def test_a_cet_is_offered_their_own_territory_only(session) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    assert rights.audiences_for(karim) == ("mine", "territory", "occupation", "session")
    assert rights.territories_of(karim) == ("LRT",)


@pytest.mark.parametrize("role", [Role.VDAB, Role.COORDINATOR])
async def test_vdab_consultants_and_coordinators_may_reach_everyone(session, role) -> None:
    member = await add_staff(session, 1, role)
    assert rights.audiences_for(member) == rights.AUDIENCES
    assert rights.territories_of(member) == ("LRT", "FM", "WAPI")
    await person(session, 1, territory="WAPI")
    assert await broadcasts.count(session, member, "territory", "WAPI") == Reach(1, 0)


@pytest.mark.parametrize(
    ("audience", "value"), [("everyone", None), ("territory", "WAPI"), ("territory", "XX")]
)
async def test_a_cet_cannot_reach_beyond_their_territory(session, audience, value) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    await person(session, 1, territory="WAPI")
    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.count(session, karim, audience, value)
    assert refused.value.reason == "audience"
    with pytest.raises(BroadcastRefused):
        await broadcasts.create(session, karim, audience, value, "Bonjour")


async def test_a_cets_occupation_and_session_audiences_stop_at_their_territory(session) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    programme_session = await a_session(session)
    for n, territory in enumerate(("LRT", "WAPI", "FM"), start=1):
        participant = await person(session, n, territory=territory)
        session.add(
            Booking(
                session_id=programme_session.id,
                participant_id=participant.id,
                status=BookingStatus.CONFIRMED,
            )
        )
    await session.flush()

    assert await broadcasts.count(session, karim, "occupation", FORKLIFT) == Reach(1, 0)
    assert await broadcasts.count(session, karim, "session", str(programme_session.id)) == Reach(
        1, 0
    )


async def test_a_cet_without_a_territory_reaches_their_own_participants_only(session) -> None:
    karim = await add_staff(session, 1, Role.CET)
    assert rights.audiences_for(karim) == ("mine",)
    with pytest.raises(BroadcastRefused):
        await broadcasts.count(session, karim, "occupation", FORKLIFT)


async def test_former_staff_and_unknown_roles_reach_nobody(session) -> None:
    former = await add_staff(session, 1, Role.COORDINATOR)
    former.active = False
    stranger = await add_staff(session, 2, "participant")
    assert rights.audiences_for(stranger) == ()
    for member in (former, stranger):
        with pytest.raises(BroadcastRefused):
            await broadcasts.count(session, member, "mine", None)


@pytest.mark.parametrize(
    ("audience", "value"),
    [
        ("occupation", "9999.9"),
        ("occupation", "cariste"),  # a label, not a code
        ("session", "404"),
        ("session", "1e9"),
        ("session", "9" * 30),
        ("session", None),
        ("nobody", None),
    ],
)
async def test_an_unknown_value_or_audience_is_refused(session, audience, value) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    with pytest.raises(BroadcastRefused):
        await broadcasts.count(session, coordinator, audience, value)


# --- the message --------------------------------------------------------------------------


async def test_a_text_and_a_caption_have_their_limits(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    await broadcasts.create(session, coordinator, "everyone", None, "x" * TEXT_MAX)
    await broadcasts.create(session, coordinator, "everyone", None, "x" * CAPTION_MAX, PHOTO)
    for text, attachment in (
        ("x" * (TEXT_MAX + 1), None),
        ("x" * (CAPTION_MAX + 1), PHOTO),
        ("Bonjour", {"kind": "sticker", "file_id": "abc"}),
    ):
        with pytest.raises(BroadcastRefused):
            await broadcasts.create(session, coordinator, "everyone", None, text, attachment)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_header_and_the_longest_caption_fit_in_a_telegram_caption(locale) -> None:
    outgoing = broadcasts.message("é" * CAPTION_MAX, PHOTO, chat_id=1)
    text = build_core().render(outgoing.key, locale, outgoing.variables)
    assert len(text.encode("utf-16-le")) // 2 <= 1024
    assert text.endswith("é" * CAPTION_MAX)


# --- sending ------------------------------------------------------------------------------


async def test_sending_queues_one_row_per_person_and_only_once(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    people = [await person(session, 1), await person(session, 2, reachable=False)]
    broadcast = await broadcasts.create(session, coordinator, "everyone", None, "Salon <emploi>")
    assert broadcast.status == BroadcastStatus.DRAFT

    assert await broadcasts.send(session, broadcast, NOW) == 1
    assert (broadcast.status, broadcast.total, broadcast.sent_at) == ("sending", 1, NOW)
    queued = await campaign_rows(session, broadcast)
    assert [row.dedupe_key for row in queued] == [
        f"broadcast:{broadcast.id}:{p.id}" for p in people
    ]
    assert {row.campaign_id for row in queued} == {f"broadcast:{broadcast.id}"}
    assert queued[0].kind == "text"
    assert queued[0].payload["vars"] == {"text": "Salon <emploi>"}

    with pytest.raises(BroadcastRefused) as refused:
        await broadcasts.send(session, broadcast, NOW)
    assert refused.value.reason == "sent"
    # Even sent again from a draft, the dedupe keys keep one row per person.
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast.id).values(status="draft")
    )
    await broadcasts.send(session, broadcast, NOW)
    assert len(await campaign_rows(session, broadcast)) == 2


async def test_a_photo_is_queued_by_its_file_id_with_the_text_as_caption(session) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    await person(session, 1)
    await person(session, 2, territory="FM")
    broadcast = await broadcasts.create(session, karim, "territory", "LRT", "Forum", PHOTO)
    await broadcasts.send(session, broadcast, NOW)

    [row] = await campaign_rows(session, broadcast)
    assert row.kind == "photo"
    assert row.payload["file"] == {"file_id": PHOTO["file_id"]}
    assert row.payload["key"] == "bc-message"


async def test_a_broadcast_is_checked_again_when_sent(session) -> None:
    karim = await add_staff(session, 1, Role.CET, "LRT")
    broadcast = await broadcasts.create(session, karim, "territory", "LRT", "Bonjour")
    karim.territory = "FM"  # moved meanwhile
    await session.flush()
    with pytest.raises(BroadcastRefused):
        await broadcasts.send(session, broadcast, NOW)
    assert await campaign_rows(session, broadcast) == []


# --- progress -----------------------------------------------------------------------------


async def test_progress_counts_the_campaigns_rows_by_outcome(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    for n in range(1, 7):
        await person(session, n)
    broadcast = await broadcasts.create(session, coordinator, "everyone", None, "Bonjour")
    await broadcasts.send(session, broadcast, NOW)
    first, second, third, fourth, fifth, _sixth = await campaign_rows(session, broadcast)
    first.status = second.status = OutboxStatus.SENT
    third.status, third.error = OutboxStatus.FAILED, "blocked"
    fourth.status, fourth.error = OutboxStatus.FAILED, "Bad Request: chat not found"
    fifth.status = OutboxStatus.SENDING
    await session.flush()

    counts = await broadcasts.progress(session, broadcast)
    assert (counts.sent, counts.pending, counts.failed, counts.unreachable) == (2, 2, 1, 1)
    assert not counts.finished


async def test_the_report_is_queued_once_when_nothing_waits(session) -> None:
    coordinator = await add_staff(session, 1, Role.COORDINATOR)
    await person(session, 1)
    broadcast = await broadcasts.create(session, coordinator, "everyone", None, "Bonjour")
    await broadcasts.send(session, broadcast, NOW)
    [row] = await campaign_rows(session, broadcast)
    row.status = OutboxStatus.SENT
    await session.flush()
    counts = await broadcasts.progress(session, broadcast)

    assert await broadcasts.finish(session, broadcast, counts, NOW)
    assert not await broadcasts.finish(session, broadcast, counts, NOW)
    await session.refresh(broadcast)
    assert (broadcast.status, broadcast.finished_at) == ("done", NOW)
    [report] = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"broadcast-report:{broadcast.id}")
    )
    assert report.chat_id == coordinator.telegram_id
    assert report.payload["vars"] == {"delivered": 1, "unreachable": 0, "failed": 0}
