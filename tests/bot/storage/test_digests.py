"""Digest periods closed into digest rows, and their delivery side, against the database."""

from __future__ import annotations

import asyncio
import contextlib

from bot.core.periods import DAILY, OFF, WEEKLY
from bot.storage.clock import utcnow
from bot.storage.db import connect, transaction
from bot.storage.digests import DigestRepository
from bot.storage.outbox import queue
from bot.storage.subscriptions import SubscriptionRepository
from tests.support.clock import FakeClock

CHANNEL = 10


async def setup(db, mode: str = DAILY, start: str = "2026-11-27T10:00:00+00:00"):
    clock = FakeClock(start)
    subs = SubscriptionRepository(db, clock=clock)
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=mode)
    return clock, subs, DigestRepository(db, clock=clock)


async def add(db, clock, *articles: str, channel: int = CHANNEL) -> None:
    async with transaction(db):
        await queue(db, [channel], articles, utcnow(clock))


async def rows(db) -> list[tuple]:
    sql = "SELECT article_id, held, digest_id, status FROM deliveries ORDER BY id"
    async with db.execute(sql) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def test_a_period_closes_after_it_ends_into_one_digest_of_its_articles(db):
    clock, subs, digests = await setup(db)
    [sub] = await subs.for_guild(1)
    assert sub.digest == DAILY and sub.digest_from == "2026-11-27T00:00:00+00:00"
    assert sub.next_digest == "2026-11-28T00:00:00+00:00"
    await add(db, clock, "a", "b")
    assert await subs.due(10) == []  # held for the digest, never posted on their own
    assert await digests.close() == 0  # the day has not ended
    assert await digests.next_close_in() == 14 * 3600
    clock.set("2026-11-28T00:00:05+00:00")
    await add(db, clock, "c")  # the next day's
    assert await digests.close() == 1
    assert await digests.close() == 0  # closed once
    [digest] = await digests.due(10)
    assert (digest.mode, digest.period_start, digest.period_end) == (
        DAILY,
        "2026-11-27T00:00:00+00:00",
        "2026-11-28T00:00:00+00:00",
    )
    assert digest.article_ids == ("a", "b") and digest.parts_sent == 0
    [sub] = await subs.for_guild(1)
    assert sub.digest_from == "2026-11-28T00:00:00+00:00"


async def test_parts_are_counted_and_delivery_marks_every_article(db):
    clock, _, digests = await setup(db)
    await add(db, clock, "a", "b")
    clock.advance(86400)
    await digests.close()
    [digest] = await digests.claim(10, lease=60)
    assert await digests.part_sent(digest.id, 1, message_id=500) is True
    assert await digests.part_sent(digest.id, 1, message_id=501) is False  # a replayed count changes nothing
    [again] = await digests.due(10)
    assert again.parts_sent == 1
    assert await digests.delivered(digest.id) is True
    assert await digests.due(10) == [] and await digests.counts() == {"delivered": 1}
    async with db.execute("SELECT DISTINCT status, message_id FROM deliveries") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [("delivered", 500)]


async def test_empty_periods_write_nothing_and_a_long_downtime_gives_one_digest_per_period(db):
    clock, subs, digests = await setup(db)
    await add(db, clock, "friday")
    clock.set("2026-11-29T12:00:00+00:00")  # Sunday
    await add(db, clock, "sunday")
    clock.set("2026-12-02T09:00:00+00:00")  # Wednesday: the bot was down since
    assert await digests.close() == 2  # Friday's and Sunday's; Saturday, Monday, Tuesday were empty
    found = [(d.period_start[:10], d.article_ids) for d in await digests.due(10)]
    assert found == [("2026-11-27", ("friday",)), ("2026-11-29", ("sunday",))]
    [sub] = await subs.for_guild(1)
    assert sub.digest_from == "2026-12-02T00:00:00+00:00"


async def test_weekly_periods_are_iso_weeks(db):
    clock, _, digests = await setup(db, WEEKLY)  # Friday 27 November
    await add(db, clock, "a")
    clock.set("2026-11-29T23:59:59+00:00")
    assert await digests.close() == 0
    clock.set("2026-11-30T00:00:00+00:00")
    assert await digests.close() == 1
    [digest] = await digests.due(10)
    assert (digest.period_start[:10], digest.period_end[:10]) == ("2026-11-23", "2026-11-30")


async def test_switching_to_each_article_posts_what_was_held_and_keeps_closed_digests(db):
    clock, subs, digests = await setup(db)
    await add(db, clock, "closed")
    clock.advance(86400)
    await digests.close()
    await add(db, clock, "open")
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=OFF)
    assert [d.article_id for d in await subs.due(10)] == ["open"]  # posted on its own now
    assert [d.article_ids for d in await digests.due(10)] == [("closed",)]  # still goes as a digest
    await add(db, clock, "later")
    assert [d.article_id for d in await subs.due(10)] == ["open", "later"]
    assert await digests.next_close_in() is None


async def test_switching_back_to_digests_never_reuses_a_period(db):
    clock, subs, digests = await setup(db)
    await add(db, clock, "a")
    clock.set("2026-11-30T00:00:00+00:00")  # Monday: Friday's digest written
    await digests.close()
    await subs.unsubscribe(CHANNEL)  # the pending digest is cancelled with its articles
    assert await digests.counts() == {"cancelled": 1}
    clock.set("2026-11-30T08:00:00+00:00")
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=WEEKLY)
    [sub] = await subs.for_guild(1)
    assert sub.digest_from == "2026-11-30T00:00:00+00:00"  # this week, after the last digest
    await add(db, clock, "b")
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=["x"], user_id=5, digest=DAILY)
    [sub] = await subs.for_guild(1)
    assert sub.digest_from == "2026-11-30T00:00:00+00:00"  # daily and weekly switch without closing
    clock.set("2026-12-01T00:00:00+00:00")
    assert await digests.close() == 1
    assert [d.article_ids for d in await digests.due(10)] == [("b",)]


