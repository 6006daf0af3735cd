"""Links members asked about (see migration 0010): the article each gave, and when it was fetched."""

from __future__ import annotations

from bot.storage.database import Database


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
        """Remember that ``link`` gave this article now (replacing what it gave before)."""
        await self.db.execute(
            "INSERT INTO links (link, article_id, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT (link) DO UPDATE SET article_id = excluded.article_id, fetched_at = excluded.fetched_at",
            (link, article_id, fetched_at),
        )

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
