"""Records of what each user asked for: written by every brief-like command, read by /history,
deleted by /forget. Only ever queried by the user's own id."""

from __future__ import annotations

from bot.core.models import RequestRecord
from bot.storage.clock import utcnow
from bot.storage.database import Database

COMMANDS = ("brief", "summary", "quotes", "author", "topic", "compare")


class RequestRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, *, user_id: int, guild_id: int | None, channel_id: int | None, article_id: str, command: str
    ) -> None:
        if command not in COMMANDS:
            raise ValueError(f"unknown command {command!r}")
        await self.db.execute(
            "INSERT INTO requests (user_id, guild_id, channel_id, article_id, command, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, guild_id, channel_id, article_id, command, utcnow()),
        )

    async def count(self, user_id: int) -> int:
        async with self.db.execute("SELECT COUNT(*) FROM requests WHERE user_id = ?", (user_id,)) as cur:
            return (await cur.fetchone())[0]

    async def history(self, user_id: int, limit: int, offset: int = 0) -> list[RequestRecord]:
        """The user's requests, newest first."""
        async with self.db.execute(
            """
            SELECT r.article_id, a.title, r.command, r.guild_id, r.channel_id, r.created_at
            FROM requests AS r LEFT JOIN articles AS a ON a.id = r.article_id
            WHERE r.user_id = ?
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT ? OFFSET ?
            """,
            (user_id, limit, offset),
        ) as cur:
            rows = await cur.fetchall()
        return [RequestRecord(*row) for row in rows]

    async def forget(self, user_id: int) -> int:
        """Delete every record of this user; returns how many there were."""
        cur = await self.db.execute("DELETE FROM requests WHERE user_id = ?", (user_id,))
        return cur.rowcount
