"""Copy rows: a message someone sent the bot, relayed to another chat by the outbox (a
counsellor's answer, a participant's question), with what makes them safe to retry."""

from __future__ import annotations

from bot.db.models import OutboxStatus
from bot.delivery import outbox
from bot.delivery.outbox import Header, IfFailed, OutButton, undelivered
from bot.services.desk.keys import relayed
from bot.services.participants.keys import about_person
from tests.helpers.outbox import bot_messages, rows

KARIM, AMELIE = 960, 961


async def answer_from_karim(meet, text: str = "Je regarde votre contrat.") -> int:
    """Karim writes to the bot (the message to relay); returns its message id."""
    karim = await meet(KARIM)
    return (await karim.send_text(text)).message_id


async def queue_copy(sessionmaker, message_id: int, **extra) -> None:
    async with sessionmaker() as session:
        await outbox.enqueue_copy(
            session,
            chat_id=AMELIE,
            dedupe_key=relayed(1, "staff7", message_id, "participant"),
            from_chat_id=KARIM,
            message_id=message_id,
            header=Header("esc-answer-header", {"name": "Karim"}),
            if_failed=IfFailed(chat_id=KARIM, key="esc-not-delivered", reply_to=message_id),
            **extra,
        )
        await session.commit()


async def test_a_copy_arrives_under_its_header_in_the_readers_language(
    sessionmaker, sender, sandbox, meet
):
    await meet(AMELIE)
    message_id = await answer_from_karim(meet)
    await queue_copy(sessionmaker, message_id)
    await sender.send_due()
    header, copy = bot_messages(sandbox, AMELIE)
    assert header.text == "💬 Votre conseiller Karim :"
    assert copy.text == "Je regarde votre contrat."
    [row] = await rows(sessionmaker)
    assert (row.status, row.telegram_message_id) == (OutboxStatus.SENT, copy.message_id)


async def test_a_copy_carries_its_buttons(sessionmaker, sender, sandbox, meet):
    await meet(AMELIE)
    message_id = await answer_from_karim(meet)
    await queue_copy(
        sessionmaker, message_id, buttons=[[OutButton(key="menu-help", callback_data="menu:help")]]
    )
    await sender.send_due()
    copy = bot_messages(sandbox, AMELIE)[-1]
    [[button]] = copy.reply_markup["inline_keyboard"]
    assert button["callback_data"] == "menu:help"


async def test_a_copy_tried_again_after_an_outage_does_not_repeat_its_header(
    sessionmaker, sender, sandbox, now, meet
):
    await meet(AMELIE)
    message_id = await answer_from_karim(meet)
    await queue_copy(sessionmaker, message_id)
    sandbox.inject_failure("copyMessage", status=502, html=True)
    await sender.send_due()
    [row] = await rows(sessionmaker)
    assert row.status == OutboxStatus.PENDING
    now.advance(60)
    await sender.send_due()
    assert [m.text for m in bot_messages(sandbox, AMELIE)] == [
        "💬 Votre conseiller Karim :",
        "Je regarde votre contrat.",
    ]


async def test_the_same_message_relayed_twice_is_copied_once(sessionmaker, sender, sandbox, meet):
    await meet(AMELIE)
    message_id = await answer_from_karim(meet)
    await queue_copy(sessionmaker, message_id)
    await queue_copy(sessionmaker, message_id)  # the update handled again after a crash
    await sender.send_due()
    assert len(bot_messages(sandbox, AMELIE)) == 2  # the header and the copy


async def test_a_deleted_message_fails_with_its_reason_and_the_writer_is_told(
    sessionmaker, sender, sandbox, meet
):
    await meet(AMELIE)
    message_id = await answer_from_karim(meet)
    sandbox.state.messages[KARIM][message_id].deleted = True
    await queue_copy(sessionmaker, message_id)
    await sender.send_due()
    await sender.send_due()  # the notice, queued with the failure

    copy, notice = await rows(sessionmaker)
    assert (copy.status, copy.error) == (
        OutboxStatus.FAILED,
        "Bad Request: message to copy not found",
    )
    assert notice.dedupe_key == undelivered(copy.dedupe_key)
    [told] = bot_messages(sandbox, KARIM)[-1:]
    assert told.text.startswith("⚠️ Pas remis")
    assert told.reply_to is None  # under the message, were it still there


def test_a_relayed_messages_key_holds_ids_only_and_belongs_to_the_person() -> None:
    key = relayed(12, "staff3", 845, "participant")
    assert key.startswith(about_person(12))  # erasing the person drops it unsent
    assert relayed(12, "desk", 845, "participant") != key
    assert relayed(12, "staff3", 845, "desk") != key
    for wrong in ("Karim", "9100:1"):
        try:
            relayed(12, wrong, 845, "desk")
        except ValueError:
            continue
        raise AssertionError(f"{wrong!r} accepted")
