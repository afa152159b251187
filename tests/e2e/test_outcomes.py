"""A participant announces a job and their counsellor confirms it; a counsellor records a
training; staff get the programme report as a table and a chart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Outcome, Participant, Role, Staff
from tests.helpers import texts
from tests.services.test_alerts import add_person


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

    await participant.press("🎉 J'ai trouvé un emploi !")
    assert "Chez quel employeur" in texts(await participant.replies())
    await participant.send_text("x")
    assert "de 2 à 120 caractères" in texts(await participant.replies())
    await participant.send_text("Vlaamse Verpakking")
    assert "Quand commencez-vous" in texts(await participant.replies())
    await participant.send_text("le 40 janvier")
    assert "Je n'ai pas compris cette date" in texts(await participant.replies())
    await participant.press("📅 La semaine prochaine")
    assert "votre conseiller a reçu la nouvelle" in texts(await participant.replies()).lower()

    [report] = [m for m in await karim.replies(timeout=15) if "trouvé un emploi" in (m.text or "")]
    assert "Person1" in report.text and "Vlaamse Verpakking" in report.text
    assert report.button_texts() == ["✅ Confirmer", "✏️ Corriger"]
    await karim.press("✅ Confirmer", message_id=report.message_id)
    assert "✅ Confirmé : Person1 · P1, en emploi à partir du" in texts(await karim.replies())

    person = await participant_of(sessionmaker, amelie)
    assert (person.status, person.employer) == ("job", "Vlaamse Verpakking")
    told = texts(await participant.replies(timeout=15))
    assert "Votre conseiller a confirmé votre nouvel emploi" in told


async def test_a_counsellor_records_an_ibo_training_step_by_step(
    bot_app, participant, karim, sessionmaker
) -> None:
    _, nadia = await seed(sessionmaker, participant, karim)

    await karim.send_text("/outcome")
    assert "De qui s'agit-il" in texts(await karim.replies())
    await karim.send_text("zoé")
    assert "Personne de votre territoire ne correspond" in texts(await karim.replies())
    await karim.send_text("nad")
    [listing] = await karim.replies()
    assert listing.button_texts() == ["Nadia · P2", "✖️ Annuler"]
    await karim.press("Nadia · P2")
    assert "aujourd'hui : suivi(e)" in texts(await karim.replies())
    await karim.press("💼 Un emploi")
    assert "Chez quel employeur" in texts(await karim.replies())
    await karim.press("◀️ Retour")
    await karim.replies()
    await karim.press("🎓 Une formation")
    assert "Quelle formation" in texts(await karim.replies())
    await karim.press("IBO")
    await karim.replies()
    await karim.send_text("31/02")
    assert "Je n'ai pas compris cette date" in texts(await karim.replies())
    await karim.press("📅 Aujourd'hui")
    summary = texts(await karim.replies())
    assert "Formation « IBO »" in summary and "On enregistre ?" in summary
    await karim.press("✅ Enregistrer")
    assert "Nadia · P2 est maintenant : en formation" in texts(await karim.replies())

    assert (await participant_of(sessionmaker, nadia)).status == "training"
    async with sessionmaker() as session:
        outcome = await session.scalar(select(Outcome))
        assert (outcome.kind, outcome.training, outcome.confirmed_by) == ("training", "IBO", 1)


async def test_the_report_comes_as_a_table_and_a_chart(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    await karim.send_text("/report")
    assert "Quelle période" in texts(await karim.replies())
    await karim.press("Ce mois-ci")
    # The chart is drawn in a worker thread: on a busy machine it comes seconds after the table.
    replies = await karim.replies_until(lambda m: m.photo is not None, timeout=30)
    [table] = [m for m in replies if m.text and "Rapport du programme" in m.text]
    assert "Indicateur" in table.text and "Suivis" in table.text
    [chart] = [m for m in replies if m.photo is not None]
    assert chart.photo.content.startswith(b"\x89PNG")
    assert "Suivis et en emploi par territoire" in chart.caption


async def test_participants_cannot_record_outcomes_or_read_the_report(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    for command in ("/outcome", "/report"):
        await participant.send_text(command)
        replies = texts(await participant.replies())
        assert "De qui s'agit-il" not in replies and "Quelle période" not in replies


async def test_someone_not_registered_is_asked_to_register_first(bot_app, participant) -> None:
    await participant.send_text("/start")
    await participant.replies()
    await participant.press_data("menu:found_job")
    assert "inscrivez-vous d'abord" in texts(await participant.replies())


async def test_a_flow_started_since_gets_what_is_typed_not_the_unfinished_outcome(
    bot_app, participant, karim, sessionmaker
) -> None:
    await seed(sessionmaker, participant, karim)
    await karim.send_text("/outcome")
    await karim.replies()
    await karim.send_text("/vacancy")
    await karim.replies()
    await karim.press("🇫🇷 Français")
    assert "intitulé du poste" in texts(await karim.replies())
    await karim.send_text("Cariste de nuit")
    assert "Quel est l'employeur ?" in texts(await karim.replies())
