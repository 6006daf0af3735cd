"""The PostgreSQL backend (BRIEFBOT_DATABASE_URL=postgresql://...): a pool of asyncpg connections.

Statements are written once, with SQLite's ``?`` placeholders; they are numbered for PostgreSQL
(``$1``, ``$2``) once per statement text. A transaction holds one connection of the pool for the
task that opened it (a context variable of this database), so the statements it runs, however deep
in the repositories, go through that connection; outside a transaction each statement borrows a
connection and commits on its own. Unlike SQLite's one connection, transactions run side by side.

The schema version is a one-row table, schema_version; migrations run in one transaction holding an
advisory lock, so processes started together migrate once.

Several processes share the database (``shared``). A named lock (``try_lock``, ``lock``) is a session
advisory lock held on a connection of its own, outside the pool (an advisory lock belongs to the
connection that took it, and the pool lends its connections to anyone): released by ``release``, and
by the server as soon as the connection closes, so a process that dies loses its locks with it.
``notify`` is PostgreSQL's NOTIFY, sent through the current transaction if there is one (heard after
it commits); ``listen`` keeps a connection of its own LISTENing, checked every LISTEN_CHECK_SECONDS
and reconnected with a backoff when lost (its callback is then given None: notifications may have
been missed meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Generator, Iterable, Sequence
from typing import Any

import asyncpg

from bot.core.backoff import backoff
from bot.storage.database import Dialect, Heard, Migration, Row, lock_key, migrations, redact_url, too_new

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x62726266  # pg_advisory_xact_lock key: "brbf", one migrating process at a time
POOL_SIZE = 10
_RETURNS_ROWS = ("SELECT", "WITH", "VALUES", "SHOW", "TABLE")
CHECK_TIMEOUT = 10.0  # seconds for a held lock's or a listener's connection to answer SELECT 1
LISTEN_CHECK_SECONDS = 30.0  # how often a quiet listening connection is checked
RECONNECT_BASE = 0.5  # seconds before the first attempt to listen again, doubling up to RECONNECT_CAP
RECONNECT_CAP = 30.0
# What a connection of its own may fail with: the server gone or refusing, the connection closed (a
# backend terminated while idle can leave asyncpg's protocol in a state it reports as an internal error).
_CONNECTION_ERRORS = (
    OSError,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)


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
    shared = True

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.shown_url = redact_url(url)  # never the password
        self._url = url  # for the connections of locks and listeners; never shown
        self._locks: set[PgLock] = set()  # held, released at close
        self._listeners: set[PgListener] = set()
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

    async def connect_alone(self) -> asyncpg.Connection:
        """A connection of its own, outside the pool (for a lock or a listener)."""
        try:
            return await asyncpg.connect(self._url)
        except (OSError, asyncpg.PostgresError) as e:
            raise ConnectionError(f"cannot connect to PostgreSQL at {self.shown_url}: {e}") from None

    async def try_lock(self, name: str) -> PgLock | None:
        """The named lock (a session advisory lock on a connection of its own) if no session holds it."""
        conn = await self.connect_alone()
        try:
            taken = await conn.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(name))
        except BaseException:
            conn.terminate()
            raise
        if not taken:
            await _close(conn)
            return None
        held = PgLock(self, name, conn)
        self._locks.add(held)
        return held

    @contextlib.asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[PgLock]:
        """The named lock, waited for (pg_advisory_lock), released at the end of the block."""
        conn = await self.connect_alone()
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", lock_key(name))
        except BaseException:  # cancelled while waiting: the connection goes, and any lock with it
            conn.terminate()
            raise
        held = PgLock(self, name, conn)
        self._locks.add(held)
        try:
            yield held
        finally:
            await held.release()

    async def notify(self, channel: str, payload: str) -> None:
        """NOTIFY ``channel``: through the current transaction, if any (heard once it commits)."""
        await self.run("SELECT pg_notify(?, ?)", (channel, payload))

    async def listen(self, channel: str, callback: Heard) -> PgListener:
        listener = PgListener(self, channel, callback)
        await listener.start()
        self._listeners.add(listener)
        return listener

    async def close(self) -> None:
        for listener in list(self._listeners):
            await listener.close()
        for held in list(self._locks):
            await held.release()
        await self.pool.close()


class PgLock:
    """A session advisory lock, held on a connection of its own until released or the connection is lost."""

    def __init__(self, db: PostgresDatabase, name: str, conn: asyncpg.Connection) -> None:
        self.name = name
        self._db = db
        self._conn: asyncpg.Connection | None = conn

    def __repr__(self) -> str:
        return f"<PgLock {self.name} {'held' if self.held else 'released'}>"

    @property
    def held(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def check(self) -> bool:
        """Whether the lock's connection still answers (the lock goes with it)."""
        conn = self._conn
        if conn is None or conn.is_closed():
            await self._forget()
            return False
        try:
            await conn.fetchval("SELECT 1", timeout=CHECK_TIMEOUT)
        except _CONNECTION_ERRORS:
            await self._forget()
            return False
        return True

    async def release(self) -> None:
        conn = self._conn
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await conn.execute("SELECT pg_advisory_unlock($1)", lock_key(self.name), timeout=CHECK_TIMEOUT)
        await self._forget()

    async def _forget(self) -> None:
        conn, self._conn = self._conn, None
        self._db._locks.discard(self)
        if conn is not None:
            await _close(conn)


