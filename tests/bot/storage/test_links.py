"""The links repository: the article a link gave, reused only while it is fresh, replaced when fetched again."""

from __future__ import annotations

import aiosqlite

from bot.storage.db import connect, migrate
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


async def _article(db, article_id: str, *, source_path: str | None = None, retired: bool = False) -> None:
    await db.execute(
        "INSERT INTO articles (id, slug, source_path, content_hash, title, words, sort_time, added_at, updated_at, "
        "retired_at) VALUES (?, ?, ?, ?, ?, 10, '2026-01-01', '2026-01-01', '2026-01-01', ?)",
        (article_id, article_id, source_path, "h" + article_id, article_id.title(), "2026-01-02" if retired else None),
    )


async def test_only_requested_is_what_only_links_hold_last_asked_for_first(db):
    repo = LinkRepository(db)
    for article_id in ("old", "new", "twice", "posted", "fed", "filed", "retired"):
        await _article(
            db, article_id, source_path="f.md" if article_id == "filed" else None, retired=article_id == "retired"
        )
        await repo.record(f"https://a.example/{article_id}", article_id, fetched_at=100.0)
    await repo.record("https://a.example/new", "new", fetched_at=300.0)  # fetched again later
    await repo.record("https://b.example/twice", "twice", fetched_at=150.0)  # a second link to the same article
    await repo.requested("https://a.example/twice", 400.0)  # briefed again from the library
    await repo.requested("https://a.example/twice", 200.0)  # an older time never moves it back
    await db.execute(
        "INSERT INTO deliveries (channel_id, article_id, created_at) VALUES (?, ?, ?)", (2, "posted", "2026-01-01")
    )
    await db.execute("INSERT INTO feeds (url, interval_seconds, added_at) VALUES ('https://f.example/', 900, 'now')")
    await db.execute("INSERT INTO feed_items (feed_id, guid, article_id, seen_at) VALUES (1, 'g', 'fed', 'now')")
    assert await repo.only_requested() == [("twice", 400.0), ("new", 300.0), ("old", 100.0)]
    await repo.forget(["twice", "old"])
    assert await repo.only_requested() == [("new", 300.0)]
    async with db.execute("SELECT link FROM links ORDER BY link") as cur:
        assert [r[0] for r in await cur.fetchall()] == [
            f"https://a.example/{i}" for i in ("fed", "filed", "new", "posted", "retired")
        ]
    assert await repo.get("https://a.example/old", since=0) is None  # forgotten: fetched again if asked


async def test_a_link_stored_before_migration_13_counts_from_when_it_was_fetched(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = await aiosqlite.connect(path, isolation_level=None)
    await migrate(old, target=12)
    await old.execute("INSERT INTO links (link, article_id, fetched_at) VALUES ('https://a.example/x', 'x', 123.0)")
    await old.close()
    db = await connect(path)
    try:
        async with db.execute("SELECT requested_at FROM links") as cur:
            assert [r[0] for r in await cur.fetchall()] == [123.0]
    finally:
        await db.close()
