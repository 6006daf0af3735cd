"""Opening the database the settings name, migrated: SQLite (a file path, the default) or PostgreSQL
(a postgresql://... address, BRIEFBOT_DATABASE_URL). Both are a ``Database`` (bot.storage.database)."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import aiosqlite
import asyncpg

from bot.storage.database import Database, Migration, is_postgres_url, migrations, redact_url
from bot.storage.sqlite import SqliteDatabase

__all__ = [
    "DATABASE_ERRORS",
    "INTEGRITY_ERRORS",
    "SCHEMA_VERSION",
    "Database",
    "Migration",
    "busy",
    "connect",
    "migrate",
    "migrations",
    "redact_url",
    "schema_version",
    "transaction",
]

SCHEMA_VERSION = len(migrations())
# The database could not do it now but may in a moment (SQLite: locked past the busy timeout;
# PostgreSQL: a lock or serialization conflict, or the server refusing connections for now). Asked
# by the one error handler (bot.discord_app.errors) through ``busy``.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, asyncpg.PostgresError)
_PG_BUSY = (
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.LockNotAvailableError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    asyncpg.QueryCanceledError,
)


def busy(error: BaseException) -> bool:
    """Whether ``error`` (one of DATABASE_ERRORS) means "busy, try again" rather than a fault."""
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error)
    return isinstance(error, _PG_BUSY)


# A constraint refused a row (unique, check, foreign key), whichever the backend.
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


async def connect(target: str | Path) -> Database:
    """The database at ``target``, migrated: a PostgreSQL server for a postgresql:// address, else
    the SQLite file at that path (folders created as needed)."""
    if is_postgres_url(target):
        from bot.storage.postgres import PostgresDatabase

        return await PostgresDatabase.open(str(target))
    return await SqliteDatabase.open(target)


def transaction(db: Database) -> AbstractAsyncContextManager[None]:
    """A write transaction on ``db``: committed at the end, rolled back on any error or cancellation.
    On SQLite transactions take turns (one connection); on PostgreSQL each has a connection of its own."""
    return db.transaction()


def _database(db: Database | aiosqlite.Connection) -> Database:
    return SqliteDatabase(db) if isinstance(db, aiosqlite.Connection) else db


async def schema_version(db: Database | aiosqlite.Connection) -> int:
    return await _database(db).schema_version()


async def migrate(db: Database | aiosqlite.Connection, target: int | None = None) -> int:
    """Apply pending migrations, all in one transaction; returns the schema version reached."""
    database = _database(db)
    return await database.migrate(target, migrations(database.dialect))
