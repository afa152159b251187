"""Over a thousand updates nobody planned for (bot/sandbox/fuzz.py), from a registered
participant, a counsellor, a coordinator and two newcomers with odd languages: none reaches
the error handler, every private message and press gets an answer, memory stays bounded,
and group or channel updates change nobody's data (issue 13, point 7)."""

from __future__ import annotations

import gc
import logging
import os
import resource
from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy import func, select

from bot.db.models import FsmRecord, Participant, Staff, User
from bot.sandbox import SandboxLimits, SandboxServer
from bot.sandbox.fuzz import PRESSES, PRIVATE_SENDS, Action, Fuzzer, Observer, cast, plan
from tests.e2e.conftest import TOKEN


@pytest.fixture
def settings(settings):
    # Groups get answers too (until the bot leaves them): not spaced by Telegram's 20 a minute.
    return settings.model_copy(update={"send_group_per_min": 60_000})


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    limits = SandboxLimits(
        global_per_s=1000, per_chat_per_s=100, per_chat_burst=100, group_per_min=60_000
    )
    server = SandboxServer(token=TOKEN, limits=limits)
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


UPDATES = int(os.environ.get("FUZZ_UPDATES", 1_000))
GROUP_KINDS = ("group", "channel_post", "edited_channel_post", "my_chat_member", "chat_member")
# Conversation rows a person may hold: the default stack, a few dialog contexts and stacks.
FSM_ROWS_PER_PERSON = 12
MEMORY_GROWTH_MB = 64
# How long one update may take to finish: roomy, as a loaded 2-CPU CI machine is slow.
FINISH_S = 15.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def failures(fuzzer: Fuzzer, observer: Observer, caplog) -> list[str]:
    report = fuzzer.report
    found = [f"error {name} in update {uid}: {text}" for uid, name, text in observer.errors]
    found += [f"no answer to {uid}: {action} {data}" for action, uid, data in report.unanswered]
    found += [f"update {uid} not finished: {action}" for action, uid in report.unfinished]
    found += [f"logged: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    return found


async def snapshot(sessionmaker) -> list[tuple]:
    """Every participant's row and every non-staff account, as stored. (Staff accounts are
    left to the group policy: a counsellor's /start in a group keeps Telegram's language.)"""
    staff = select(Staff.telegram_id)
    async with sessionmaker() as session:
        participants = await session.execute(select(Participant.__table__))
        users = await session.execute(select(User.__table__).where(User.telegram_id.not_in(staff)))
        return sorted(participants.all(), key=str) + sorted(users.all(), key=str)


async def test_a_thousand_unexpected_updates_all_get_an_answer_and_none_fails(
    bot_app, sandbox, sessionmaker, caplog
) -> None:
    caplog.set_level(logging.ERROR)
    everyone = await cast(sessionmaker, sandbox.url)
    group_id = await everyone[0].create_group("Fuzz", is_forum=False)
    observer = Observer()
    observer.install(bot_app.dispatcher)
    fuzzer = Fuzzer(everyone, observer, group_id)
    actions: Sequence[Action] = plan(int(UPDATES * 1.25), users=len(everyone))

    half = len(actions) // 2
    await fuzzer.run(actions[:half], timeout=FINISH_S)
    gc.collect()
    halfway = peak_rss_mb()
    await fuzzer.run(actions[half:], timeout=FINISH_S)
    gc.collect()

    found = failures(fuzzer, observer, caplog)
    report = fuzzer.report
    assert not found, "\n".join(found)
    assert report.sent >= UPDATES
    for kind in (*PRIVATE_SENDS, *PRESSES, "group"):
        assert report.kinds[kind] > 0, kind
    assert peak_rss_mb() - halfway < MEMORY_GROWTH_MB
    async with sessionmaker() as session:
        rows = await session.scalar(select(func.count()).select_from(FsmRecord))
    assert rows <= FSM_ROWS_PER_PERSON * len(everyone)


async def test_group_and_channel_updates_change_nobodys_data(
    bot_app, sandbox, sessionmaker, caplog
) -> None:
    caplog.set_level(logging.ERROR)
    everyone = await cast(sessionmaker, sandbox.url)
    group_id = await everyone[0].create_group("Fuzz", is_forum=False)
    observer = Observer()
    observer.install(bot_app.dispatcher)
    fuzzer = Fuzzer(everyone, observer, group_id)
    before = await snapshot(sessionmaker)

    actions = [a for a in plan(600, users=len(everyone)) if a.kind in GROUP_KINDS]
    await fuzzer.run(actions, timeout=FINISH_S)

    found = failures(fuzzer, observer, caplog)
    assert not found, "\n".join(found)
    assert fuzzer.report.sent >= 50
    assert await snapshot(sessionmaker) == before
