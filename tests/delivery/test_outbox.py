"""Producers enqueue messages that matter; the sender delivers them in the reader's language."""

from __future__ import annotations

from bot.db.models import OutboxStatus
from bot.delivery import outbox
from bot.delivery.outbox import OutButton, OutFile
from bot.services.participants import accounts as users
from tests.helpers.outbox import bot_messages, rows


async def test_enqueuing_the_same_key_twice_keeps_one_message(session, sessionmaker):
    assert await outbox.enqueue(session, chat_id=1, dedupe_key="alert:1:7", key="help")
    assert not await outbox.enqueue(session, chat_id=1, dedupe_key="alert:1:7", key="about")
    await session.commit()
    [row] = await rows(sessionmaker)
    assert row.payload["key"] == "help"


async def test_nothing_is_enqueued_when_the_producer_rolls_back(session, sessionmaker):
    await outbox.enqueue(session, chat_id=1, dedupe_key="booking:1", key="help")
    await session.rollback()
    assert await rows(sessionmaker) == []


async def test_message_is_sent_in_the_recipients_language_with_buttons(
    session, sessionmaker, sender, sandbox, meet
):
    await meet(501, "nl")
    user = await users.get_or_create_user(session, 501)
    await users.set_locale(session, user, "nl")
    await outbox.enqueue(
        session,
        chat_id=501,
        dedupe_key="menu:501",
        key="welcome-back",
        variables={"name": "Jan"},
        buttons=[[OutButton(key="menu-help", callback_data="menu:help")]],
    )
    await session.commit()

    assert await sender.send_due() == 1

    [message] = [m for m in sandbox.chat_messages(501) if m.from_bot]
    assert message.text == "Hallo Jan! Fijn u terug te zien."
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.SENT
    assert row.telegram_message_id == message.message_id


async def test_a_document_arrives_with_its_bytes_and_caption(session, sender, sandbox, meet):
    await meet(502)
    await outbox.enqueue(
        session,
        chat_id=502,
        dedupe_key="ics:502",
        key="help",
        file=OutFile("session.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
    )
    await session.commit()
    await sender.send_due()
    [message] = [m for m in sandbox.chat_messages(502) if m.from_bot]
    assert message.media.filename == "session.ics"
    assert message.media.content == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert message.caption.startswith("Comment m'utiliser")


async def test_a_cancelled_message_is_never_sent(session, sessionmaker, sender, sandbox, meet):
    await meet(503)
    await outbox.enqueue(session, chat_id=503, dedupe_key="reminder:s1:503:1d", key="help")
    await outbox.enqueue(session, chat_id=503, dedupe_key="reminder:s1:503:1h", key="help")
    await outbox.enqueue(session, chat_id=503, dedupe_key="reminder:s2:503:1h", key="help")
    await session.commit()
    assert await outbox.cancel_prefix(session, "reminder:s1:") == 2
    await session.commit()

    assert await sender.send_due() == 1
    assert [r.status for r in await rows(sessionmaker)] == ["cancelled", "cancelled", "sent"]
    assert len(bot_messages(sandbox, 503)) == 1


async def test_cancel_leaves_sent_messages_alone(session, sender, meet):
    await meet(505)
    await outbox.enqueue(session, chat_id=505, dedupe_key="done:505", key="help")
    await session.commit()
    await sender.send_due()
    assert not await outbox.cancel(session, "done:505")
