"""The SQLite backend (the default): one aiosqlite connection, migrated with PRAGMA user_version.

One process per SQLite file is the rule (``shared`` is False): named locks are asyncio locks of this
database object, and notifications reach no one (there is no other process to tell)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.database import Dialect, Heard, Migration, migrations, too_new

log = logging.getLogger(__name__)


class SqliteDatabase:
    """The bot's one SQLite connection, with its writer lock (its own state, gone with it)."""

    dialect: Dialect = "sqlite"
    shared = False

    def __init__(self, conn: aiosqlite.Connection) -> None:
        conn.row_factory = aiosqlite.Row
        self.raw = conn  # the aiosqlite connection, for what only SQLite has (PRAGMA, FTS5 commands)
        # Every repository shares the one connection, and SQLite has one transaction per connection:
        # without this lock a command's transaction begun while the library stores a chunk would fail
        # with "cannot start a transaction within a transaction". Transactions take turns.
        self.writer = asyncio.Lock()
        self._locks: dict[str, asyncio.Lock] = {}  # named locks (try_lock, lock)

    @classmethod
    async def open(cls, path: str | Path) -> SqliteDatabase:
        """Open (creating folders as needed) with WAL, foreign keys and a busy timeout, then migrate."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = cls(await aiosqlite.connect(path, isolation_level=None))
        try:
            await db.execute("PRAGMA busy_timeout = 10000")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.raw.execute(sql, tuple(params))

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        await self.raw.executemany(sql, rows)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """A write transaction (BEGIN IMMEDIATE; COMMIT, or ROLLBACK on any error or cancellation)."""
        async with self.writer:
            await self.raw.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self.raw.execute("ROLLBACK")
                raise
            else:
                await self.raw.execute("COMMIT")

    async def schema_version(self) -> int:
        async with self.raw.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, target: int | None = None, found: list[Migration] | None = None) -> int:
        """Apply pending migrations, all in one transaction; returns the schema version reached."""
        known = migrations(self.dialect) if found is None else found
        pending = [m for m in known if target is None or m.version <= target]
        await self.raw.execute("BEGIN IMMEDIATE")
        try:
            current = await self.schema_version()
            if current > len(known):
                raise too_new(current, len(known))
            applied = [m for m in pending if m.version > current]
            for m in applied:
                log.info("applying migration %s", m.name)
                for statement in statements(m.sql):
                    await self.raw.execute(statement)
            reached = applied[-1].version if applied else current
            await self.raw.execute(f"PRAGMA user_version = {reached:d}")
            await self.raw.execute("COMMIT")
        except BaseException:
            await self.raw.execute("ROLLBACK")
            raise
        return reached

    async def try_lock(self, name: str) -> SqliteLock | None:
        """The named lock if it is free (never waits)."""
        lock = self._locks.setdefault(name, asyncio.Lock())
        if lock.locked():
            return None
        await lock.acquire()  # free: taken at once
        return SqliteLock(name, lock)

    @contextlib.asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[SqliteLock]:
        """The named lock, waited for, released at the end of the block."""
        lock = self._locks.setdefault(name, asyncio.Lock())
        await lock.acquire()
        held = SqliteLock(name, lock)
        try:
            yield held
        finally:
            await held.release()

    async def notify(self, channel: str, payload: str) -> None:
        """Nothing to do: no other process uses this file."""

    async def listen(self, channel: str, callback: Heard) -> SqliteListener:
        """Nothing is ever heard: no other process uses this file."""
        return SqliteListener()

    async def close(self) -> None:
        await self.raw.close()


class SqliteLock:
    """A named lock of one SqliteDatabase (an asyncio lock)."""

    def __init__(self, name: str, lock: asyncio.Lock) -> None:
        self.name = name
        self._lock: asyncio.Lock | None = lock

    @property
    def held(self) -> bool:
        return self._lock is not None

    async def check(self) -> bool:
        return self.held

    async def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()


class SqliteListener:
    async def close(self) -> None:
        return None


def statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3's executescript would commit the transaction)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if buf.strip() and sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
