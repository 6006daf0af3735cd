"""The delivery outbox: the one place a post of an article to a channel is queued.

A row is queued in the transaction that stores the article (bot.library.ingest) or the subscription
that asks for it (a backfill, bot.storage.subscriptions); the delivery worker then posts it, on its
own or, for a channel that takes digests, in the digest of its period (bot.storage.digests). Call
``queue`` inside the caller's transaction: it is one statement of that transaction."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.database import Database

_QUEUE = (
    "INSERT INTO deliveries (channel_id, article_id, created_at, held) VALUES (?, ?, ?, "
    "COALESCE((SELECT 1 FROM subscriptions WHERE channel_id = ? AND digest <> 'off' AND ? = 0), 0)) "
    "ON CONFLICT DO NOTHING"
)


async def queue(
    db: Database, channel_ids: Iterable[int], article_ids: Iterable[str], now: str, *, at_once: bool = False
) -> int:
    """Queue every article for every channel (a pair already queued is left as it is); returns how
    many pairs were asked for. ``now`` is the time queued: for a channel that takes digests, the
    row is held for the digest of the period holding ``now``; ``at_once`` posts it on its own
    whatever the channel's mode (a subscription's backfill)."""
    articles = list(article_ids)
    pairs = [(c, a, now, c, int(at_once)) for c in channel_ids for a in articles]
    if pairs:
        await db.executemany(_QUEUE, pairs)
    return len(pairs)
