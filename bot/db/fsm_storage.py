"""aiogram FSM storage on our own database, so a conversation survives a restart.

Each storage key (user, chat, thread, destiny) is one row; aiogram-dialog keeps its dialog
stacks and contexts here too. Rows with neither state nor data are deleted.

Inside an update the storage uses that update's session, so a step's business data and its
conversation state commit together (and SQLite's single writer is never waited for twice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import Row, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.engine import update_session
from bot.db.models import FsmRecord

StateType = str | State | None


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            record = await self._read(session, self._key_builder.build(key))
        return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            record = await self._read(session, self._key_builder.build(key))
        return dict(record.data) if record else {}

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        current = update_session.get()
        if current is not None:
            yield current
            return
        async with self._sessionmaker() as session, session.begin():
            yield session

    @staticmethod
    async def _read(session: AsyncSession, row_key: str) -> Row | None:
        query = select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == row_key)
        return (await session.execute(query)).first()

    async def _write(self, key: StorageKey, **values: Any) -> None:
        row_key = self._key_builder.build(key)
        async with self._session() as session:
            current = await self._read(session, row_key)
            state = values.get("state", current.state if current else None)
            data = values.get("data", current.data if current else {})
            if current is not None and (state, data) == (current.state, current.data):
                return
            if state is None and not data:
                if current is not None:
                    await session.execute(delete(FsmRecord).where(FsmRecord.key == row_key))
                return
            await session.execute(_upsert(session, row_key, state, data))


def _upsert(session: AsyncSession, key: str, state: str | None, data: dict[str, Any]):
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(FsmRecord).values(key=key, state=state, data=data, updated_at=utcnow())
    return statement.on_conflict_do_update(
        index_elements=[FsmRecord.key],
        set_={"state": state, "data": data, "updated_at": utcnow()},
    )
