"""Subscriptions and the delivery side of the outbox, against the database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time

from bot.storage.db import connect
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


# Claims (issue 18): several processes share one database. A "process" here is a repository with its
# own identity on its own connection (another host's name, so that none judges the other dead).

A, B, C = "host-a:101:aaaa", "host-b:202:bbbb", "host-c:303:cccc"


@contextlib.asynccontextmanager
async def processes(database, *owners: str):
    """One SubscriptionRepository per owner, each on a connection of its own to the test's database."""
    async with contextlib.AsyncExitStack() as stack:
        repos = []
        for owner in owners:
            conn = await connect(database)
            stack.push_async_callback(conn.close)
            repos.append(SubscriptionRepository(conn, owner=owner))
        yield repos


async def test_processes_racing_for_the_outbox_never_claim_the_same_row(db, database):
    await SubscriptionRepository(db).subscribe(
        guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=[f"a{i:02}" for i in range(40)]
    )
    claimed: list[tuple[str, int]] = []

    async def worker(repo: SubscriptionRepository) -> None:
        while batch := await repo.claim(3, lease=60):
            claimed.extend((repo.owner, d.id) for d in batch)
            await asyncio.sleep(0)  # let the others claim while this one "posts"
            for d in batch:
                assert await repo.delivered(d.id, message_id=d.id) is True

    async with processes(database, A, B, C) as repos:
        await asyncio.gather(*(worker(r) for r in repos))
    ids = [i for _, i in claimed]
    assert len(ids) == 40 and len(set(ids)) == 40, "a row was claimed twice"
    assert await SubscriptionRepository(db).counts() == {"delivered": 40}


async def test_a_row_claimed_by_a_live_process_is_skipped_until_its_lease_lapses(db, database):
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=["a", "b"])
    async with processes(database, A, B) as (a, b):
        [first] = await a.claim(1, lease=60)
        [second] = await b.claim(5, lease=60)  # the other one only
        assert first.id != second.id
        assert await b.claim(5, lease=60) == [second]  # its own claim it takes again (a drain that failed)
        assert [d.id for d in await b.due(5)] == [second.id]
        assert await a.due(5) == [first]
        assert await b.delivered(second.id, message_id=1) is True
        assert 55 < await b.next_due_in() <= 60  # a's row is due for b when a's lease lapses
        assert await b.delivered(first.id, message_id=2) is False  # not b's to mark
        assert await b.renew(first.id, lease=60) is False


async def test_an_expired_lease_is_taken_over_and_the_stale_claimant_is_refused(db, database):
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=["a"])
    async with processes(database, A, B) as (a, b):
        [row] = await a.claim(5, lease=-1)  # a's lease has run out (a hung, or died)
        [taken] = await b.claim(5, lease=60)
        assert taken.id == row.id
        assert await a.renew(row.id, lease=60) is False  # a learns it before posting
        assert await a.delivered(row.id, message_id=7) is False  # ... or after: its outcome is refused
        assert await a.retry_later(row.id, "late", delay=5) is False
        assert await a.cancel(row.id, "late") is False
        assert await statuses(db) == [(10, "a", "pending")]
        assert await b.delivered(row.id, message_id=7) is True
    assert await statuses(db) == [(10, "a", "delivered")]


async def test_the_claims_of_a_dead_process_on_this_host_lapse_at_once(db, database):
    """A bot restarted after a crash takes over what its previous run had in flight without waiting
    for the lease: that run's pid is no running process on this host."""
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5, backfill=["a", "b"])
    finished = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await finished.wait()
    dead, alive = f"{socket.gethostname()}:{finished.pid}:dead", f"{socket.gethostname()}:{os.getpid()}:live"
    async with processes(database, dead, alive, A) as (gone, me, elsewhere):
        assert len(await gone.claim(1, lease=600)) == 1
        assert len(await elsewhere.claim(1, lease=600)) == 1  # another host: judged by its lease only
        [taken] = await me.claim(5, lease=60)
        assert await statuses(db) == [(10, "a", "pending"), (10, "b", "pending")]
        assert await gone.delivered(taken.id, message_id=1) is False
        assert await me.claim(5, lease=60) == [taken]  # the other host's row is still its own
