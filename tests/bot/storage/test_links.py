"""The links repository: the article a link gave, reused only while it is fresh, replaced when fetched again."""

from __future__ import annotations

from bot.storage.links import LinkRepository

LINK = "https://news.example/story"


async def test_a_link_is_found_only_while_fresh_and_replaced_when_fetched_again(db):
    links = LinkRepository(db)
    assert await links.get(LINK, since=0) is None
    await links.record(LINK, "aaaa", fetched_at=1000.0)
    assert await links.get(LINK, since=1000.0) == "aaaa"
    assert await links.get(LINK, since=1000.5) is None  # fetched before the window
    assert await links.get("https://news.example/other", since=0) is None
    await links.record(LINK, "bbbb", fetched_at=2000.0)
    assert await links.get(LINK, since=1500.0) == "bbbb"
    async with db.execute("SELECT COUNT(*) FROM links") as cur:
        assert (await cur.fetchone())[0] == 1


async def test_undelivered_means_from_a_link_never_queued_nor_from_a_feed(db):
    links = LinkRepository(db)
    assert not await links.undelivered("aaaa")  # not from a link at all
    await links.record(LINK, "aaaa", fetched_at=1000.0)
    assert await links.undelivered("aaaa")
    await db.execute(
        "INSERT INTO deliveries (channel_id, article_id, created_at) VALUES (?, ?, ?)", (2, "aaaa", "2026-01-01")
    )
    assert not await links.undelivered("aaaa")  # queued once: never again
    await links.record("https://news.example/b", "bbbb", fetched_at=1000.0)
    await db.execute("INSERT INTO feeds (url, origin, interval_seconds, added_at) VALUES ('f', 'cli', 900, 'now')")
    await db.execute(
        "INSERT INTO feed_items (feed_id, guid, link, content_hash, article_id, seen_at) "
        "VALUES (1, 'g', NULL, NULL, 'bbbb', 'now')"
    )
    assert not await links.undelivered("bbbb")  # a feed's article already


async def test_only_linked_leaves_out_what_a_feed_brought(db):
    repo = LinkRepository(db)
    await repo.record("https://a.example/1", "linked", fetched_at=1.0)
    await repo.record("https://a.example/2", "fed", fetched_at=1.0)
    await db.execute(
        "INSERT INTO feeds (url, interval_seconds, added_at) VALUES ('https://a.example/feed', 900, '2026-01-01')"
    )
    await db.execute(
        "INSERT INTO feed_items (feed_id, guid, link, article_id, seen_at) "
        "VALUES (1, 'g', 'https://a.example/2', 'fed', '2026-01-01')"
    )
    assert await repo.only_linked() == {"linked"}