async def test_a_backfill_is_posted_at_once_and_a_paused_channel_waits(db):
    clock, subs, digests = await setup(db)
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=DAILY, backfill=["old"])
    assert [d.article_id for d in await subs.due(10)] == ["old"]
    await add(db, clock, "new")
    clock.advance(86400)
    await digests.close()
    await subs.pause(CHANNEL, "Discord refused access")
    assert await digests.due(10) == [] and await digests.next_due_in() is None
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=DAILY)
    assert len(await digests.due(10)) == 1


async def test_cancel_and_retry(db):
    clock, _, digests = await setup(db)
    await add(db, clock, "a")
    clock.advance(86400)
    await digests.close()
    [digest] = await digests.claim(10, lease=60)
    assert await digests.retry_later(digest.id, "503", delay=60) is True
    assert await digests.due(10) == [] and 55 < await digests.next_due_in() <= 60
    assert await digests.cancel(digest.id, "gone") is False  # the retry gave the claim up
    await db.execute("UPDATE digests SET next_attempt = 0")
    [digest] = await digests.claim(10, lease=60)
    assert await digests.cancel(digest.id, "gone") is True
    assert await rows(db) == [("a", 1, digest.id, "cancelled")]


async def test_from_weekly_to_daily_the_ended_days_of_the_open_week_close_at_once(db):
    clock, subs, digests = await setup(db, WEEKLY, "2026-11-23T09:00:00+00:00")  # Monday
    await add(db, clock, "monday")
    clock.set("2026-11-24T09:00:00+00:00")
    await add(db, clock, "tuesday")
    clock.set("2026-11-26T09:00:00+00:00")  # Thursday
    await add(db, clock, "thursday")
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=DAILY)
    assert await digests.close() == 2
    found = [(d.mode, d.period_start[:10], d.period_end[:10], d.article_ids) for d in await digests.due(10)]
    assert found == [
        (DAILY, "2026-11-23", "2026-11-24", ("monday",)),
        (DAILY, "2026-11-24", "2026-11-25", ("tuesday",)),
    ]
    [sub] = await subs.for_guild(1)
    assert sub.next_digest == "2026-11-27T00:00:00+00:00"  # Thursday's article waits for its day's end


async def test_a_row_left_held_after_its_channel_went_back_to_single_posts_is_posted_on_its_own(db):
    """On PostgreSQL an article may be queued, held, while a switch to single posts releases the
    others; the outbox then posts it on its own, and a digest never takes it as well."""
    clock, subs, digests = await setup(db)
    await subs.subscribe(guild_id=1, channel_id=CHANNEL, keywords=[], user_id=5, digest=OFF)
    await db.execute(
        "INSERT INTO deliveries (channel_id, article_id, created_at, held) VALUES (?, ?, ?, 1)",
        (CHANNEL, "late", utcnow(clock)),
    )
    assert [d.article_id for d in await subs.due(10)] == ["late"]
    assert await subs.next_due_in() == 0
    clock.set("2026-11-29T00:00:05+00:00")
    assert await digests.close() == 0 and await digests.due(10) == []


# Claims (issue 18): as for single posts (tests/bot/storage/test_subscriptions.py), a "process" is a
# repository with its own identity on its own connection.


@contextlib.asynccontextmanager
async def processes(database, clock, *owners: str):
    async with contextlib.AsyncExitStack() as stack:
        repos = []
        for owner in owners:
            conn = await connect(database)
            stack.push_async_callback(conn.close)
            repos.append(DigestRepository(conn, clock=clock, owner=owner))
        yield repos


async def test_two_processes_closing_the_same_period_write_one_digest(db, database):
    clock, _, _ = await setup(db)
    await add(db, clock, "a", "b")
    clock.advance(86400)
    async with processes(database, clock, "host-a:1:a", "host-b:2:b") as (a, b):
        written = await asyncio.gather(a.close(), b.close())
    assert sum(written) == 1
    async with db.execute("SELECT COUNT(*) FROM digests") as cur:
        assert (await cur.fetchone())[0] == 1


async def test_a_digest_is_claimed_by_one_process_and_a_stale_claimant_sends_no_part(db, database):
    clock, _, _ = await setup(db)
    await add(db, clock, "a", "b")
    clock.advance(86400)
    async with processes(database, clock, "host-a:1:a", "host-b:2:b") as (a, b):
        await a.close()
        [digest] = await a.claim(5, lease=60)
        assert await b.claim(5, lease=60) == [] and await b.due(5) == []
        assert 55 < await b.next_due_in() <= 60
        assert await a.part_sent(digest.id, 1, message_id=500) is True
        assert await a.renew(digest.id, lease=-1) is True  # then a hangs: its lease runs out
        [taken] = await b.claim(5, lease=60)
        assert taken.parts_sent == 1  # b goes on from the parts already sent, never re-sends them
        assert await a.renew(digest.id, lease=60) is False
        assert await a.part_sent(digest.id, 2, message_id=501) is False
        assert await a.delivered(digest.id) is False and await a.cancel(digest.id, "x") is False
        assert await a.retry_later(digest.id, "x", delay=1) is False
        assert await rows(db) == [("a", 1, digest.id, "pending"), ("b", 1, digest.id, "pending")]
        assert await b.part_sent(digest.id, 2, message_id=501) is True
        assert await b.delivered(digest.id) is True
    assert await rows(db) == [("a", 1, digest.id, "delivered"), ("b", 1, digest.id, "delivered")]
