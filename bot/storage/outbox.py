"""The delivery outbox: the one place a post of an article to a channel is queued.

A row is queued in the transaction that stores the article (bot.library.ingest) or the subscription
that asks for it (a backfill, bot.storage.subscriptions); the delivery worker then posts it. Call
``queue`` inside the caller's transaction: it is one statement of that transaction."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.database import Database


async def queue(db: Database, channel_ids: Iterable[int], article_ids: Iterable[str], now: str) -> int:
    """Queue every article for every channel (a pair already queued is left as it is); returns how
    many pairs were asked for."""
    articles = list(article_ids)
    pairs = [(c, a, now) for c in channel_ids for a in articles]
    if pairs:
        await db.executemany(
            "INSERT INTO deliveries (channel_id, article_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            pairs,
        )
    return len(pairs)
