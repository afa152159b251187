"""Staff create an online session in the bot: one question per message in their language, a
calendar, a preview of the invitation with how many it reaches, and on publishing the
targeted participants are invited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import select

from bot.db.base import as_utc
from bot.db.models import ProgrammeSession, SessionStatus
from bot.demo import midday_zone
from bot.flows.sessions.post import NewSession
from bot.services.staff import members as staff_service
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import answer
from tests.helpers.people import FORKLIFT, add_person, add_staff, seed
from tests.stubs.libretranslate import LibreTranslateStub, Reply

BOOK = say("session-book")
PRESENTATION = {"key": "session-kind-company_presentation"}
INFO = {"key": "session-kind-info"}


@pytest.fixture
async def libre() -> AsyncIterator[LibreTranslateStub]:
    server = LibreTranslateStub()  # "translates" by writing "[fr>nl] " in front
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settings(settings, libre):
    # Invitations go out within the test's patience, at midday; titles go to the stub.
    return settings.model_copy(
        update={
            "outbox_tick_s": 0.2,
            "tz": midday_zone(),
            "translator": "libre",
            "translator_url": libre.url,
        }
    )


def month_name(day: date, locale: str) -> str:
    text = format_date(day, "LLLL y", locale=locale)
    return text[:1].upper() + text[1:]


async def stored(sessionmaker) -> list[ProgrammeSession]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ProgrammeSession)))


async def test_a_counsellor_creates_a_session_in_french_and_the_targeted_participant_is_invited(
    bot_app, sandbox, participant, sessionmaker, settings, clock
) -> None:
    await seed(participant, sessionmaker)  # Amélie (LRT, A2, forklift) and Karim, her CET
    async with sessionmaker() as session:  # someone in Wallonie picarde: not targeted
        other = await add_person(session, 2, telegram_id=1002)
        other.territory = "WAPI"
        await session.commit()
    karim = sandbox.user(9100, "Karim")
    tz = ZoneInfo(settings.tz)

    kinds = await answer(karim, text="/newsession")
    assert say("spost-kind") in texts(kinds)
    assert buttons(kinds) == [
        say("session-kind-company_presentation"),
        say("session-kind-coaching"),
        say("session-kind-info"),
        say("spost-cancel"),
    ]
    assert say("spost-title-fr") in texts(
        await answer(karim, press=say("session-kind-company_presentation"))
    )
    await karim.send_photo()
    assert say("spost-type-text") in texts(await karim.replies())
    await karim.send_text("/foo")
    assert say("fallback-command", command="/foo") in texts(await karim.replies())
    too_long = await answer(karim, text="x" * 201)
    assert say("spost-title-long", length=201) in texts(too_long)
    assert say("spost-title-fr") in texts(too_long)

    dutch_title = await answer(karim, text="Vlaamse Verpakking  se présente")
    assert say("spost-title-nl") in texts(dutch_title)
    assert buttons(dutch_title)[:2] == [say("spost-translate"), say("spost-skip")]
    translated = await answer(karim, press=say("spost-translate"))
    assert say("spost-translated", current="[fr>nl] Vlaamse Verpakking se présente") in texts(
        translated
    )
    back = await answer(karim, press=say("button-back"))
    assert say("spost-current", current="Vlaamse Verpakking se présente") in texts(back)
    await answer(karim, press=say("spost-keep"))
    description = await answer(karim, press=say("spost-keep"))
    assert say("spost-description-fr") in texts(description)
    await answer(karim, text="Une usine d'emballage à Courtrai recrute des caristes.")
    calendar = (await answer(karim, press=say("spost-skip")))[-1]  # no Dutch description

    today = clock().astimezone(tz).date()
    assert say("spost-day") in calendar.text
    assert f"🗓 {month_name(today, 'fr_FR')}" in calendar.button_texts()
    assert calendar.button_texts()[1:8] == ["Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"]
    # The calendar stays on screen past midnight: yesterday can no longer be picked.
    clock.advance(timedelta(days=1))
    past = await answer(karim, press=f"[{today.day}]")
    assert say("spost-day-past") in texts(past) and say("spost-day") in texts(past)
    day = today + timedelta(days=1)
    times = await answer(karim, press=f"[{day.day}]")
    assert say("spost-time", day=format_date(day, "EEEE d MMMM", locale="fr")) in texts(times)
    assert "09:00" in buttons(times) and "18:00" in buttons(times)
    assert say("spost-time-past") in texts(await answer(karim, press="09:00"))  # it is midday
    assert say("spost-time-invalid") in texts(await answer(karim, text="25:00"))
    assert say("spost-duration") in texts(await answer(karim, text="18h30"))

    assert say("spost-url") in texts(await answer(karim, press=say("spost-minutes", minutes=90)))
    insecure = await answer(karim, text="http://meet.example/vv")
    assert say("spost-url-invalid") in texts(insecure) and say("spost-url") in texts(insecure)
    assert say("spost-url-invalid") in texts(await answer(karim, text="https://"))
    await answer(karim, text="https://meet.example/vv")
    assert say("spost-capacity-invalid") in texts(await answer(karim, text="0"))
    territories = await answer(karim, press="20")
    assert say("spost-territories") in texts(territories)
    ticked = await answer(karim, press=say("territory-LRT"))
    assert f"✅ {say('territory-LRT')}" in buttons(ticked)
    await answer(karim, press=say("button-next"))
    results = await answer(karim, text="cariste")
    assert "Cariste" in buttons(results)
    chosen = await answer(karim, press="Cariste")
    assert say("spost-occupations-chosen", chosen_names="Cariste") in texts(chosen)
    assert "✖️ Cariste" in buttons(chosen)
    await answer(karim, press=say("button-next"))
    await answer(karim, press="A2")
    await answer(karim, press="B1")
    assert say("spost-cutoff") in texts(await answer(karim, press=say("button-next")))
    await answer(karim, press=say("spost-cutoff-option", hours=2))

    # Edit goes back one step; the answers given are kept.
    await answer(karim, press=say("spost-edit"))
    levels = await answer(karim, press=say("button-back"))
    assert {"✅ A2", "✅ B1", "A0"} <= set(buttons(levels))
    await answer(karim, press=say("button-next"))
    preview = (await answer(karim, press=say("spost-cutoff-option", hours=2)))[-1]
    assert say("spost-preview") in preview.text
    invitation = {"kind": PRESENTATION, "when": ..., "minutes": 90, "seats": 20}
    assert holds(
        preview.text, "session-invite", title="Vlaamse Verpakking se présente", **invitation
    )
    assert say("spost-preview-in", lang="nl") in preview.text
    assert holds(
        preview.text,
        "session-invite",
        "nl",
        title="[fr>nl] Vlaamse Verpakking se présente",
        **invitation,
    )
    assert (
        say(
            "spost-preview-details",
            url="https://meet.example/vv",
            cutoff=2,
            territories=say("territory-LRT"),
            occupations="Cariste",
            levels="A2, B1",
        )
        in preview.text
    )
    assert say("spost-audience", count=1) in preview.text
    assert preview.button_texts() == [say("spost-publish"), say("spost-edit"), say("spost-cancel")]

    done = (await answer(karim, press=say("spost-publish")))[-1]
    assert say("spost-published", count=1) in done.text
    assert done.button_texts() == [say("spost-another")]
    assert say("spost-kind") in texts(await answer(karim, press=say("spost-another")))

    [created] = await stored(sessionmaker)
    async with sessionmaker() as session:
        karim_id = (await staff_service.staff_by_telegram_id(session, 9100)).id
    assert (created.kind, created.status, created.created_by) == (
        "company_presentation",
        SessionStatus.PUBLISHED,
        karim_id,
    )
    assert (created.title_fr, created.title_nl) == (
        "Vlaamse Verpakking se présente",
        "[fr>nl] Vlaamse Verpakking se présente",
    )
    assert created.description_fr == "Une usine d'emballage à Courtrai recrute des caristes."
    assert created.description_nl is None
    assert as_utc(created.starts_at) == datetime.combine(day, time(18, 30), tz).astimezone(UTC)
    assert (created.duration_min, created.url, created.capacity) == (
        90,
        "https://meet.example/vv",
        20,
    )
    assert (created.territories, created.occupations, created.dutch_levels) == (
        ["LRT"],
        [FORKLIFT],
        ["A2", "B1"],
    )
    assert (created.cutoff_hours, created.confirmed) == (2, 0)

    [invite] = [m for m in await participant.replies(timeout=15) if BOOK in m.button_texts()]
    assert holds(
        invite.text, "session-invite", title="Vlaamse Verpakking se présente", **invitation
    )


async def test_a_vdab_consultant_works_in_dutch_and_is_refused_after_leaving_the_team(
    bot_app, sandbox, sessionmaker, libre, clock, settings
) -> None:
    await add_staff(sessionmaker, 9200, "vdab", "Els")
    els = sandbox.user(9200, "Els", language_code="nl")
    tz = ZoneInfo(settings.tz)

    assert say("spost-kind", "nl") in texts(await answer(els, text="/newsession"))
    assert say("spost-title-fr", "nl") in texts(
        await answer(els, press=say("session-kind-info", "nl"))
    )
    await answer(els, text="Travailler en Belgique : mode d'emploi")
    libre.queue(Reply.error(500))  # the translation provider is down
    down = await answer(els, press=say("spost-translate", "nl"))
    assert say("spost-translate-unavailable", "nl") in texts(down)
    assert say("spost-title-nl", "nl") in texts(down)
    await answer(els, text="Werken in België: zo gaat het")
    dutch_description = await answer(els, press=say("spost-skip", "nl"))
    assert say("spost-description-nl", "nl") in texts(dutch_description)
    # Nothing to translate.
    assert say("spost-translate", "nl") not in buttons(dutch_description)
    calendar = (await answer(els, press=say("spost-skip", "nl")))[-1]

    today = clock().astimezone(tz).date()
    next_month = (today.replace(day=1) + timedelta(days=31)).replace(day=1)
    assert f"🗓 {month_name(today, 'nl_BE')}" in calendar.button_texts()
    assert calendar.button_texts()[1:8] == ["Ma", "Di", "Wo", "Do", "Vr", "Za", "Zo"]
    paged = await answer(els, press=f"{month_name(next_month, 'nl_BE')} >>")
    assert f"🗓 {month_name(next_month, 'nl_BE')}" in buttons(paged)
    assert holds(texts(await answer(els, press="15")), "spost-time", "nl", day=...)
    assert say("spost-duration", "nl") in texts(await answer(els, text="10u30"))
    assert say("spost-duration-invalid", "nl") in texts(await answer(els, text="600"))
    await answer(els, text="75")
    await answer(els, text="https://teams.example/abc")
    assert say("spost-territories", "nl") in texts(await answer(els, text="12"))
    await answer(els, press=say("button-next", "nl"))  # every territory
    await answer(els, press=say("spost-occupations-all", "nl"))
    await answer(els, press=say("button-next", "nl"))  # every level
    preview = (await answer(els, press=say("spost-cutoff-option", "nl", hours=48)))[-1]
    assert say("spost-preview", "nl") in preview.text
    invitation = {"kind": INFO, "when": ..., "minutes": 75, "seats": 12}
    assert holds(
        preview.text, "session-invite", "nl", title="Werken in België: zo gaat het", **invitation
    )
    assert say("spost-preview-in", "nl", lang="fr") in preview.text
    assert holds(
        preview.text,
        "session-invite",
        title="Travailler en Belgique : mode d'emploi",
        **invitation,
    )
    assert (
        say(
            "spost-preview-details",
            "nl",
            url="https://teams.example/abc",
            cutoff=48,
            territories=say("spost-all-territories", "nl"),
            occupations=say("spost-all-occupations", "nl"),
            levels=say("spost-all-levels", "nl"),
        )
        in preview.text
    )
    assert say("spost-audience", "nl", count=0) in preview.text

    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9200)
        await session.commit()
    refused = await answer(els, press=say("spost-publish", "nl"))
    assert say("staff-only", "nl") in texts(refused)
    assert await stored(sessionmaker) == []


async def test_cancelling_publishes_nothing(bot_app, sandbox, sessionmaker) -> None:
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    karim = sandbox.user(9100, "Karim")
    await answer(karim, text="/newsession")
    await answer(karim, press=say("session-kind-info"))
    assert say("spost-cancelled") in texts(await answer(karim, press=say("spost-cancel")))
    assert await stored(sessionmaker) == []


async def test_a_participant_is_refused_the_session_flow(bot_app, participant) -> None:
    await participant.send_text("/newsession")
    assert say("staff-only") in texts(await participant.replies())
    await participant.press_data(NewSession().pack())
    await participant.replies()
    assert say("staff-only") in participant.callback_answers[-1]
