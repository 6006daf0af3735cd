"""Pages refused over a budget (see migration 0008), and when each may be tried again."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.backoff import backoff
from bot.core.models import Refusal
from bot.storage.clock import utcnow
from bot.storage.database import Database

RETRY_BASE = 3600.0  # seconds before the first retry of a refused file; doubles each time
MAX_RETRY = 7 * 24 * 3600.0


def feed_prefix(feed_id: int) -> str:
    """The start of the keys of a feed's refused entries (the key ends with the entry's guid or link)."""
    return f"feed:{feed_id}:"


class RefusalRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> Refusal | None:
        async with self.db.execute(
            "SELECT key, reason, failures, retry_at, file_size, file_mtime_ns FROM refused_pages WHERE key = ?", (key,)
        ) as cur:
            row = await cur.fetchone()
        return Refusal(*row) if row else None

    async def with_prefix(self, prefix: str) -> dict[str, Refusal]:
        """Every refusal whose key starts with ``prefix``, by key (a range of the key's index, not a scan)."""
        where, params = _key_range(prefix)
        async with self.db.execute(
            f"SELECT key, reason, failures, retry_at, file_size, file_mtime_ns FROM refused_pages WHERE {where}",
            params,
        ) as cur:
            return {r[0]: Refusal(*r) for r in await cur.fetchall()}

    async def forget_prefix(self, prefix: str) -> int:
        """Forget every refusal whose key starts with ``prefix`` (a feed removed); how many there were."""
        where, params = _key_range(prefix)
        cur = await self.db.execute(f"DELETE FROM refused_pages WHERE {where}", params)
        return cur.rowcount

    async def forget_many(self, keys: Iterable[str]) -> None:
        """Forget these refusals (files retired, entries gone from their feed)."""
        await self.db.executemany("DELETE FROM refused_pages WHERE key = ?", [(k,) for k in keys])

    async def refuse(
        self,
        key: str,
        reason: str,
        *,
        now: float,
        base: float,
        cap: float = MAX_RETRY,
        file_size: int | None = None,
        file_mtime_ns: int | None = None,
    ) -> Refusal:
        """Record one more refusal (a file that changed since the last starts again from one) and
        return it with the time of the next try."""
        before = await self.get(key)
        same_version = before is not None and (before.file_size, before.file_mtime_ns) == (file_size, file_mtime_ns)
        failures = before.failures + 1 if before is not None and same_version else 1
        refusal = Refusal(key, reason[:500], failures, now + backoff(base, failures, cap), file_size, file_mtime_ns)
        await self.db.execute(
            "INSERT INTO refused_pages (key, reason, failures, retry_at, file_size, file_mtime_ns, refused_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET reason = excluded.reason, "
            "failures = excluded.failures, retry_at = excluded.retry_at, file_size = excluded.file_size, "
            "file_mtime_ns = excluded.file_mtime_ns, refused_at = excluded.refused_at",
            (key, refusal.reason, failures, refusal.retry_at, file_size, file_mtime_ns, utcnow()),
        )
        return refusal

    async def forget(self, key: str) -> None:
        await self.db.execute("DELETE FROM refused_pages WHERE key = ?", (key,))


def _key_range(prefix: str) -> tuple[str, tuple[str, ...]]:
    """A WHERE clause and its parameters for the keys starting with ``prefix``: key >= prefix and key <
    the first string after every such key, which SQLite answers from the key's index (substr() or
    LIKE would read every row). Keys compare by code point, as their UTF-8 bytes do."""
    stem = prefix.rstrip(chr(0x10FFFF))
    if not stem:
        return ("key >= ?", (prefix,)) if prefix else ("TRUE", ())
    following = ord(stem[-1]) + 1
    following = 0xE000 if following == 0xD800 else following  # surrogates are no characters of UTF-8
    return "key >= ? AND key < ?", (prefix, stem[:-1] + chr(following))
