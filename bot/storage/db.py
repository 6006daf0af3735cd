"""Opening the SQLite database and migrating it with numbered SQL files and PRAGMA user_version."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The numbered migrations shipped in bot/storage/migrations, in order, without gaps."""
    found: list[Migration] = []
    for entry in resources.files("bot.storage").joinpath("migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence (expected {expected:04d})")
    return found


SCHEMA_VERSION = len(migrations())


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open (creating folders as needed) with WAL, foreign keys and a busy timeout, then migrate."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA busy_timeout = 10000")
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        _writer(db)
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    return db


_WRITER = "_briefbot_writer"  # the connection's attribute holding its writer lock


def _writer(db: aiosqlite.Connection) -> asyncio.Lock:
    """The connection's own writer lock: state of the connection, kept on it (created with it by
    ``connect``, or at its first transaction), and gone with it."""
    lock = getattr(db, _WRITER, None)
    if lock is None:
        lock = asyncio.Lock()
        setattr(db, _WRITER, lock)
    return lock


@contextlib.asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[None]:
    """A write transaction (BEGIN IMMEDIATE; COMMIT, or ROLLBACK on any error or cancellation).

    Every repository shares the bot's one connection, and SQLite has one transaction per
    connection: without this lock a command's transaction (a subscription, say) begun while the
    library stores a chunk would fail with "cannot start a transaction within a transaction".
    Transactions on the same connection therefore take turns."""
    async with _writer(db):
        await db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        else:
            await db.execute("COMMIT")


async def schema_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection, target: int | None = None) -> int:
    """Apply pending migrations, all in one transaction; returns the schema version reached."""
    pending = [m for m in migrations() if target is None or m.version <= target]
    await db.execute("BEGIN IMMEDIATE")
    try:
        current = await schema_version(db)
        if current > len(migrations()):
            raise RuntimeError(
                f"the database is at schema version {current}, newer than this briefbot "
                f"({len(migrations())}); upgrade briefbot"
            )
        applied = [m for m in pending if m.version > current]
        for m in applied:
            log.info("applying migration %s", m.name)
            for statement in _statements(m.sql):
                await db.execute(statement)
        reached = applied[-1].version if applied else current
        await db.execute(f"PRAGMA user_version = {reached:d}")
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    return reached


def _statements(sql: str) -> list[str]:
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
