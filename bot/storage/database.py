"""The one database interface the repositories use, whichever backend is behind it.

A repository holds a ``Database`` and runs named queries on it, written once with ``?`` placeholders:

    async with db.execute("SELECT value FROM bot_state WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    cur = await db.execute("DELETE FROM links WHERE fetched_at < ?", (cutoff,))  # cur.rowcount
    await db.executemany("INSERT INTO passages (article_id, position, text) VALUES (?, ?, ?)", rows)
    async with db.transaction(): ...

Rows are read by position or by column name (``row[0]``, ``row["title"]``). The SQLite backend
(bot.storage.sqlite) runs the text as it is; the PostgreSQL one (bot.storage.postgres) numbers the
placeholders (``$1``, ``$2``) once per statement. The few statements that differ between the two
(full-text search, the word-pair index) ask ``db.dialect``. Each backend has its own numbered
migrations, with the same numbers and names: bot/storage/migrations/<dialect>/NNNN_name.sql.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgresql")
POSTGRES_SCHEMES = ("postgresql", "postgres")

# scheme://user: then the rest up to the last @ (greedy): a password holding an unencoded / ? # or @
_USERINFO_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:@/?#]*:).*@", re.IGNORECASE | re.DOTALL)
_QUERY_PASSWORD = re.compile(r"(?i)(\bpassword=)[^&]*")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


class Row(Protocol):
    """A result row: by position or by column name, and iterable (aiosqlite.Row, asyncpg.Record)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Any: ...
    def __len__(self) -> int: ...


class Cursor(Protocol):
    """What a statement leaves: its rows (if it returns any) and how many rows it changed."""

    @property
    def rowcount(self) -> int: ...
    async def fetchone(self) -> Row | None: ...
    async def fetchall(self) -> Sequence[Row]: ...


class Result(Awaitable[Cursor], AbstractAsyncContextManager[Cursor], Protocol):
    """``await db.execute(...)`` or ``async with db.execute(...) as cur``."""


class HeldLock(Protocol):
    """A named lock this process holds (``Database.try_lock``, ``Database.lock``) until ``release``,
    or until its connection is lost (PostgreSQL: the server releases a dead session's locks)."""

    name: str

    @property
    def held(self) -> bool:
        """Not released, and its connection not known to be closed (no I/O)."""

    async def check(self) -> bool:
        """Whether it is still held, asking the server (a lost connection is found out here)."""

    async def release(self) -> None: ...


class Listener(Protocol):
    """A subscription to a notification channel (``Database.listen``), until ``close``."""

    async def close(self) -> None: ...


# A listener's callback: a notification's payload, or None when notifications may have been missed
# (the listening connection was lost and is back): the listener should then read what it follows afresh.
Heard = Callable[[str | None], None]


class Database(Protocol):
    """An open, migrated database (bot.storage.db.connect opens one).

    ``shared``: whether other processes may use the same database at once (PostgreSQL). SQLite's
    rule is one process per file, so its locks are in this process (asyncio locks) and its
    notifications have no one else to reach."""

    dialect: Dialect
    shared: bool

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Result: ...
    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None: ...
    def transaction(self) -> AbstractAsyncContextManager[None]: ...
    async def schema_version(self) -> int: ...
    async def migrate(self, target: int | None = None, found: list[Migration] | None = None) -> int: ...
    async def try_lock(self, name: str) -> HeldLock | None:
        """The lock ``name``, taken now if no one (this process or another) holds it, else None."""

    def lock(self, name: str) -> AbstractAsyncContextManager[HeldLock]:
        """The lock ``name``, waited for, held for the block and released at its end."""

    async def notify(self, channel: str, payload: str) -> None:
        """Tell the listeners of ``channel`` (in every process); inside a transaction, they hear it
        only once it commits, and not at all if it rolls back."""

    async def listen(self, channel: str, callback: Heard) -> Listener:
        """Call ``callback`` with each notification's payload on ``channel`` (on the event loop)."""

    async def close(self) -> None: ...


def lock_key(name: str) -> int:
    """A lock's name as a stable signed 64-bit key (PostgreSQL's advisory locks are numbered)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: Dialect = "sqlite") -> list[Migration]:
    """The numbered migrations of a backend (bot/storage/migrations/<dialect>), in order, without gaps."""
    found: list[Migration] = []
    for entry in resources.files("bot.storage").joinpath("migrations", dialect).iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence (expected {expected:04d})")
    return found


def too_new(current: int, known: int) -> RuntimeError:
    return RuntimeError(
        f"the database is at schema version {current}, newer than this briefbot ({known}); upgrade briefbot"
    )


def is_postgres_url(target: object) -> bool:
    """Whether a database setting names a PostgreSQL server (postgresql://... or postgres://...)."""
    return isinstance(target, str) and urlsplit(target).scheme in POSTGRES_SCHEMES


def redact_url(url: str) -> str:
    """The address with its password (if any) replaced by ***, for messages and logs. A malformed
    address (a password holding an unencoded / ? # or @, a port that is not a number) is redacted
    too: everything between ``scheme://user:`` and the last @ is taken for the password."""
    parts = urlsplit(url)
    if "password" in parts.query.lower():  # libpq's ?password=... form
        parts = parts._replace(query=_QUERY_PASSWORD.sub(r"\1***", parts.query))
    try:
        password, port = parts.password, parts.port
    except ValueError:  # not a number where the port goes: part of a password, maybe
        password, port = None, None
    if password is None:
        return _USERINFO_PASSWORD.sub(r"\1***@", urlunsplit(parts))
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:***@{host}" + (f":{port}" if port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def url_problem(url: str) -> str | None:
    """What is wrong with a PostgreSQL address, in words that never repeat it (it may hold a
    password), or None when it can be used."""
    encode = "a password holding / ? # or @ must be percent-encoded: %2F %3F %23 %40"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        return f"the port is not a number ({encode})"
    if "@" not in parts.netloc and "@" in url.partition("://")[2]:
        return f"an @ stands after the server's name ({encode})"
    return None
