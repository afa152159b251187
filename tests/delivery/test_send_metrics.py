"""Operators see every sending call by lane and result, and how long it waited: a reply to a
person's /menu counts in the reply lane, outbox rows in the bulk lane, and Telegram's
refusals by kind (429, 403, 4xx, 5xx, network)."""

from __future__ import annotations

from prometheus_client import REGISTRY

from bot.app import create_app
from tests.helpers.outbox import bot_messages, enqueue_many


def sends(lane: str, result: str) -> float:
    return REGISTRY.get_sample_value("enavant_sends_total", {"lane": lane, "result": result}) or 0


def waits(lane: str) -> float:
    value = REGISTRY.get_sample_value("enavant_limiter_wait_seconds_count", {"lane": lane})
    return value or 0


async def test_a_reply_to_a_persons_tap_counts_in_the_reply_lane(settings, meet) -> None:
    app = create_app(settings)
    await app.start(polling_timeout=1)
    try:
        person = await meet(4101)  # /start, answered
        await person.replies()
        before = sends("reply", "ok"), sends("bulk", "ok"), waits("reply")
        await person.send_text("/menu")
        assert await person.replies()
        after = sends("reply", "ok"), sends("bulk", "ok"), waits("reply")
    finally:
        await app.close()
    assert after[0] > before[0]
    assert after[1] == before[1]  # nothing of it counted as bulk
    assert after[2] - before[2] == after[0] - before[0]  # each reply's wait observed


async def test_outbox_rows_count_in_the_bulk_lane_by_result(
    sandbox, sessionmaker, sender, meet
) -> None:
    await meet(4201)
    await enqueue_many(sessionmaker, 4201, 5)
    for status in (429, 500, 400, 403):  # the next four calls, in this order
        sandbox.inject_failure("sendMessage", status)
    results = ("ok", "429", "403", "4xx", "5xx")
    before = {result: sends("bulk", result) for result in results}
    bulk_waits = waits("bulk")

    await sender.send_due()

    delta = {result: sends("bulk", result) - before[result] for result in results}
    assert {result: delta[result] for result in results[1:]} == {
        "429": 1,
        "403": 1,
        "4xx": 1,
        "5xx": 1,
    }
    assert delta["ok"] == len(bot_messages(sandbox, 4201)) > 0
    assert waits("bulk") - bulk_waits == sum(delta.values())
