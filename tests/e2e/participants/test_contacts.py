"""A participant gives the bot a mobile number and an e-mail address in /profile, agrees to be
written to there with a button, picks what comes first, says STOP, removes them; /mydata
shows them and /delete erases them."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import OutboxMessage, Participant, User
from bot.delivery import outbox
from bot.delivery.channels import contact_of, reached_by
from tests.helpers import buttons, say, texts
from tests.helpers.chat import SECRET_NAME, answer, inbox, register_in_french


async def saved(sessionmaker) -> Participant:
    async with sessionmaker() as session:
        return await session.scalar(select(Participant))


async def open_contacts(participant) -> list:
    await answer(participant, text="/profile")
    return await answer(participant, press=say("profile-edit-contacts"))


async def give_phone(participant, typed: str = "06 12 34 56 78") -> list:
    await answer(participant, press=say("contacts-button-phone"))
    consent = await answer(participant, text=typed)
    assert say("contacts-phone-consent", phone="+33612345678") in texts(consent)
    return await answer(participant, press=say("contacts-phone-yes"))


async def test_a_phone_typed_the_french_way_is_kept_with_the_consent_and_used_for_sms(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    menu = await open_contacts(participant)
    assert say("contacts-title") in texts(menu)
    assert say("contacts-phone-line-none") in texts(menu)
    ask = await answer(participant, press=say("contacts-button-phone"))
    assert say("contacts-phone-ask", example="06 12 34 56 78") in texts(ask)

    # A landline, then a slip: each time why, and an example; nothing is kept.
    refused = await answer(participant, text="03 20 12 34 56")
    assert say("contacts-phone-landline", example="06 12 34 56 78") in texts(refused)
    refused = await answer(participant, text="06 12 34")
    assert say("contacts-phone-invalid", example="06 12 34 56 78") in texts(refused)
    assert (await saved(sessionmaker)).phone is None

    consent = await answer(participant, text="06.12.34.56.78")
    assert say("contacts-phone-yes") in buttons(consent)
    assert say("button-back") in buttons(consent)
    menu = await answer(participant, press=say("contacts-phone-yes"))
    assert say("contacts-saved-sms") in texts(menu)
    assert "+33612345678" in texts(menu)

    person = await saved(sessionmaker)
    assert person.phone == "+33612345678" and person.phone_consent_at is not None
    assert person.sms_stopped_at is None
    # On Telegram first by default; SMS when Telegram cannot reach her.
    assert reached_by(contact_of(person, None)) == "sms"


async def test_saying_no_to_sms_keeps_nothing_and_back_goes_one_step_at_a_time(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    await open_contacts(participant)
    await answer(participant, press=say("contacts-button-phone"))
    await answer(participant, text="06 12 34 56 78")
    again = await answer(participant, press=say("button-back"))
    assert say("contacts-phone-ask", example="06 12 34 56 78") in texts(again)
    await answer(participant, text="06 12 34 56 78")
    menu = await answer(participant, press=say("contacts-no"))
    assert say("contacts-not-saved") in texts(menu)
    assert (await saved(sessionmaker)).phone is None
    card = await answer(participant, press=say("button-back"))
    assert say("profile-title") in texts(card)


async def test_an_email_then_email_first_then_stop_sms_then_remove(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    await open_contacts(participant)
    await give_phone(participant)
    await answer(participant, press=say("contacts-button-email"))
    refused = await answer(participant, text="zoelie@exemple")
    assert say("contacts-email-invalid") in texts(refused)
    consent = await answer(participant, text="Zoelie@Exemple.FR")
    assert say("contacts-email-consent", email="Zoelie@exemple.fr") in texts(consent)
    menu = await answer(participant, press=say("contacts-email-yes"))
    assert say("contacts-saved-email") in texts(menu)

    await answer(participant, press=say("contacts-button-order"))
    menu = await answer(participant, press=say("contacts-first-email"))
    assert say("contacts-order-saved", first=say("channel-email")) in texts(menu)
    person = await saved(sessionmaker)
    assert person.channels == ["email", "telegram", "sms"]
    async with sessionmaker() as session:
        user = await session.get(User, person.user_id)
    assert reached_by(contact_of(person, user)) == "email"

    menu = await answer(participant, press=say("contacts-button-stop-sms"))
    assert say("contacts-stopped-sms") in texts(menu)
    assert say("contacts-button-stop-sms") not in buttons(menu)
    person = await saved(sessionmaker)
    assert person.sms_stopped_at is not None and person.phone == "+33612345678"

    # Giving the number again is a new consent: the stop is lifted.
    await give_phone(participant)
    assert (await saved(sessionmaker)).sms_stopped_at is None

    menu = await answer(participant, press=say("contacts-button-remove-email"))
    assert say("contacts-removed-email") in texts(menu)
    person = await saved(sessionmaker)
    assert (person.email, person.email_consent_at) == (None, None)


async def test_a_dutch_speaker_in_wallonia_gets_the_belgian_example(
    bot_app, participant, sessionmaker
):
    await register_in_french(participant)
    async with sessionmaker() as session:
        person = await session.scalar(select(Participant))
        person.territory = "WAPI"
        user = await session.get(User, person.user_id)
        user.locale = "nl"
        await session.commit()
    await answer(participant, text="/profile")
    await answer(participant, press=say("profile-edit-contacts", "nl"))
    ask = await answer(participant, press=say("contacts-button-phone", "nl"))
    assert say("contacts-phone-ask", "nl", example="0470 12 34 56") in texts(ask)
    refused = await answer(participant, text="+44 7911 123456")
    assert say("contacts-phone-abroad", "nl", example="0470 12 34 56") in texts(refused)
    consent = await answer(participant, text="0470/12.34.56")
    assert say("contacts-phone-consent", "nl", phone="+32470123456") in texts(consent)


async def test_mydata_shows_the_contacts_and_delete_erases_them(bot_app, participant, sessionmaker):
    await register_in_french(participant)
    await open_contacts(participant)
    await give_phone(participant)
    await answer(participant, press=say("contacts-button-email"))
    await answer(participant, text="zoelie@exemple.fr")
    await answer(participant, press=say("contacts-email-yes"))
    await answer(participant, press=say("contacts-button-stop-email"))

    await participant.send_text("/mydata")
    [message] = [m for m in await participant.replies() if m.document]
    contacts = json.loads(message.document.content)["participant"]["contacts"]
    assert contacts["phone"] == "+33612345678" and contacts["email"] == "zoelie@exemple.fr"
    assert contacts["phone_consent_at"] and contacts["email_consent_at"]
    assert contacts["email_stopped_at"] and contacts["sms_stopped_at"] is None
    assert contacts["channels"] == ["telegram", "sms", "email"]

    # An SMS already sent to her (it counts in the report), and a reminder still to send.
    async with sessionmaker() as session:
        person = await session.scalar(select(Participant))
        session.add(
            OutboxMessage(
                participant_id=person.id,
                kind="text",
                payload={"key": "welcome-back", "vars": {"name": SECRET_NAME}},
                status="sent",
                channel="sms",
                segments=1,
                provider_ref="sms-ref-1",
                dedupe_key="test:sent",
            )
        )
        await outbox.enqueue(
            session,
            chat_id=None,
            participant_id=person.id,
            dedupe_key="test:pending",
            key="welcome-back",
            variables={"name": SECRET_NAME},
            not_before=utcnow() + timedelta(days=3),
        )
        await session.commit()

    await participant.send_text("/delete")
    await participant.replies()
    await participant.press(say("delete-yes"))
    await inbox(participant, say("delete-done"))
    person = await saved(sessionmaker)
    assert (person.phone, person.phone_consent_at, person.sms_stopped_at) == (None, None, None)
    assert (person.email, person.email_consent_at, person.email_stopped_at) == (None, None, None)
    assert person.locale is None
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    assert [row.dedupe_key for row in rows if row.dedupe_key.startswith("test:")] == ["test:sent"]
    [kept] = [row for row in rows if row.dedupe_key == "test:sent"]
    assert (kept.participant_id, kept.provider_ref, kept.payload) == (
        None,
        None,
        {"key": "welcome-back"},
    )
    assert (kept.channel, kept.segments) == ("sms", 1)  # still counted, anonymously
