"""Subscriptions, and the delivery side of the outbox (bot.storage.outbox queues its rows)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

from bot.core.models import Delivery, Subscription
from bot.storage.clock import utcnow
from bot.storage.database import Database, Row
from bot.storage.db import transaction
from bot.storage.outbox import queue

_SUB_COLUMNS = "channel_id, guild_id, keywords, created_by, created_at, paused_at, paused_reason"


def _subscription(row: Row) -> Subscription:
    return Subscription(row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], row[5], row[6])


class SubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def subscribe(
        self, *, guild_id: int, channel_id: int, keywords: list[str], user_id: int, backfill: Iterable[str] = ()
    ) -> bool:
        """Create or replace a channel's subscription (clearing any pause) and queue the backfill,
        in one transaction. Returns True when the channel was already subscribed."""
        now = utcnow()
        async with transaction(self.db):
            async with self.db.execute("SELECT 1 FROM subscriptions WHERE channel_id = ?", (channel_id,)) as cur:
                existed = await cur.fetchone() is not None
            await self.db.execute(
                "INSERT INTO subscriptions (channel_id, guild_id, keywords, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET keywords = excluded.keywords, "
                "created_by = excluded.created_by, paused_at = NULL, paused_reason = NULL",
                (channel_id, guild_id, json.dumps(keywords, ensure_ascii=False), user_id, now),
            )
            # A resumed channel gets what was pending straight away.
            await self.db.execute(
                "UPDATE deliveries SET next_attempt = 0 WHERE channel_id = ? AND status = 'pending'", (channel_id,)
            )
            await queue(self.db, [channel_id], backfill, now)
        return existed

    async def unsubscribe(self, channel_id: int) -> bool:
        """Remove a subscription and cancel what it still had pending; False if there was none."""
        async with transaction(self.db):
            cur = await self.db.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
            removed = cur.rowcount > 0
            await self.db.execute(
                "UPDATE deliveries SET status = 'cancelled' WHERE channel_id = ? AND status = 'pending'", (channel_id,)
            )
        return removed

    async def for_guild(self, guild_id: int) -> list[Subscription]:
        async with self.db.execute(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE guild_id = ? ORDER BY created_at, channel_id", (guild_id,)
        ) as cur:
            return [_subscription(r) for r in await cur.fetchall()]

    async def active(self) -> list[Subscription]:
        async with self.db.execute(f"SELECT {_SUB_COLUMNS} FROM subscriptions") as cur:
            return [_subscription(r) for r in await cur.fetchall()]

    async def pause(self, channel_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE subscriptions SET paused_at = ?, paused_reason = ? WHERE channel_id = ? AND paused_at IS NULL",
            (utcnow(), reason, channel_id),
        )

    async def due(self, limit: int) -> list[Delivery]:
        """Pending deliveries whose time has come, to channels whose subscription is not paused."""
        async with self.db.execute(
            """
            SELECT d.id, d.channel_id, d.article_id, d.attempts
            FROM deliveries AS d JOIN subscriptions AS s ON s.channel_id = d.channel_id
            WHERE d.status = 'pending' AND d.next_attempt <= ? AND s.paused_at IS NULL
            ORDER BY d.id LIMIT ?
            """,
            (time.time(), limit),
        ) as cur:
            return [Delivery(*r) for r in await cur.fetchall()]

    async def next_due_in(self) -> float | None:
        """Seconds until the next pending delivery is due (0 if one is due now), None if none."""
        async with self.db.execute(
            "SELECT MIN(d.next_attempt) FROM deliveries AS d JOIN subscriptions AS s ON s.channel_id = d.channel_id "
            "WHERE d.status = 'pending' AND s.paused_at IS NULL"
        ) as cur:
            row = await cur.fetchone()
        if row is None or row[0] is None:
            return None
        return max(0.0, row[0] - time.time())

    async def delivered(self, delivery_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE deliveries SET status = 'delivered', message_id = ?, delivered_at = ? WHERE id = ?",
            (message_id, utcnow(), delivery_id),
        )

    async def cancel(self, delivery_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE id = ?", (reason, delivery_id)
        )

    async def retry_later(self, delivery_id: int, error: str, delay: float) -> None:
        await self.db.execute(
            "UPDATE deliveries SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?",
            (time.time() + delay, error[:500], delivery_id),
        )

    async def counts(self) -> dict[str, int]:
        async with self.db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status") as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}
