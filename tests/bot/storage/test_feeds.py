"""The feeds repository: adding, re-enabling, the configured feeds, schedule, failures and items."""

from __future__ import annotations

import pytest

from bot.storage.db import INTEGRITY_ERRORS, SCHEMA_VERSION
from bot.storage.feeds import FeedRepository

A = "https://a.example/feed.xml"
B = "https://b.example/rss"


async def test_schema_has_feeds(db):
    assert SCHEMA_VERSION >= 7
    tables = (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'feed%'"
        if db.dialect == "sqlite"
        else "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'feed%'"
    )
    async with db.execute(tables) as cur:
        assert {r[0] for r in await cur.fetchall()} == {"feeds", "feed_items"}


async def test_add_then_add_again_updates_and_re_enables(db):
    repo = FeedRepository(db)
    feed, new = await repo.add(A, 900)
    assert new and feed.interval == 900 and feed.next_poll == 0 and not feed.disabled and feed.origin == "cli"
    await repo.failed(feed.id, "HTTP 500", next_poll=5000, disable_reason="5 failures in a row; the last: HTTP 500")
    disabled = await repo.get(A)
    assert disabled.disabled and disabled.failures == 1 and disabled.last_error == "HTTP 500"
    assert await repo.due(10**9) == []
    again, new = await repo.add(A, 600)
    assert not new and not again.disabled and again.failures == 0 and again.interval == 600 and again.next_poll == 0
    assert [f.url for f in await repo.due(0)] == [A]


async def test_due_order_and_next_due(db):
    repo = FeedRepository(db)
    a, _ = await repo.add(A, 900)
    b, _ = await repo.add(B, 900)
    await repo.succeeded(a.id, next_poll=200, etag='"x"', last_modified=None, title="A", primed=True)
    await repo.succeeded(b.id, next_poll=100, etag=None, last_modified="yesterday", title=None, primed=True)
    assert await repo.due(50) == []
    assert [f.url for f in await repo.due(300)] == [B, A]
    assert await repo.next_due() == 100
    stored = await repo.get(A)
    assert stored.etag == '"x"' and stored.title == "A" and stored.primed and stored.last_ok_at


async def test_configured_feeds_follow_the_setting_but_keep_operator_feeds(db):
    repo = FeedRepository(db)
    added, removed = await repo.sync_config([A, B, A], 900)
    assert added == [A, B] and removed == []
    assert {f.origin for f in await repo.all()} == {"config"}
    await repo.add(B, 900)  # the operator adds it too: it is theirs now
    await repo.sync_config([A, B], 1200)
    assert [(f.url, f.interval) for f in await repo.all()] == [(A, 1200), (B, 900)]
    added, removed = await repo.sync_config([], 900)
    assert added == [] and removed == [A]
    assert [f.url for f in await repo.all()] == [B]


async def test_items_dedupe_keys_and_cascade(db):
    repo = FeedRepository(db)
    feed, _ = await repo.add(A, 900)
    await repo.record_item(feed.id, guid="g1", link="https://a.example/1", content_hash="h1", article_id="art1")
    await repo.record_item(feed.id, guid="g1", link="https://a.example/other", content_hash="h2", article_id="art2")
    await repo.record_item(feed.id, guid=None, link="https://a.example/2", content_hash="h3", article_id="art3")
    assert (await repo.item_by_guid(feed.id, "g1")).article_id == "art1"  # the first record stands
    assert (await repo.item_by_link("https://a.example/2")).article_id == "art3"
    assert (await repo.item_by_hash("h1")).guid == "g1"
    assert await repo.item_by_hash("h2") is None
    assert [f.items for f in await repo.all()] == [2]
    assert await repo.remove(A) and not await repo.remove(A)
    assert await repo.item_by_link("https://a.example/2") is None


async def test_origin_is_checked(db):
    with pytest.raises(INTEGRITY_ERRORS):
        await FeedRepository(db).add(A, 900, origin="somewhere")
