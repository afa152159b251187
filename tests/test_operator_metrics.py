"""What Prometheus sees: the outbox by status (counted by a clock job on every replica) and
where translations came from (cache, glossary, provider, fallback)."""

from __future__ import annotations

import socket

from prometheus_client import REGISTRY
from sqlalchemy import update

from bot.db.models import OutboxMessage, OutboxStatus
from bot.delivery import outbox
from bot.jobs.metrics import OutboxDepth
from bot.services.translation.providers import LibreProvider
from bot.services.translation.translator import Translator
from tests.stubs.libretranslate import LibreTranslateStub

FAST = {"timeout_s": 3.0, "backoff_s": 0.01, "max_backoff_s": 0.05, "retries": 0}


def depth(status: str) -> float | None:
    return REGISTRY.get_sample_value("enavant_outbox_messages", {"status": status})


def translations(source: str) -> float:
    return REGISTRY.get_sample_value("enavant_translations_total", {"source": source}) or 0.0


async def test_the_outbox_depth_gauge_counts_rows_by_status(sessionmaker) -> None:
    async with sessionmaker() as session:
        for n in range(5):
            await outbox.enqueue(
                session, chat_id=100 + n, dedupe_key=f"depth:{n}", key="fallback-command"
            )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key.in_(["depth:0", "depth:1"]))
            .values(status=OutboxStatus.SENT)
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "depth:2")
            .values(status=OutboxStatus.FAILED)
        )
        await session.commit()

    counts = await OutboxDepth(sessionmaker).count()

    assert counts[OutboxStatus.PENDING] == 2
    assert depth("pending") == 2
    assert depth("sent") == 2
    assert depth("failed") == 1
    assert depth("sending") == 0  # every status is named, at 0 when none
    assert depth("cancelled") == 0


async def test_translations_are_counted_by_where_the_answer_came_from(session) -> None:
    stub = LibreTranslateStub()
    await stub.start()
    try:
        translator = Translator([LibreProvider(stub.url)], **FAST)
        before = {s: translations(s) for s in ("cache", "glossary", "provider", "fallback")}
        text = "Wij zoeken een gemotiveerde collega voor ons team."
        await translator.translate(session, text)  # the provider
        await translator.translate(session, text)  # then the cache
        await translator.translate(session, "Heftruckchauffeur (m/v/x) - Kortrijk")  # glossary
    finally:
        await stub.stop()
    with socket.socket() as sock:  # a port nothing listens on: refused at once
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    await Translator([LibreProvider(refused)], **FAST).translate(session, "Iets anders, graag.")

    after = {s: translations(s) - before[s] for s in before}
    assert after == {"cache": 1, "glossary": 1, "provider": 1, "fallback": 1}
