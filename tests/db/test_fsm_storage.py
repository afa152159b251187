"""Conversation state lives in the database: a new storage object (a restart) sees it."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import func, select

from bot.db.fsm_storage import SqlStorage
from bot.db.models import FsmRecord

KEY = StorageKey(bot_id=1, chat_id=1001, user_id=1001)


async def test_state_and_data_survive_a_new_storage_instance(sessionmaker) -> None:
    before_restart = SqlStorage(sessionmaker)
    await before_restart.set_state(KEY, "Registration:territory")
    await before_restart.set_data(KEY, {"occupations": ["cariste"], "step": 2})

    after_restart = SqlStorage(sessionmaker)
    assert await after_restart.get_state(KEY) == "Registration:territory"
    assert await after_restart.get_data(KEY) == {"occupations": ["cariste"], "step": 2}


async def test_keys_with_another_destiny_are_separate(sessionmaker) -> None:
    storage = SqlStorage(sessionmaker)
    dialog_key = StorageKey(bot_id=1, chat_id=1001, user_id=1001, destiny="aiogd:stack:")
    await storage.set_data(dialog_key, {"intents": ["a"]})
    assert await storage.get_data(KEY) == {}
    assert await storage.get_data(dialog_key) == {"intents": ["a"]}


async def test_clearing_state_and_data_removes_the_row(sessionmaker, session) -> None:
    storage = SqlStorage(sessionmaker)
    await storage.set_state(KEY, "Flow:step")
    await storage.update_data(KEY, {"a": 1})
    await storage.set_state(KEY, None)
    assert await storage.get_data(KEY) == {"a": 1}
    await storage.set_data(KEY, {})
    assert await storage.get_state(KEY) is None
    assert await session.scalar(select(func.count()).select_from(FsmRecord)) == 0
