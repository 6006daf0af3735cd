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
