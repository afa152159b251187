"""Deep links: a counsellor's referral link and an imported participant's invite."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Participant
from bot.services.participants import invites
from tests.helpers import buttons, holds, say, texts
from tests.helpers.chat import answer


async def test_a_wrong_referral_code_says_so_and_registration_goes_on(bot_app, participant):
    await participant.send_text("/start ref_doesnotexist")
    replies = await participant.replies()
    assert say("referral-invalid") in texts(replies)
    assert buttons(replies) == [say("lang-button-fr"), say("lang-button-nl")]


async def make_imported(sessionmaker, expires_in_days: int = 30) -> str:
    async with sessionmaker() as session:
        record = Participant(
            external_id="LRT-0042",
            first_name="Nadia",
            territory="FM",
            occupations=[],
            availability=[],
            max_commute_km=30,
            alert_mode="daily",
            status="followed",
        )
        session.add(record)
        await session.flush()
        now = utcnow() - timedelta(days=30 - expires_in_days)
        invite = await invites.create_invite(session, record, now=now)
        await session.commit()
        return invite.token


async def test_an_invite_ties_the_account_to_the_imported_record(
    bot_app, participant, sessionmaker
):
    token = await make_imported(sessionmaker)
    await participant.send_text(f"/start inv_{token}")
    assert say("invite-linked") in texts(await participant.replies())
    await answer(participant, press=say("lang-button-fr"))
    after_consent = await answer(participant, press=say("reg-consent-yes"))
    # The territory came with the record: the next question is about occupations.
    assert holds(texts(after_consent), "reg-occupations", chosen=...)

    async with sessionmaker() as session:
        records = (await session.scalars(select(Participant))).all()
    assert len(records) == 1 and records[0].external_id == "LRT-0042"
    assert records[0].user_id is not None


async def test_an_invite_works_once(bot_app, participant, sandbox, sessionmaker):
    token = await make_imported(sessionmaker)
    await participant.send_text(f"/start inv_{token}")
    await participant.replies()
    other = sandbox.user(1002, "Eve")
    await other.send_text(f"/start inv_{token}")
    assert say("referral-invalid") in texts(await other.replies())


async def test_an_expired_invite_is_refused(bot_app, participant, sessionmaker):
    token = await make_imported(sessionmaker, expires_in_days=-1)
    await participant.send_text(f"/start inv_{token}")
    assert say("referral-invalid") in texts(await participant.replies())
