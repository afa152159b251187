"""Vacancies for people not on Telegram (issue 16): someone imported who agreed to SMS gets
the daily digest as a count by SMS, never a vacancy card; an e-mail carries the cards too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.services.translation.translator import Translator
from bot.services.vacancies import alerts
from tests.helpers.people import PARIS, TUESDAY_10H, add_person
from tests.helpers.vacancies import add_vacancy

CONSENTED = TUESDAY_10H - timedelta(days=30)


async def imported(session, n: int, mode: str, *, phone: bool = False, email: bool = False):
    person = await add_person(session, n, mode=mode, on_telegram=False, consent=False)
    if phone:
        person.phone, person.phone_consent_at = f"+3361234567{n}", CONSENTED
    if email:
        person.email, person.email_consent_at = f"person{n}@example.org", CONSENTED
    await session.flush()
    return person


async def queued(session) -> dict[int, OutboxMessage]:
    rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return {row.participant_id: row for row in rows}


async def test_instant_cards_go_to_e_mail_not_to_sms_only_people(session) -> None:
    by_mail = await imported(session, 1, "instant", email=True)
    await imported(session, 2, "instant", phone=True)  # no card fits an SMS
    await imported(session, 3, "instant")  # no contact agreed to
    await add_vacancy(session, 1)

    assert await alerts.process_vacancies(session, Translator([]), TUESDAY_10H, PARIS) == 1
    [(pid, row)] = (await queued(session)).items()
    assert (pid, row.chat_id, row.payload["key"]) == (by_mail.id, None, "alert-card")


async def test_the_daily_digest_reaches_someone_with_a_phone(session) -> None:
    by_sms = await imported(session, 1, "daily", phone=True)
    stopped = await imported(session, 2, "daily", phone=True)
    stopped.sms_stopped_at = CONSENTED
    await add_vacancy(session, 1)

    assert await alerts.send_digests(session, "daily", TUESDAY_10H, PARIS) == 1
    [(pid, digest)] = (await queued(session)).items()
    assert (pid, digest.chat_id, digest.payload["key"]) == (by_sms.id, None, "digest")
    assert digest.payload["vars"]["count"] == 1  # what `sms-digest` says
