"""Logs carry ids, never what people wrote or their names."""

from __future__ import annotations

import logging

from tests.helpers import say, texts


async def test_a_conversation_leaves_no_name_or_text_in_the_logs(bot_app, participant, caplog):
    caplog.set_level(logging.INFO)
    await participant.send_text("/start")
    await participant.replies()
    await participant.press(say("lang-button-fr"))
    await participant.replies()
    await participant.send_text("je m'appelle Amélie Dupont, 12 rue des Lilas")
    assert say("flow-use-buttons") in texts(await participant.replies())

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Amélie" not in logged
    assert "Lilas" not in logged
