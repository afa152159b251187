"""Everyone registered has a counsellor when their territory has one: registering without a
counsellor's link gives them their territory's, and they are told who; staff hand people to
another counsellor; every promise to tell "your counsellor" is kept."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from bot.db.models import Participant, Staff
from bot.sandbox import UserClient
from bot.services import staff as staff_service
from tests.e2e.test_registration import answer, begin
from tests.e2e.test_vacancy_post import add_staff
from tests.helpers import texts
from tests.services.test_alerts import add_person


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"outbox_tick_s": 0.1})


async def register(user: UserClient, territory: str, language: str = "fr") -> list:
    """A short registration in `territory` (its button's label); the end of it."""
    fr = language == "fr"
    await begin(user, language)
    await answer(user, press="✅ J'accepte" if fr else "✅ Ik ga akkoord")
    await answer(user, press=territory)
    await answer(user, text="cariste")
    await answer(user, press="👍 Oui : Cariste" if fr else "👍 Ja: Heftruckchauffeur")
    await answer(user, press="A1 : quelques mots" if fr else "A1: enkele woorden")
    await answer(user, press="🚶 Pas de permis" if fr else "🚶 Geen rijbewijs")
    await answer(user, press="30 km")
    await answer(user, text="59200")
    await answer(user, press="Suivant ▶️" if fr else "Volgende ▶️")
    return await answer(user, press="Une fois par jour" if fr else "Eén keer per dag")


async def staff_chat(sandbox, telegram_id: int, name: str) -> UserClient:
    """A staff member who opened the bot (so messages can reach them)."""
    member = sandbox.user(telegram_id, name)
    await member.send_text("/help")
    await member.replies()
    return member


async def inbox(user: UserClient, needle: str, rounds: int = 150) -> str:
    """The texts of `user`'s chat once one of them contains `needle` (the outbox sends)."""
    for _ in range(rounds):
        chat = "\n".join(m.text or "" for m in await user.messages())
        if needle in chat:
            return chat
        await asyncio.sleep(0.1)
    raise AssertionError(f"no message with {needle!r} in {chat!r}")


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

    done = await register(participant, "Lille-Roubaix-Tourcoing")
    assert "Votre conseiller : Karim (Lille-Roubaix-Tourcoing)" in texts(done)
    assert await counsellor_of(sessionmaker) == karim.id
    assert "🆕 Amélie · #1 · LRT vient de s'inscrire" in await inbox(karim_chat, "🆕")

    # Karim's message to "my participants" reaches her.
    await answer(karim_chat, text="/broadcast")
    await answer(karim_chat, text="Atelier CV jeudi.")
    preview = await answer(karim_chat, press="👥 Mes participants")
    assert "Il atteindra 1 personne" in texts(preview)


async def test_in_dutch_the_end_names_the_counsellor_and_delete_promises_to_tell_them(
    bot_app, sandbox, sessionmaker
):
    await add_staff(sessionmaker, 9400, "cet", "Lies", territory="WAPI")
    jan = UserClient(sandbox.url, user_id=2002, first_name="Jan", language_code="nl")
    done = await register(jan, "Picardisch Wallonië", "nl")
    assert "Uw jobcoach: Lies (Picardisch Wallonië)" in texts(done)
    confirm = await answer(jan, text="/delete")
    assert "Uw jobcoach Lies wordt verwittigd" in texts(confirm)


async def test_the_newcomer_goes_to_the_territorys_counsellor_who_follows_fewest(
    bot_app, sandbox, participant, sessionmaker
):
    karim = await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    async with sessionmaker() as session:
        for n in (1, 2):
            await add_person(session, n, counsellor=await session.get(Staff, karim.id))
        await session.commit()
    done = await register(participant, "Lille-Roubaix-Tourcoing")
    assert "Votre conseiller : Nora" in texts(done)
    assert await counsellor_of(sessionmaker) == nora.id


async def test_without_a_counsellor_in_the_territory_the_team_answers_and_is_told(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = await staff_chat(sandbox, 9300, "Lies")

    done = await register(participant, "Wallonie picarde")
    assert "Votre conseiller" not in texts(done)
    assert "l'équipe du projet répond à vos questions" in texts(done)
    assert await counsellor_of(sessionmaker) is None
    waiting = await inbox(lies, "🕓")
    assert "Amélie · #1 · WAPI n'a pas de conseiller" in waiting and "/reassign 1" in waiting

    confirm = await answer(participant, text="/delete")
    assert "L'équipe du projet sera prévenue" in texts(confirm)
    await answer(participant, press="🗑️ Oui, tout effacer")
    assert "(WAPI) a effacé ses données" in await inbox(lies, "a effacé")


async def test_with_nobody_to_tell_delete_promises_nothing(bot_app, participant):
    done = await register(participant, "Flandres maritimes (Dunkerque)")
    assert "Votre conseiller" not in texts(done) and "l'équipe" not in texts(done)
    confirm = await answer(participant, text="/delete")
    assert "Voulez-vous vraiment effacer vos données ?" in texts(confirm)
    assert "prévenu" not in texts(confirm)


async def test_a_coordinator_hands_a_participant_to_another_counsellor_and_all_are_told(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    karim = await staff_chat(sandbox, 9100, "Karim")
    sophie = await staff_chat(sandbox, 9200, "Sophie")
    await register(participant, "Lille-Roubaix-Tourcoing")
    sophie_record = await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    lies = await staff_chat(sandbox, 9300, "Lies")

    usage = await answer(lies, text="/reassign")
    assert "/reassign PERSONNE CONSEILLER" in texts(usage)
    assert "Karim (Lille-Roubaix-Tourcoing) : 9100" in texts(usage)
    assert "Sophie (Flandres maritimes (Dunkerque)) : 9200" in texts(usage)

    done = await answer(lies, text="/reassign #1 9200")
    assert "✅ Amélie · #1 · LRT est maintenant suivi(e) par Sophie" in texts(done)
    assert await counsellor_of(sessionmaker) == sophie_record.id
    assert "Amélie · #1 · LRT vous est confié(e)" in await inbox(sophie, "vous est confié")
    assert "Amélie · #1 · LRT est maintenant suivi(e) par Sophie" in await inbox(karim, "suivi")
    told = await inbox(participant, "Votre conseiller est maintenant")
    assert "Votre conseiller est maintenant Sophie (Flandres maritimes (Dunkerque))" in told

    again = await answer(lies, text="/reassign 1 9200")
    assert "est déjà suivi(e) par Sophie" in texts(again)


async def test_a_counsellor_hands_over_only_within_their_territory_and_refusals_are_logged(
    bot_app, sandbox, participant, sessionmaker, caplog
):
    caplog.set_level(logging.WARNING)
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    await add_staff(sessionmaker, 9500, "vdab", "Els")
    await register(participant, "Lille-Roubaix-Tourcoing")
    async with sessionmaker() as session:
        elsewhere = await add_person(session, 7, telegram_id=5007)
        elsewhere.territory = "FM"
        await session.commit()
        elsewhere_id = elsewhere.id
    karim = await staff_chat(sandbox, 9100, "Karim")

    refused = await answer(karim, text=f"/reassign {elsewhere_id} 9150")
    assert "n'est pas de votre territoire" in texts(refused)
    refused = await answer(karim, text="/reassign 1 9200")
    assert "seulement à un conseiller de votre territoire" in texts(refused)
    unknown = await answer(karim, text="/reassign 1 424242")
    assert "n'est pas l'identifiant Telegram d'un membre actif" in texts(unknown)
    nobody = await answer(karim, text="/reassign #999 9150")
    assert "Je ne trouve personne avec « #999 »" in texts(nobody)
    els = await staff_chat(sandbox, 9500, "Els")
    refused = await answer(els, text="/reassign 1 9150")
    assert "Seuls les conseillers et les coordinateurs" in texts(refused)
    logged = [r.getMessage() for r in caplog.records if "reassign refused" in r.getMessage()]
    assert any("staff 9100" in line and f"participant {elsewhere_id}" in line for line in logged)
    assert any("staff 9500" in line for line in logged)
    assert not any("Amélie" in line for line in logged)  # ids only

    done = await answer(karim, text="/reassign 1 9150")
    assert "est maintenant suivi(e) par Nora" in texts(done)
    assert await counsellor_of(sessionmaker, 1) == nora.id


async def test_someone_whose_counsellor_left_is_taken_over_by_a_colleague(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    await register(participant, "Lille-Roubaix-Tourcoing")
    nora = await add_staff(sessionmaker, 9150, "cet", "Nora", territory="LRT")
    async with sessionmaker() as session:
        await staff_service.deactivate_staff(session, 9100)
        await session.commit()
    # Nobody named is promised anything meanwhile: the territory's counsellors answer.
    confirm = await answer(participant, text="/delete")
    assert "L'équipe du projet sera prévenue" in texts(confirm)
    await answer(participant, press="Non, garder")

    nora_chat = await staff_chat(sandbox, 9150, "Nora")
    done = await answer(nora_chat, text="/reassign 1 9150")
    assert "est maintenant suivi(e) par Nora" in texts(done)
    assert await counsellor_of(sessionmaker) == nora.id
    assert "Nora (Lille-Roubaix-Tourcoing)" in await inbox(participant, "maintenant Nora")
    confirm = await answer(participant, text="/delete")
    assert "Votre conseiller Nora sera prévenu" in texts(confirm)


async def test_moving_to_another_territory_brings_that_territorys_counsellor(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9100, "cet", "Karim", territory="LRT")
    sophie = await add_staff(sessionmaker, 9200, "cet", "Sophie", territory="FM")
    karim = await staff_chat(sandbox, 9100, "Karim")
    sophie_chat = await staff_chat(sandbox, 9200, "Sophie")
    await register(participant, "Lille-Roubaix-Tourcoing")

    await answer(participant, text="/profile")
    await answer(participant, press="Territoire")
    await answer(participant, press="Flandres maritimes (Dunkerque)")
    assert await counsellor_of(sessionmaker) == sophie.id
    assert "Votre conseiller est maintenant Sophie" in await inbox(participant, "maintenant")
    assert "Amélie · #1 · FM vous est confié(e)" in await inbox(sophie_chat, "confié")
    assert "Amélie · #1 · FM est maintenant suivi(e) par Sophie" in await inbox(karim, "suivi")


async def test_someone_without_a_counsellor_hears_that_the_team_answers_and_confirms(
    bot_app, sandbox, participant, sessionmaker
):
    await add_staff(sessionmaker, 9300, "coordinator", "Lies")
    lies = await staff_chat(sandbox, 9300, "Lies")
    await register(participant, "Wallonie picarde")

    await answer(participant, text="/counsellor")
    opened = await answer(participant, press="❓ Une question")
    assert "Lies, de l'équipe du projet, vous répond d'ici" in texts(opened)
    assert "Votre conseiller" not in texts(opened)
    await answer(participant, press="✅ Ma question est réglée")
    jobs = await answer(participant, text="/jobs")
    assert "L'équipe du projet peut aussi vous aider" in texts(jobs)

    await answer(participant, text="/menu")
    await answer(participant, press="🎉 J'ai trouvé un emploi !")
    await answer(participant, text="Vlaamse Verpakking")
    done = await answer(participant, press="📅 La semaine prochaine")
    assert "L'équipe du projet a reçu la nouvelle" in texts(done)
    assert "trouvé un emploi" in await inbox(lies, "trouvé un emploi")
