"""Refused pages: looked up by key range on the key's index, forgotten with their feed."""

from __future__ import annotations

import pytest

from bot.storage.feeds import FeedRepository
from bot.storage.refusals import RefusalRepository, _key_range, feed_prefix

KEYS = ["feed:1:", "feed:1:a", "feed:1:é", "feed:1;", "feed:10:x", "feed:2:a", "file:1:a", "feed:", "fee"]


async def refused(db, *keys: str) -> RefusalRepository:
    repo = RefusalRepository(db)
    for key in keys:
        await repo.refuse(key, "too slow", now=0, base=60, cap=3600)
    return repo


@pytest.mark.parametrize("backend", ["sqlite"])  # the query plan is SQLite's
async def test_a_prefix_is_a_range_of_the_keys_index(db):
    repo = await refused(db, *KEYS)
    assert set(await repo.with_prefix("feed:1:")) == {"feed:1:", "feed:1:a", "feed:1:é"}
    assert set(await repo.with_prefix("feed:")) == {k for k in KEYS if k.startswith("feed:")}
    assert set(await repo.with_prefix("file:")) == {"file:1:a"}
    assert set(await repo.with_prefix("")) == set(KEYS)
    where, params = _key_range("feed:1:")
    async with db.execute(f"EXPLAIN QUERY PLAN SELECT * FROM refused_pages WHERE {where}", params) as cur:
        plan = " ".join(str(r[-1]) for r in await cur.fetchall())
    assert plan.startswith("SEARCH refused_pages USING INDEX") and "(key>? AND key<?)" in plan, plan
    # (substr(key, 1, ?) = ? was "SCAN refused_pages": every row of every feed and file, at every poll)


async def test_odd_last_characters(db):
    top, before_surrogates = "k" + chr(0x10FFFF), "k" + chr(0xD7FF)
    repo = await refused(db, top, top + "x", before_surrogates + "y", "k", "l")
    assert set(await repo.with_prefix(top)) == {top, top + "x"}
    assert set(await repo.with_prefix(before_surrogates)) == {before_surrogates + "y"}


async def test_a_removed_feed_forgets_its_refused_entries(db):
    feeds = FeedRepository(db)
    a, _ = await feeds.add("https://a.example/feed.xml", 900)
    b, _ = await feeds.add("https://b.example/feed.xml", 900, origin="config")
    keep, _ = await feeds.add("https://c.example/feed.xml", 900)
    repo = await refused(db, *(feed_prefix(f.id) + "entry" for f in (a, b, keep)), "file:notes.html")
    assert await feeds.remove(a.url)
    assert await repo.get(feed_prefix(a.id) + "entry") is None
    _, removed = await feeds.sync_config([], 900)  # b left BRIEFBOT_FEEDS
    assert removed == [b.url] and await repo.get(feed_prefix(b.id) + "entry") is None
    assert set(await repo.with_prefix("")) == {feed_prefix(keep.id) + "entry", "file:notes.html"}
    # A feed that gets a removed one's id (SQLite reuses ids; PostgreSQL's identities do not) starts
    # with no refusals.
    await feeds.remove(keep.url)
    again, _ = await feeds.add("https://d.example/feed.xml", 900)
    assert await repo.with_prefix(feed_prefix(again.id)) == {}
    assert again.id in (a.id, b.id, keep.id) or db.dialect != "sqlite"