class PgListener:
    """LISTEN on a connection of its own, kept up: checked while quiet, reconnected when lost."""

    def __init__(self, db: PostgresDatabase, channel: str, callback: Heard) -> None:
        self._db = db
        self.channel = channel
        self._callback = callback
        self._conn: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name=f"briefbot-listen-{self.channel}")

    async def close(self) -> None:
        self._db._listeners.discard(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        conn, self._conn = self._conn, None
        if conn is not None:
            await _close(conn)

    async def _connect(self) -> None:
        conn = await self._db.connect_alone()
        try:
            conn.add_termination_listener(self._terminated)
            await conn.add_listener(self.channel, self._heard)
        except BaseException:
            conn.terminate()
            raise
        self._lost.clear()
        self._conn = conn

    def _heard(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._tell(payload)

    def _tell(self, payload: str | None) -> None:
        try:
            self._callback(payload)
        except Exception:
            log.exception("a listener of %s failed", self.channel)

    def _terminated(self, conn: object) -> None:
        if conn is self._conn:
            self._lost.set()

    async def _alive(self) -> bool:
        conn = self._conn
        if conn is None or conn.is_closed():
            return False
        try:
            await conn.fetchval("SELECT 1", timeout=CHECK_TIMEOUT)
        except _CONNECTION_ERRORS:
            return False
        return True

    async def _watch(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), LISTEN_CHECK_SECONDS)
            if not self._lost.is_set() and await self._alive():
                continue
            log.warning("lost the connection listening on %s; listening again", self.channel)
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.terminate()
            attempt = 0
            while True:
                attempt += 1
                try:
                    await self._connect()
                    break
                except _CONNECTION_ERRORS as e:
                    wait = backoff(RECONNECT_BASE, attempt, RECONNECT_CAP)
                    log.warning("cannot listen on %s (%s); trying again in %.1f s", self.channel, e, wait)
                    await asyncio.sleep(wait)
            log.info("listening on %s again", self.channel)
            self._tell(None)  # notifications sent meanwhile were missed


async def _close(conn: asyncpg.Connection) -> None:
    """Close a connection of its own politely, or drop it when the server does not answer."""
    if conn.is_closed():
        return
    try:
        await conn.close(timeout=CHECK_TIMEOUT)
    except _CONNECTION_ERRORS:
        conn.terminate()


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
