"""Feeds the bot polls (their HTTP cache validators, schedule and failures) and the items taken from them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.models import Feed, FeedItem
from bot.storage.clock import utcnow
from bot.storage.database import Database, Row
from bot.storage.refusals import RefusalRepository, feed_prefix

_FEED_COLUMNS = (
    "f.id, f.url, f.origin, f.interval_seconds, f.title, f.etag, f.last_modified, f.next_poll, f.failures, "
    "f.last_error, f.last_polled_at, f.last_ok_at, f.primed, f.disabled_at, f.disabled_reason, f.added_at"
)

_ITEM_COUNT = "(SELECT COUNT(*) FROM feed_items AS i WHERE i.feed_id = f.id)"


def _feed(row: Row, items: int = 0) -> Feed:
    return Feed(
        id=row[0],
        url=row[1],
        origin=row[2],
        interval=row[3],
        title=row[4],
        etag=row[5],
        last_modified=row[6],
        next_poll=row[7],
        failures=row[8],
        last_error=row[9],
        last_polled_at=row[10],
        last_ok_at=row[11],
        primed=bool(row[12]),
        disabled_at=row[13],
        disabled_reason=row[14],
        added_at=row[15],
        items=items,
    )


class FeedRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the feeds ----------------------------------------------------------------------------

    async def add(self, url: str, interval: float, *, origin: str = "cli") -> tuple[Feed, bool]:
        """Add a feed, or update an existing one's interval and re-enable it (failures forgotten,
        polled at once). Returns the feed and whether it was new. A feed added from the command
        line is the operator's: it stays when it leaves BRIEFBOT_FEEDS."""
        existing = await self.get(url)
        if existing is None:
            await self.db.execute(
                "INSERT INTO feeds (url, origin, interval_seconds, added_at) VALUES (?, ?, ?, ?)",
                (url, origin, interval, utcnow()),
            )
        else:
            await self.db.execute(
                "UPDATE feeds SET interval_seconds = ?, origin = CASE WHEN ? = 'cli' THEN 'cli' ELSE origin END, "
                "failures = 0, next_poll = 0, disabled_at = NULL, disabled_reason = NULL WHERE id = ?",
                (interval, origin, existing.id),
            )
        feed = await self.get(url)
        assert feed is not None
        return feed, existing is None

    async def remove(self, url: str) -> bool:
        """Forget a feed, its items and its refused entries (the articles it brought stay in the library)."""
        feed = await self.get(url)
        if feed is None:
            return False
        await self._delete([feed.id])
        return True

    async def _delete(self, ids: list[int]) -> None:
        """Delete feeds by id, with their refused entries (their items go by ON DELETE CASCADE). Feed
        ids can be used again, so a new feed must not inherit an old one's refusals."""
        refusals = RefusalRepository(self.db)
        for feed_id in ids:
            await refusals.forget_prefix(feed_prefix(feed_id))
        await self.db.executemany("DELETE FROM feeds WHERE id = ?", [(i,) for i in ids])

    async def sync_config(self, urls: Iterable[str], interval: float) -> tuple[list[str], list[str]]:
        """Make the feeds from BRIEFBOT_FEEDS match the setting: add the missing ones, remove those
        that left it (unless added from the command line), give them the configured interval.
        A disabled one stays disabled.
        Returns (added, removed)."""
        wanted = list(dict.fromkeys(urls))
        added: list[str] = []
        for url in wanted:
            cur = await self.db.execute(
                "INSERT INTO feeds (url, origin, interval_seconds, added_at) VALUES (?, 'config', ?, ?) "
                "ON CONFLICT (url) DO NOTHING",
                (url, interval, utcnow()),
            )
            if cur.rowcount:
                added.append(url)
        # BRIEFBOT_FEED_INTERVAL applies to the configured feeds; the operator's keep their own.
        await self.db.execute("UPDATE feeds SET interval_seconds = ? WHERE origin = 'config'", (interval,))
        async with self.db.execute("SELECT id, url FROM feeds WHERE origin = 'config'") as cur:
            stale = [(r[0], r[1]) for r in await cur.fetchall() if r[1] not in wanted]
        await self._delete([feed_id for feed_id, _ in stale])
        return added, [url for _, url in stale]

    async def get(self, url: str) -> Feed | None:
        """One feed with its item count."""
        async with self.db.execute(
            f"SELECT {_FEED_COLUMNS}, {_ITEM_COUNT} FROM feeds AS f WHERE f.url = ?", (url,)
        ) as cur:
            row = await cur.fetchone()
        return _feed(row, row[16]) if row else None

    async def all(self) -> list[Feed]:
        """Every feed with its item count, in the order they were added."""
        async with self.db.execute(f"SELECT {_FEED_COLUMNS}, {_ITEM_COUNT} FROM feeds AS f ORDER BY f.id") as cur:
            return [_feed(r, r[16]) for r in await cur.fetchall()]

    async def due(self, now: float) -> list[Feed]:
        """Enabled feeds whose next poll time has come, most overdue first."""
        async with self.db.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds AS f WHERE f.disabled_at IS NULL AND f.next_poll <= ? "
            "ORDER BY f.next_poll, f.id",
            (now,),
        ) as cur:
            return [_feed(r) for r in await cur.fetchall()]

    async def next_due(self, exclude: Iterable[int] = ()) -> float | None:
        """The unix time of the next poll of any enabled feed (but those in ``exclude``, ids), None
        when there is none."""
        ids = list(exclude)
        async with self.db.execute(
            "SELECT MIN(next_poll) FROM feeds WHERE disabled_at IS NULL"
            + (f" AND id NOT IN ({', '.join('?' * len(ids))})" if ids else ""),
            ids,
        ) as cur:
            row = await cur.fetchone()
        return None if row is None or row[0] is None else float(row[0])

    async def succeeded(
        self,
        feed_id: int,
        *,
        next_poll: float,
        etag: str | None,
        last_modified: str | None,
        title: str | None,
        primed: bool,
        error: str | None = None,
        failures: int = 0,
    ) -> None:
        """A feed read and its entries taken. With ``error`` (its new entries all failed), the poll
        still counts as a failure: ``failures`` is then the count in a row, this one included."""
        now = utcnow()
        await self.db.execute(
            "UPDATE feeds SET next_poll = ?, etag = ?, last_modified = ?, title = COALESCE(?, title), "
            "primed = CASE WHEN ? = 0 THEN primed ELSE 1 END, failures = ?, last_error = ?, "
            "last_polled_at = ?, last_ok_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN ? ELSE last_ok_at END "
            "WHERE id = ?",
            (
                next_poll,
                etag,
                last_modified,
                title,
                int(primed),
                failures if error is not None else 0,
                error and error[:500],
                now,
                error,
                now,
                feed_id,
            ),
        )

    async def failed(self, feed_id: int, error: str, *, next_poll: float, disable_reason: str | None) -> None:
        """Count a failure; with ``disable_reason``, stop polling the feed until it is added again."""
        now = utcnow()
        await self.db.execute(
            "UPDATE feeds SET failures = failures + 1, last_error = ?, next_poll = ?, last_polled_at = ?, "
            "disabled_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN disabled_at ELSE ? END, "
            "disabled_reason = COALESCE(?, disabled_reason) WHERE id = ?",
            (error[:500], next_poll, now, disable_reason, now, disable_reason, feed_id),
        )

    async def disable(self, feed_id: int, reason: str) -> None:
        """Stop polling the feed until it is added again."""
        await self.db.execute(
            "UPDATE feeds SET disabled_at = ?, disabled_reason = ? WHERE id = ?", (utcnow(), reason, feed_id)
        )

    # --- the items ----------------------------------------------------------------------------

    async def item_by_guid(self, feed_id: int, guid: str) -> FeedItem | None:
        return await self._item("feed_id = ? AND guid = ?", (feed_id, guid))

    async def item_by_link(self, link: str) -> FeedItem | None:
        """An item of any feed with this address (one article listed by two feeds is one article)."""
        return await self._item("link = ?", (link,))

    async def item_by_hash(self, content_hash: str) -> FeedItem | None:
        return await self._item("content_hash = ?", (content_hash,))

    async def record_item(
        self, feed_id: int, *, guid: str | None, link: str | None, content_hash: str | None, article_id: str
    ) -> None:
        """Remember an item and the article it became; call it inside the article's transaction."""
        await self.db.execute(
            "INSERT INTO feed_items (feed_id, guid, link, content_hash, article_id, seen_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (feed_id, guid) DO NOTHING",
            (feed_id, guid, link, content_hash, article_id, utcnow()),
        )

    async def items(self, feed_id: int) -> list[FeedItem]:
        async with self.db.execute(
            "SELECT feed_id, guid, link, content_hash, article_id FROM feed_items WHERE feed_id = ? ORDER BY id",
            (feed_id,),
        ) as cur:
            return [FeedItem(*r) for r in await cur.fetchall()]

    async def _item(self, where: str, params: tuple[object, ...]) -> FeedItem | None:
        async with self.db.execute(
            f"SELECT feed_id, guid, link, content_hash, article_id FROM feed_items WHERE {where} ORDER BY id LIMIT 1",
            params,
        ) as cur:
            row = await cur.fetchone()
        return FeedItem(*row) if row else None
