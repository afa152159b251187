"""aiogram FSM storage on our own database, so a conversation survives a restart.

Each storage key (user, chat, thread, destiny) is one row; aiogram-dialog keeps its dialog
stacks and contexts here too. Rows with neither state nor data are deleted.

Inside an update the storage uses that update's session, so a step's business data and its
conversation state commit together (and SQLite's single writer is never waited for twice).

Reads are cached at two levels: per transaction (aiogram and aiogram-dialog ask for the same
keys several times per update) and, when `remember` is set, committed values in this process.
The process cache is only correct when this process is the only one writing conversation
state: true for SQLite (one polling process); several replicas use Redis instead.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from sqlalchemy import delete, event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.engine import update_session, upsert_insert
from bot.db.models import FsmRecord

StateType = str | State | None
Record = tuple[str | None, dict[str, Any]] | None

# session.info keys: this transaction's view of the rows, and what it wrote (with the storage).
_SEEN = "fsm_seen"
_WRITTEN = "fsm_written"


class SqlStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        remember: int = 0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._remember = remember
        self._committed: OrderedDict[str, Record] = OrderedDict()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            record = await self._read(session, self._key_builder.build(key))
        return record[0] if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            record = await self._read(session, self._key_builder.build(key))
        # A deep copy: callers (aiogram-dialog) mutate nested lists in place.
        return copy.deepcopy(record[1]) if record else {}

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

    async def _read(self, session: AsyncSession, row_key: str) -> Record:
        seen = session.info.setdefault(_SEEN, {})
        if row_key in seen:
            return seen[row_key]
        if row_key in self._committed:
            self._committed.move_to_end(row_key)
            seen[row_key] = self._committed[row_key]
            return seen[row_key]
        query = select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == row_key)
        row = (await session.execute(query)).first()
        seen[row_key] = (row.state, copy.deepcopy(row.data)) if row else None
        self._keep(row_key, seen[row_key], overwrite=False)
        return seen[row_key]

    async def _write(self, key: StorageKey, **values: Any) -> None:
        row_key = self._key_builder.build(key)
        async with self._session() as session:
            current = await self._read(session, row_key)
            state = values.get("state", current[0] if current else None)
            data = values.get("data", current[1] if current else {})
            if current is not None and (state, data) == current:
                return
            record: Record = None if state is None and not data else (state, copy.deepcopy(data))
            if record is None:
                if current is None:
                    return
                await session.execute(delete(FsmRecord).where(FsmRecord.key == row_key))
            else:
                await session.execute(_upsert(session, row_key, state, data))
            session.info[_SEEN][row_key] = record
            session.info.setdefault(_WRITTEN, (self, set()))[1].add(row_key)

    def _keep(self, row_key: str, record: Record, *, overwrite: bool) -> None:
        if not self._remember or (not overwrite and row_key in self._committed):
            return
        self._committed[row_key] = record
        self._committed.move_to_end(row_key)
        while len(self._committed) > self._remember:
            self._committed.popitem(last=False)

    def _committed_writes(self, seen: dict[str, Record], keys: set[str]) -> None:
        for row_key in keys:
            self._keep(row_key, seen[row_key], overwrite=True)


@event.listens_for(Session, "after_commit")
def _remember_committed_writes(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if written is not None:
        storage, keys = written
        storage._committed_writes(session.info.get(_SEEN, {}), keys)
    session.info.pop(_SEEN, None)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_writes(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    session.info.pop(_SEEN, None)


def _upsert(session: AsyncSession, key: str, state: str | None, data: dict[str, Any]):
    insert = upsert_insert(session)
    statement = insert(FsmRecord).values(key=key, state=state, data=data, updated_at=utcnow())
    return statement.on_conflict_do_update(
        index_elements=[FsmRecord.key],
        set_={"state": state, "data": data, "updated_at": utcnow()},
    )
