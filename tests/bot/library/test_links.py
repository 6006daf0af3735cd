"""Links to briefs: a page becomes a library article (never delivered), reused while fresh, fetched
once for callers asking at the same time; each failure named; the first link of a message."""

from __future__ import annotations

import asyncio

import pytest

from bot.library.feeds import FeedPoller
from bot.library.links import LinkError, Links, first_link
from bot.sources.fetch import Fetcher
from bot.storage.feeds import FeedRepository
from bot.storage.links import LinkRepository
from bot.storage.subscriptions import SubscriptionRepository
from tests.bot.library.test_feeds import HARBOUR, Clock, harbour_site
from tests.support.feedserver import Route


@pytest.fixture
async def links(library, db):
    fetcher = Fetcher(allow_private=True, timeout=5.0)
    try:
        yield Links(library, fetcher, LinkRepository(db), clock=Clock(), seconds=5.0)
    finally:
        await fetcher.close()


async def outbox(db) -> int:
    async with db.execute("SELECT COUNT(*) FROM deliveries") as cur:
        return (await cur.fetchone())[0]


async def test_a_link_joins_the_library_undelivered_and_is_reused_while_fresh(links, db, feed_server):
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3)
    url = feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR, author="Jane Doe")
    row = await links.article(url)
    assert row.title == "Harbour Plan Approved" and row.author == "Jane Doe" and row.url == url
    assert links.library.catalogue.resolve("Harbour Plan Approved") == row  # resolvable by /brief article:
    found = await links.library.reading.search_quotes("quays")  # searchable by /quotes
    assert [r.id for r, _ in found.hits] == [row.id]
    assert await outbox(db) == 0  # a member's link is not posted to subscribed channels
    # The same link, spelt with capitals, tracking parameters and a fragment: reused, not fetched.
    assert await links.article(url.replace("http://", "HTTP://") + "?utm_source=chat#top") == row
    assert len(feed_server.requests_to("/harbour")) == 1
    # After the reuse window, fetched again: the same content is the same article.
    links.clock.now += links.reuse_seconds + 1
    assert await links.article(url) == row
    assert len(feed_server.requests_to("/harbour")) == 2
    assert await outbox(db) == 0 and len(links.library.articles) == 3


async def test_callers_asking_at_once_share_one_fetch(links, feed_server):
    feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR)
    feed_server.routes["/harbour"].delay = 0.3
    rows = await asyncio.gather(*(links.article(feed_server.url("/harbour")) for _ in range(3)))
    assert len({r.id for r in rows}) == 1
    assert len(feed_server.requests_to("/harbour")) == 1


NAV_ONLY = b"<html><head><title>Home</title></head><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>"


@pytest.mark.parametrize(
    ("route", "kind", "words"),
    [
        (Route(status=404), "http", "the site answered HTTP 404 Not Found"),
        (Route(status=503), "http", "HTTP 503"),
        (Route(body=b"%PDF-1.7", content_type="application/pdf"), "not-html", "not a web page but application/pdf"),
        (Route(body=NAV_ONLY), "not-article", "not an article I can brief"),
        (Route(body=b"<html>" + HARBOUR[0].encode(), delay=3.0), "timeout", "took too long to answer"),
        (Route(body=b"x" * 2_000), "too-large", "too large"),
    ],
    ids=["404", "503", "pdf", "no article", "timeout", "too large"],
)
async def test_each_failure_is_named(links, feed_server, route, kind, words):
    links.seconds = 1.0 if kind == "timeout" else 30.0  # a cold worker takes a few seconds to start
    links.max_bytes = 1_000 if kind == "too-large" else 5_000_000
    url = feed_server.set("/page", route)
    with pytest.raises(LinkError) as raised:
        await links.article(url)
    assert raised.value.kind == kind and words in raised.value.message
    assert len(links.library.articles) == 2


async def test_addresses_refused_before_and_after_resolution(library, db, feed_server):
    url = feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR)
    fetcher = Fetcher(allow_private=False, timeout=5.0)
    links = Links(library, fetcher, LinkRepository(db))
    try:
        for bad, kind in [
            ("javascript:alert(1)", "invalid"),
            ("not a link", "invalid"),
            ("http://１２７.０.０.１/x", "invalid"),  # look-alike digits are refused whatever the setting
            (url, "refused"),  # a private address literal: refused before anything is fetched
        ]:
            with pytest.raises(LinkError) as raised:
                links.check(bad)
            assert raised.value.kind == kind, bad
        # A name that resolves to a private address: refused by the fetcher at connection time.
        by_name = url.replace("127.0.0.1", "localhost")
        assert links.check(by_name) == by_name
        with pytest.raises(LinkError) as raised:
            await links.article(by_name)
        assert raised.value.kind == "refused" and "private or local address" in raised.value.message
        assert feed_server.seen == []
    finally:
        await fetcher.close()


@pytest.mark.parametrize(
    ("content", "embeds", "link"),
    [
        ("read this: https://news.example/story.", [], "https://news.example/story"),
        (
            "(see https://en.wikipedia.org/wiki/Pier_(architecture))",
            [],
            "https://en.wikipedia.org/wiki/Pier_(architecture)",
        ),
        ("[the story](https://news.example/a) and http://b.example/", [], "https://news.example/a"),
        ("<https://news.example/quiet?id=1> no preview", [], "https://news.example/quiet?id=1"),
        ("ftp://files.example/x and mailto:a@b.example", [], None),
        ("no link here, only http:// alone", [None, "https://embed.example/1"], "https://embed.example/1"),
        ("", [], None),
    ],
)
def test_first_link(content, embeds, link):
    assert first_link(content, embeds) == link


async def test_stop_cancels_the_fetches_in_progress(links, feed_server):
    feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR)
    feed_server.routes["/harbour"].delay = 5.0
    asking = asyncio.create_task(links.article(feed_server.url("/harbour")))
    await asyncio.sleep(0.3)
    await links.stop()
    with pytest.raises(asyncio.CancelledError):
        await asking
    assert links._fetching == {} and len(links.library.articles) == 2


async def test_a_linked_article_a_feed_brings_later_is_posted_then(links, db, feed_server):
    """A member's link is not the server's feed; but when the feed brings the same article after the
    link did, it is new to the feed, and posted to the subscribed channels once."""
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3)
    feeds = FeedRepository(db)
    poller = FeedPoller(feeds, links.library, links.fetcher, clock=links.clock)
    await feeds.add(harbour_site(feed_server), 900)
    [first] = await poller.poll_due()  # the back catalogue: stored, not posted
    assert len(first.added) == 2 and await outbox(db) == 0
    market = await links.article(feed_server.url("/market"))
    assert await outbox(db) == 0
    harbour_site(feed_server, guid_prefix="h", items=3)  # the feed now lists the market too
    links.clock.now += 901
    [later] = await poller.poll_due()
    assert later.added == [market.id] and later.queued == 1
    async with db.execute("SELECT channel_id, article_id FROM deliveries") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [(2, market.id)]
    links.clock.now += 901
    harbour_site(feed_server, guid_prefix="i", items=3)  # new guids: not posted again
    await poller.poll_due()
    assert await links.article(feed_server.url("/market")) == market
    assert await outbox(db) == 1


async def test_a_paywalled_page_is_briefed_as_a_preview(links, feed_server):
    url = feed_server.page("/locked", "Harbour Plan Approved", [*HARBOUR[:2], "Subscribe now to continue reading."])
    row = await links.article(url)
    brief = await links.library.reading.brief(row, 3)
    assert brief.article.preview_only and "Maria Lopez" in {q.speaker for q in brief.quotes}
