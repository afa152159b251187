"""Everyone registered has a counsellor when their territory has one: registering without a
counsellor's link gives them their territory's, and they are told who; staff hand people to
another counsellor; every promise to tell "your counsellor" is kept."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.db.models import Participant, Staff
from bot.sandbox import UserClient
from bot.services.staff import members as staff_service
from tests.helpers import holds, say, texts
from tests.helpers.chat import answer, begin, inbox, inbox_holding
from tests.helpers.people import add_person, add_staff

# Territories as the bot names them (a structured variable: rendered in the reader's language).
LRT, FM = {"key": "territory-LRT"}, {"key": "territory-FM"}


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"outbox_tick_s": 0.1})


async def register(user: UserClient, territory: str, language: str = "fr") -> list:
    """A short registration in `territory` (its button's label); the end of it."""
    fr = language == "fr"
    await begin(user, language)
    best = "Cariste" if fr else "Heftruckchauffeur"
    await answer(user, press=say("reg-consent-yes", language))
    await answer(user, press=territory)
    await answer(user, text="cariste")
    await answer(user, press=say("reg-occupations-confirm", language, best=best))
    await answer(user, press=say("dutch-A1", language))
    await answer(user, press=say("transport-none", language))
    await answer(user, press=say("commute-km", language, km=30))
    await answer(user, text="59200")
    await answer(user, press=say("button-next", language))
    return await answer(user, press=say("alerts-daily", language))


async def staff_chat(sandbox, telegram_id: int, name: str) -> UserClient:
    """A staff member who opened the bot (so messages can reach them)."""
    member = sandbox.user(telegram_id, name)
    await member.send_text("/help")
    await member.replies()
    return member


async def counsellor_of(sessionmaker, participant_id: int | None = None) -> int | None:
    async with sessionmaker() as session:
        query = select(Participant.counsellor_id)
        if participant_id is not None:
            query = query.where(Participant.id == participant_id)
        return await session.scalar(query.order_by(Participant.id.desc()).limit(1))


async def test_without_a_link_the_territorys_counsellor_follows_them_and_is_named_at_the_end(
    bot_app, sandbox, participant, sessionmaker
):
    karim = await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    karim_chat = await staff_chat(sandbox, 9100, "Karim")

    done = await register(participant, say("territory-LRT"))
    assert say("reg-done-counsellor", counsellor="Karim", territory=LRT) in texts(done)
    assert await counsellor_of(sessionmaker) == karim.id
    new = say("counsellor-new-participant", label="Amélie · #1 · LRT")
    assert new in await inbox(karim_chat, new)

    # Karim's message to "my participants" reaches her.
    await answer(karim_chat, text="/broadcast")
    await answer(karim_chat, text="Atelier CV jeudi.")
    preview = await answer(karim_chat, press=say("bc-audience-mine"))
    assert say("bc-reach", count=1, unreachable=0) in texts(preview)


async def test_in_dutch_the_end_names_the_counsellor_and_delete_promises_to_tell_them(
    bot_app, sandbox, sessionmaker
):
    await add_staff(sessionmaker, 9400, "cet", "Lies", territory="WAPI")
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    done = await register(jan, say("territory-WAPI", "nl"), "nl")
    wapi = {"key": "territory-WAPI"}
    assert say("reg-done-counsellor", "nl", counsellor="Lies", territory=wapi) in texts(done)
    confirm = await answer(jan, text="/delete")
    assert say("delete-confirm-counsellor", "nl", name="Lies") in texts(confirm)


async def test_the_newcomer_goes_to_the_territorys_counsellor_who_follows_fewest(
    bot_app, sandbox, participant, sessionmaker
):
    karim = await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    async with sessionmaker() as session:
        for n in (1, 2):
            await add_person(session, n, counsellor=await session.get(Staff, karim.id))
        await session.commit()
    done = await register(participant, say("territory-LRT"))
    assert say("reg-done-counsellor", counsellor="Nora", territory=LRT) in texts(done)
    assert await counsellor_of(sessionmaker) == nora.id


async def test_without_a_counsellor_in_the_territory_the_team_answers_and_is_told(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = await staff_chat(sandbox, 9300, "Lies")

    done = await register(participant, say("territory-WAPI"))
    assert not holds(texts(done), "reg-done-counsellor", counsellor=..., territory=...)
    assert say("reg-done-team") in texts(done)
    assert await counsellor_of(sessionmaker) is None
    waiting = await inbox(lies, "🕓")
    label = "Amélie · #1 · WAPI"
    assert holds(waiting, "coordinator-participant-waiting", label=label, territory=..., ref="1")

    confirm = await answer(participant, text="/delete")
    assert say("delete-confirm-team") in texts(confirm)
    await answer(participant, press=say("delete-yes"))
    erased = say("counsellor-participant-deleted", territory="WAPI")
    assert erased in await inbox(lies, erased)


async def test_with_nobody_to_tell_delete_promises_nothing(bot_app, participant):
    done = await register(participant, say("territory-FM"))
    assert not holds(texts(done), "reg-done-counsellor", counsellor=..., territory=...)
    assert say("reg-done-team") not in texts(done)
    confirm = await answer(participant, text="/delete")
    assert say("delete-confirm") in texts(confirm)  # nobody to tell


async def test_a_coordinator_hands_a_participant_to_another_counsellor_and_all_are_told(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    karim = await staff_chat(sandbox, 9100, "Karim")
    sophie = await staff_chat(sandbox, 9200, "Sophie")
    await register(participant, say("territory-LRT"))
    sophie_record = await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    lies = await staff_chat(sandbox, 9300, "Lies")

    usage = await answer(lies, text="/reassign")
    assert holds(texts(usage), "reassign-usage", counsellors=...)
    karim_line = say("reassign-counsellor", name="Karim", territory=LRT, telegram_id="9100")
    assert karim_line in texts(usage)
    sophie_line = say("reassign-counsellor", name="Sophie", territory=FM, telegram_id="9200")
    assert sophie_line in texts(usage)

    done = await answer(lies, text="/reassign #1 9200")
    assert say("reassign-done", label="Amélie · #1 · LRT", name="Sophie") in texts(done)
    assert await counsellor_of(sessionmaker) == sophie_record.id
    given = say("counsellor-given", label="Amélie · #1 · LRT")
    assert given in await inbox(sophie, given)
    taken = say("counsellor-taken", label="Amélie · #1 · LRT", name="Sophie")
    assert taken in await inbox(karim, taken)
    told = say("participant-new-counsellor", name="Sophie", territory=FM)
    assert told in await inbox(participant, told)

    again = await answer(lies, text="/reassign 1 9200")
    assert say("reassign-already", label="Amélie · #1 · LRT", name="Sophie") in texts(again)


async def test_a_counsellor_hands_over_only_within_their_territory_and_refusals_are_logged(
    bot_app, sandbox, participant, sessionmaker, caplog
):
    caplog.set_level(logging.WARNING)
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    await add_staff(sessionmaker, 9500, "vdab", "Els")
    await register(participant, say("territory-LRT"))
    async with sessionmaker() as session:
        elsewhere = await add_person(session, 7, telegram_id=5007)
        elsewhere.territory = "FM"
        await session.commit()
        elsewhere_id = elsewhere.id
    karim = await staff_chat(sandbox, 9100, "Karim")

    refused = await answer(karim, text=f"/reassign {elsewhere_id} 9150")
    assert say("reassign-refused-other-territory") in texts(refused)
    refused = await answer(karim, text="/reassign 1 9200")
    assert say("reassign-refused-colleague-elsewhere") in texts(refused)
    unknown = await answer(karim, text="/reassign 1 424242")
    assert holds(texts(unknown), "reassign-no-staff", ref=...)
    nobody = await answer(karim, text="/reassign #999 9150")
    assert say("reassign-no-participant", ref="#999") in texts(nobody)
    els = await staff_chat(sandbox, 9500, "Els")
    refused = await answer(els, text="/reassign 1 9150")
    assert say("reassign-refused-not-allowed") in texts(refused)
    logged = [r.getMessage() for r in caplog.records if "reassign refused" in r.getMessage()]
    assert any("staff 9100" in line and f"participant {elsewhere_id}" in line for line in logged)
    assert any("staff 9500" in line for line in logged)
    assert not any("Amélie" in line for line in logged)  # ids only

    done = await answer(karim, text="/reassign 1 9150")
    assert holds(texts(done), "reassign-done", label=..., name="Nora")
    assert await counsellor_of(sessionmaker, 1) == nora.id


async def test_someone_whose_counsellor_left_is_taken_over_by_a_colleague(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await register(participant, say("territory-LRT"))
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9100)
        await session.commit()
    # Nobody named is promised anything meanwhile: the territory's counsellors answer.
    confirm = await answer(participant, text="/delete")
    assert say("delete-confirm-team") in texts(confirm)
    await answer(participant, press=say("delete-no"))

    nora_chat = await staff_chat(sandbox, 9150, "Nora")
    done = await answer(nora_chat, text="/reassign 1 9150")
    assert holds(texts(done), "reassign-done", label=..., name="Nora")
    assert await counsellor_of(sessionmaker) == nora.id
    told = say("participant-new-counsellor", name="Nora", territory=LRT)
    assert told in await inbox(participant, told)
    confirm = await answer(participant, text="/delete")
    assert say("delete-confirm-counsellor", name="Nora") in texts(confirm)


async def test_moving_to_another_territory_brings_that_territorys_counsellor(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    sophie = await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    karim = await staff_chat(sandbox, 9100, "Karim")
    sophie_chat = await staff_chat(sandbox, 9200, "Sophie")
    await register(participant, say("territory-LRT"))

    await answer(participant, text="/profile")
    await answer(participant, press=say("profile-edit-territory"))
    await answer(participant, press=say("territory-FM"))
    assert await counsellor_of(sessionmaker) == sophie.id
    told = say("participant-new-counsellor", name="Sophie", territory=FM)
    assert told in await inbox(participant, told)
    given = say("counsellor-given", label="Amélie · #1 · FM")
    assert given in await inbox(sophie_chat, given)
    taken = say("counsellor-taken", label="Amélie · #1 · FM", name="Sophie")
    assert taken in await inbox(karim, taken)


async def test_someone_without_a_counsellor_hears_that_the_team_answers_and_confirms(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = await staff_chat(sandbox, 9300, "Lies")
    await register(participant, say("territory-WAPI"))

    await answer(participant, text="/counsellor")
    opened = await answer(participant, press=say("esc-topic-question"))
    assert holds(texts(opened), "esc-opened-other", name="Lies", due=...)
    assert not holds(texts(opened), "esc-opened", name=..., due=...)
    await answer(participant, press=say("esc-close"))
    jobs = await answer(participant, text="/jobs")
    assert say("jobs-none-team") in texts(jobs)

    await answer(participant, text="/menu")
    await answer(participant, press=say("menu-found-job"))
    await answer(participant, text="Vlaamse Verpakking")
    done = await answer(participant, press=say("out-found-next-week"))
    assert say("out-found-done-team") in texts(done)
    found = {"label": "Amélie · #1", "employer": "Vlaamse Verpakking", "start": ...}
    await inbox_holding(lies, "out-reported", **found)
