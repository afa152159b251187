"""The report shows the funders and the team how the people followed are reached (Telegram,
SMS, e-mail, nobody) and what the messages cost: messages sent by channel, SMS segments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from bot.db.models import OutboxMessage, Participant, User
from bot.services.participants.reached import Providers
from bot.services.reports.programme import as_table, build_report, texts

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
CONSENT = datetime(2026, 10, 1, tzinfo=UTC)
_keys = count(1)


def figures(report, code: str) -> dict:
    return next(t for t in report.as_json()["territories"] if t["code"] == code)


async def person(session, territory: str, telegram_id: int | None = None, **contacts):
    user = None
    if telegram_id is not None:
        user = User(telegram_id=telegram_id, locale="fr")
        session.add(user)
        await session.flush()
    participant = Participant(
        territory=territory,
        joined=date(2026, 9, 1),
        user_id=user.id if user else None,
        **contacts,
    )
    session.add(participant)
    await session.flush()
    return participant


def sent(
    *,
    participant_id: int | None = None,
    chat_id: int | None = None,
    channel: str | None = None,
    segments: int | None = None,
    day: int = 10,
    status: str = "sent",
) -> OutboxMessage:
    return OutboxMessage(
        participant_id=participant_id,
        chat_id=chat_id,
        kind="text",
        payload={"key": "x"},
        status=status,
        sent_at=datetime(2026, 11, day, 9, tzinfo=UTC),
        dedupe_key=f"test:{next(_keys)}",
        channel=channel,
        segments=segments,
    )


async def test_people_by_how_they_are_reached_and_messages_by_channel_with_their_cost(session):
    on_telegram = await person(session, "LRT", telegram_id=5001)
    by_sms = await person(session, "LRT", phone="+33612345678", phone_consent_at=CONSENT)
    by_mail = await person(session, "WAPI", email="jan@example.be", email_consent_at=CONSENT)
    stopped = await person(
        session, "WAPI", phone="+32470123456", phone_consent_at=CONSENT, sms_stopped_at=CONSENT
    )
    await person(session, "FM", phone="+33612345679")  # no consent: nobody
    session.add_all(
        [
            sent(chat_id=5001),  # before channels: a Telegram message to her chat
            sent(participant_id=on_telegram.id, chat_id=5001, channel="telegram"),
            sent(participant_id=by_sms.id, channel="sms", segments=2),
            sent(participant_id=by_sms.id, channel="sms", segments=1),
            sent(participant_id=by_sms.id, channel="sms", segments=1, day=2),
            sent(participant_id=by_mail.id, channel="email"),
            sent(channel="sms", segments=1),  # a person erased since: no territory
            sent(chat_id=9001),  # to a counsellor: not counted
            sent(participant_id=by_sms.id, channel="sms", segments=3, day=2, status="pending"),
            sent(participant_id=stopped.id, channel="sms", segments=1, day=5),
        ]
    )
    await session.commit()

    report = await build_report(session, *NOVEMBER, PARIS)
    lrt, wapi, fm = figures(report, "LRT"), figures(report, "WAPI"), figures(report, "FM")
    assert [lrt[f"reached_{how}"] for how in ("telegram", "sms", "email", "nobody")] == [1, 1, 0, 0]
    assert [wapi[f"reached_{how}"] for how in ("telegram", "sms", "email", "nobody")] == [
        0,
        0,
        1,
        1,
    ]
    assert fm["reached_nobody"] == 1
    assert (lrt["sent_telegram"], lrt["sent_sms"], lrt["sms_segments"]) == (2, 3, 4)
    assert (wapi["sent_email"], wapi["sent_sms"], wapi["sms_segments"]) == (1, 1, 1)
    assert figures(report, "—")["sent_sms"] == 1
    totals = report.as_json()["totals"]
    assert (totals["sent_telegram"], totals["sent_sms"], totals["sent_email"]) == (2, 5, 1)
    assert totals["sms_segments"] == 6
    assert "Segments SMS (coût)" in as_table(report, texts("fr"))
    assert "Sms-segmenten (kost)" in as_table(report, texts("nl"))

    # Without an SMS provider, the person with only a phone is reached by nobody.
    report = await build_report(session, *NOVEMBER, PARIS, providers=Providers(sms=False))
    assert (figures(report, "LRT")["reached_sms"], figures(report, "LRT")["reached_nobody"]) == (
        0,
        1,
    )


async def test_a_cet_sees_the_channels_of_their_territory_only(session):
    await person(session, "LRT", phone="+33612345678", phone_consent_at=CONSENT)
    await person(session, "WAPI", phone="+32470123456", phone_consent_at=CONSENT)
    await session.commit()
    report = await build_report(session, *NOVEMBER, PARIS, territories=("LRT",))
    assert report.as_json()["totals"]["reached_sms"] == 1
