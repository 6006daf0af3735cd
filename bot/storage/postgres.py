"""The PostgreSQL backend (BRIEFBOT_DATABASE_URL=postgresql://...): a pool of asyncpg connections.

Statements are written once, with SQLite's ``?`` placeholders; they are numbered for PostgreSQL
(``$1``, ``$2``) once per statement text. A transaction holds one connection of the pool for the
task that opened it (a context variable of this database), so the statements it runs, however deep
in the repositories, go through that connection; outside a transaction each statement borrows a
connection and commits on its own. Unlike SQLite's one connection, transactions run side by side.

The schema version is a one-row table, schema_version; migrations run in one transaction holding an
advisory lock, so processes started together migrate once.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Generator, Iterable, Sequence
from typing import Any

import asyncpg

from bot.storage.database import Dialect, Migration, Row, migrations, redact_url, too_new

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x62726266  # pg_advisory_xact_lock key: "brbf", one migrating process at a time
POOL_SIZE = 10
_RETURNS_ROWS = ("SELECT", "WITH", "VALUES", "SHOW", "TABLE")


@functools.lru_cache(maxsize=2048)
def numbered(sql: str) -> str:
    """``sql`` with each ``?`` placeholder numbered ($1, $2, ...); question marks inside string
    literals, quoted names and comments are left alone."""
    out: list[str] = []
    n = 0
    i = 0
    while i < len(sql):
        c = sql[i]
        if c in "'\"":
            end = sql.find(c, i + 1)
            while end != -1 and end + 1 < len(sql) and sql[end + 1] == c:  # '' inside a literal
                end = sql.find(c, end + 2)
            end = len(sql) if end == -1 else end + 1
            out.append(sql[i:end])
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end == -1 else end
            out.append(sql[i:end])
            i = end
        elif c == "?":
            n += 1
            out.append(f"${n}")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _returns_rows(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in _RETURNS_ROWS or " RETURNING " in sql.upper()


def _rowcount(status: str) -> int:
    """The number of rows a command's status names ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class PgCursor:
    """A statement's rows, all read, and its row count: what aiosqlite's cursor gives the repositories."""

    def __init__(self, rows: Sequence[Row], rowcount: int) -> None:
        self._rows = list(rows)
        self._next = 0
        self.rowcount = rowcount

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Row]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __aiter__(self) -> AsyncIterator[Row]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Row]:
        while (row := await self.fetchone()) is not None:
            yield row


class PgResult:
    """``await db.execute(...)`` or ``async with db.execute(...) as cur``: the statement runs once."""

    def __init__(self, db: PostgresDatabase, sql: str, params: tuple[Any, ...]) -> None:
        self._db, self._sql, self._params = db, sql, params

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._db.run(self._sql, self._params).__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._db.run(self._sql, self._params)

    async def __aexit__(self, *exc: object) -> None:
        return None


class PostgresDatabase:
    dialect: Dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.shown_url = redact_url(url)  # never the password
        # The connection of the transaction open in the current task, if any (see the module's docstring).
        self._tx: contextvars.ContextVar[asyncpg.Connection | None] = contextvars.ContextVar(
            "briefbot_pg_transaction", default=None
        )

    def __repr__(self) -> str:
        return f"<PostgresDatabase {self.shown_url}>"

    @classmethod
    async def open(cls, url: str, *, pool_size: int = POOL_SIZE) -> PostgresDatabase:
        """Connect to the server at ``url`` and migrate its database."""
        db = await cls.open_unmigrated(url, pool_size=pool_size)
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    @classmethod
    async def open_unmigrated(cls, url: str, *, pool_size: int = POOL_SIZE) -> PostgresDatabase:
        """Connect to the server at ``url``, leaving its schema as it is (``open`` migrates it)."""
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=pool_size)
        except (OSError, asyncpg.PostgresError) as e:
            # asyncpg's messages name the host and user, never the password; the address is shown redacted.
            raise ConnectionError(f"cannot connect to PostgreSQL at {redact_url(url)}: {e}") from None
        return cls(pool, url)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> PgResult:
        return PgResult(self, sql, tuple(params))

    async def run(self, sql: str, params: tuple[Any, ...]) -> PgCursor:
        conn = self._tx.get()
        if conn is not None:
            return await _run(conn, sql, params)
        async with self.pool.acquire() as conn:
            return await _run(conn, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        args = [tuple(r) for r in rows]
        if not args:
            return
        conn = self._tx.get()
        if conn is not None:
            await conn.executemany(numbered(sql), args)
            return
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.executemany(numbered(sql), args)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """A transaction on a connection of its own: committed at the end, rolled back on any error
        or cancellation. One opened inside another (the same task) is part of it."""
        if self._tx.get() is not None:
            yield
            return
        async with self.pool.acquire() as conn, conn.transaction():
            token = self._tx.set(conn)
            try:
                yield
            finally:
                self._tx.reset(token)

    async def schema_version(self) -> int:
        async with self.pool.acquire() as conn:
            return await _schema_version(conn)

    async def migrate(self, target: int | None = None, found: list[Migration] | None = None) -> int:
        """Apply pending migrations, all in one transaction; returns the schema version reached."""
        known = migrations(self.dialect) if found is None else found
        pending = [m for m in known if target is None or m.version <= target]
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            current = await _schema_version(conn)
            if current > len(known):
                raise too_new(current, len(known))
            applied = [m for m in pending if m.version > current]
            for m in applied:
                log.info("applying migration %s", m.name)
                if _has_statement(m.sql):  # asyncpg fails on a script of comments only (a placeholder)
                    await conn.execute(m.sql)  # a script of several statements (no parameters)
            reached = applied[-1].version if applied else current
            await conn.execute("DELETE FROM schema_version")
            await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", reached)
        return reached

    async def close(self) -> None:
        await self.pool.close()


def _has_statement(script: str) -> bool:
    """Whether a migration holds anything but comments and blank lines."""
    return any(line.split("--", 1)[0].strip() for line in script.splitlines())


async def _schema_version(conn: asyncpg.Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    value = await conn.fetchval("SELECT MAX(version) FROM schema_version")
    return int(value or 0)


async def _run(conn: asyncpg.Connection, sql: str, params: tuple[Any, ...]) -> PgCursor:
    text = numbered(sql)
    if _returns_rows(sql):
        rows = await conn.fetch(text, *params)
        return PgCursor(rows, len(rows))
    status = await conn.execute(text, *params)
    return PgCursor([], _rowcount(status))
