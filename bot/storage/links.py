"""Links members asked about (see migrations 0010 and 0013): the article each gave, when it was
fetched, and when it was last asked for."""

from __future__ import annotations

from bot.storage.database import Database
from bot.storage.db import transaction


class LinkRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, link: str, *, since: float) -> str | None:
        """The id of the article ``link`` (normalised) gave, if it was fetched at ``since`` or later."""
        async with self.db.execute(
            "SELECT article_id FROM links WHERE link = ? AND fetched_at >= ?", (link, since)
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def record(self, link: str, article_id: str, *, fetched_at: float) -> None:
        """Remember that ``link`` gave this article now (replacing what it gave before): fetched, and
        so asked for, at ``fetched_at``."""
        await self.db.execute(
            "INSERT INTO links (link, article_id, fetched_at, requested_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (link) DO UPDATE SET article_id = excluded.article_id, fetched_at = excluded.fetched_at, "
            "requested_at = CASE WHEN links.requested_at > excluded.requested_at "
            "THEN links.requested_at ELSE excluded.requested_at END",
            (link, article_id, fetched_at, fetched_at),
        )

    async def requested(self, link: str, at: float) -> None:
        """``link`` was asked for again at ``at`` (and briefed from the library, not fetched)."""
        async with transaction(self.db):
            await self.db.execute(
                "UPDATE links SET requested_at = CASE WHEN requested_at > ? THEN requested_at ELSE ? END "
                "WHERE link = ?",
                (at, at, link),
            )

    async def only_requested(self) -> list[tuple[str, float]]:
        """The live articles that only members' links hold, with when any of their links was last
        asked for, the most recent first: never queued for a channel (pending, posted or cancelled),
        brought by no feed, held by no file of the folder. These are what a cap or an age may retire;
        an article the server's own sources hold is the library's, kept as long as they keep it."""
        async with self.db.execute(
            "SELECT l.article_id, MAX(l.requested_at) AS last FROM links l "
            "JOIN articles a ON a.id = l.article_id "
            "WHERE a.retired_at IS NULL AND a.source_path IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.article_id = l.article_id) "
            "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.article_id = l.article_id) "
            "GROUP BY l.article_id ORDER BY last DESC, l.article_id"
        ) as cur:
            return [(row[0], float(row[1])) for row in await cur.fetchall()]

    async def forget(self, article_ids: list[str]) -> None:
        """Forget the links that gave these articles (retired): asked for again, they are fetched again."""
        if not article_ids:
            return
        async with transaction(self.db):
            await self.db.executemany("DELETE FROM links WHERE article_id = ?", [(i,) for i in article_ids])

    async def only_linked(self) -> set[str]:
        """The ids of the articles members' links gave that no feed brought: unless a file of the
        folder holds the same article (a source path), only members asked about these."""
        async with self.db.execute(
            "SELECT DISTINCT article_id FROM links l "
            "WHERE NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.article_id = l.article_id)"
        ) as cur:
            return {row[0] for row in await cur.fetchall()}

    async def undelivered(self, article_id: str) -> bool:
        """Whether the article came from a member's link and was never queued for a channel nor
        taken from a feed: a feed bringing it now is its first chance to be posted."""
        async with self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM links WHERE article_id = ?) "
            "AND NOT EXISTS (SELECT 1 FROM feed_items WHERE article_id = ?) "
            "AND NOT EXISTS (SELECT 1 FROM deliveries WHERE article_id = ?)",
            (article_id, article_id, article_id),
        ) as cur:
            row = await cur.fetchone()
        return bool(row and row[0])
