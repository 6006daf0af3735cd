"""Subscriptions and the delivery side of the outbox, against the database."""

from __future__ import annotations

import time

from bot.storage.subscriptions import SubscriptionRepository


async def statuses(db) -> list[tuple[int, str, str]]:
    async with db.execute("SELECT channel_id, article_id, status FROM deliveries ORDER BY id") as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def test_subscribe_replaces_clears_a_pause_and_queues_the_backfill(db):
    subs = SubscriptionRepository(db)
    assert await subs.subscribe(guild_id=1, channel_id=10, keywords=["tosca"], user_id=5, backfill=["a"]) is False
    await subs.pause(10, "Discord refused access")
    [paused] = await subs.for_guild(1)
    assert paused.paused and paused.paused_reason == "Discord refused access"
    assert await subs.due(10) == []  # a paused channel's deliveries wait
    assert await subs.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=6, backfill=["a", "b"]) is True
    [again] = await subs.for_guild(1)
    assert not again.paused and again.keywords == () and again.created_by == 6
    assert await statuses(db) == [(10, "a", "pending"), (10, "b", "pending")]
    assert await subs.for_guild(2) == [] and [s.channel_id for s in await subs.active()] == [10]


async def test_unsubscribe_cancels_what_was_pending(db):
    subs = SubscriptionRepository(db)
    await subs.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=["a", "b"])
    [first, _] = await subs.claim(10, lease=60)
    assert await subs.delivered(first.id, message_id=99) is True
    assert await subs.unsubscribe(10) is True
    assert await statuses(db) == [(10, "a", "delivered"), (10, "b", "cancelled")]
    assert await subs.unsubscribe(10) is False
    assert await subs.counts() == {"delivered": 1, "cancelled": 1}


async def test_a_retry_waits_for_its_time(db):
    subs = SubscriptionRepository(db)
    await subs.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=["a"])
    assert await subs.next_due_in() == 0
    [d] = await subs.claim(10, lease=60)
    assert await subs.retry_later(d.id, "HTTP 503", delay=60) is True
    assert await subs.due(10) == [] and await subs.claim(10, lease=60) == []
    assert 55 < await subs.next_due_in() <= 60
    async with db.execute("SELECT attempts, last_error, next_attempt FROM deliveries") as cur:
        attempts, error, next_attempt = await cur.fetchone()
    assert attempts == 1 and error == "HTTP 503" and next_attempt > time.time()
    assert await subs.cancel(d.id, "gone") is False  # the retry gave the claim up: only a claimant writes
    await subs.unsubscribe(10)
    assert await subs.next_due_in() is None
