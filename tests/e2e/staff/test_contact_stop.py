"""A participant who is reached by SMS tells their counsellor on the phone: "stop sending me
SMS". The counsellor records it from the lead card; nothing more goes by SMS. A counsellor
of another territory cannot; the coordinator can. The cards say how each person is reached."""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Participant
from bot.services.staff import members as staff_service
from bot.services.vacancies import alerts
from tests.helpers import say
from tests.helpers.chat import inbox, staff_member
from tests.helpers.people import add_person
from tests.helpers.vacancies import add_vacancy

KARIM, INES, CLAIRE = 9100, 9300, 9400  # CET of LRT, CET of FM, coordinator


async def seed(sessionmaker, *, email: bool = False) -> tuple[int, dict]:
    """Lille's participant, on Telegram, who agreed to SMS (and e-mails); Karim follows them."""
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
        person = await add_person(session, 1, telegram_id=1001, counsellor=team[KARIM])
        person.phone, person.phone_consent_at = "+33612345678", utcnow()
        if email:
            person.email, person.email_consent_at = "nadia@example.fr", utcnow()
        await session.commit()
        return person.id, {k: v.id for k, v in team.items()}


async def stored(sessionmaker) -> Participant:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


async def lead_for(sessionmaker) -> None:
    """The person says they are interested in a vacancy: Karim gets the lead."""
    async with sessionmaker() as session:
        person = await session.scalar(select(Participant))
        vacancy = await add_vacancy(session, 1)
        await alerts.express_interest(session, person, vacancy, utcnow())
        await session.commit()


async def test_the_counsellor_records_a_stop_said_on_the_phone_from_the_lead(
    bot_app, sandbox, sessionmaker
):
    await seed(sessionmaker, email=True)
    karim = await staff_member(sandbox, KARIM, "Karim")
    await lead_for(sessionmaker)
    await inbox(karim, "Piste")
    [lead] = [m for m in await karim.messages() if "Piste" in (m.text or "")]
    assert say("reach-telegram") in lead.text
    assert say("lead-stop-sms") in lead.button_texts()
    assert say("lead-stop-email") in lead.button_texts()

    await karim.press(say("lead-stop-sms"), message_id=lead.message_id)
    await inbox(karim, say("staff-stopped-sms", label="Person1 · P1"))
    person = await stored(sessionmaker)
    assert person.sms_stopped_at is not None
    assert person.email_stopped_at is None and person.phone == "+33612345678"

    await karim.press(say("lead-stop-sms"), message_id=lead.message_id)
    await inbox(karim, say("staff-stopped-already"))
    assert (await stored(sessionmaker)).sms_stopped_at == person.sms_stopped_at


async def test_a_counsellor_of_another_territory_cannot_stop_and_a_coordinator_can(
    bot_app, sandbox, sessionmaker, caplog
):
    person_id, team = await seed(sessionmaker)
    ines = await staff_member(sandbox, INES, "Inès")
    with caplog.at_level(logging.WARNING, logger="bot.services.staff.rights"):
        home = (await ines.messages())[-1].message_id
        query = await ines.press_data(f"cstop:sms:{person_id}", message_id=home)
        answer = await ines.wait_callback_answer(query)
    assert answer.text == say("rights-refused")
    assert (await stored(sessionmaker)).sms_stopped_at is None
    [line] = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert line == f"rights: staff {team[INES]} refused contact-stop on {person_id}"
    assert "+33" not in caplog.text

    claire = await staff_member(sandbox, CLAIRE, "Claire")
    home = (await claire.messages())[-1].message_id
    await claire.press_data(f"cstop:sms:{person_id}", message_id=home)
    await inbox(claire, say("staff-stopped-sms", label="Person1 · P1"))
    assert (await stored(sessionmaker)).sms_stopped_at is not None
