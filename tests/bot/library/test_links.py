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


def story(n: int) -> list[str]:
    """A page of its own: the harbour story with a sentence only it has (so a different article)."""
    return [*HARBOUR, f"The board will meet again on day {n} of the works to review the plan in public."]


async def test_what_only_links_brought_is_retired_some_days_after_it_was_last_asked_for(links, db, feed_server):
    first = await links.article(feed_server.page("/a", "Harbour Plan One", story(1)))
    links.clock.now += 3600
    second = await links.article(feed_server.page("/b", "Harbour Plan Two", story(2)))
    links.clock.now += 20 * 86_400
    assert await links.article(feed_server.url("/a")) == first  # asked again: its time starts again
    links.clock.now += links.keep_seconds - 20 * 86_400  # 30 days after the second was last asked for
    assert await links.sweep() == []  # kept for 30 days: not a second less
    links.clock.now += 1
    assert await links.sweep() == [second.id]
    catalogue = links.library.catalogue
    assert catalogue.by_id(second.id) is None and catalogue.resolve("Harbour Plan Two") is None
    assert second.id not in {r.id for r in links.library.articles}  # /articles and autocomplete
    assert [r.id for r, _ in (await links.library.reading.search_quotes("quays")).hits] == [first.id]  # /quotes
    assert catalogue.by_id(first.id) == first and len(links.library.articles) == 3  # the seeds and the first
    # Asked for again, the link is fetched again and the article comes back, the same article.
    assert (await links.article(feed_server.url("/b"))).id == second.id
    assert len(feed_server.requests_to("/b")) == 2 and catalogue.by_id(second.id) is not None


async def test_over_the_cap_the_least_recently_asked_for_go_first(links, db, feed_server):
    links.max_articles = 2
    first = await links.article(feed_server.page("/s0", "Harbour Plan 0", story(0)))
    links.clock.now += 60
    second = await links.article(feed_server.page("/s1", "Harbour Plan 1", story(1)))
    links.clock.now += 60
    assert await links.article(feed_server.url("/s0")) == first  # briefed again from the library: asked for last
    links.clock.now += 60
    third = await links.article(feed_server.page("/s2", "Harbour Plan 2", story(2)))
    # The third made three: the least recently asked for, the second, is retired as the third is stored.
    live = {r.id for r in links.library.articles}
    assert first.id in live and third.id in live and second.id not in live
    assert len(live) == 4  # the two seeds and two links
    assert len(feed_server.requests_to("/s0")) == 1
    # What was asked for within a fetch's time may be being briefed right now: the next sweep takes it.
    links.max_articles = 0
    assert await links.sweep() == [first.id]
    links.clock.now += links.seconds + 1
    assert await links.sweep() == [third.id]


async def test_a_linked_article_a_channel_was_given_or_a_feed_brought_is_never_retired(links, db, feed_server):
    links.max_articles = 0  # nothing that only links hold may stay
    subs = SubscriptionRepository(db)
    shared = await links.article(feed_server.page("/posted", "Harbour Plan Posted", story(1)))
    assert links.library.catalogue.by_id(shared.id) == shared  # what was just asked for stays till the next sweep
    await subs.subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3, backfill=[shared.id])  # queued
    feeds = FeedRepository(db)
    poller = FeedPoller(feeds, links.library, links.fetcher, clock=links.clock)
    await feeds.add(harbour_site(feed_server), 900)
    await poller.poll_due()
    fed = await links.article(feed_server.url("/ferry"))  # a page the feed brought too
    alone = await links.article(feed_server.page("/alone", "Harbour Plan Alone", story(2)))
    links.clock.now += 10 * links.keep_seconds
    assert await links.sweep() == [alone.id]
    live = {r.id for r in links.library.articles}
    assert shared.id in live, "posted"
    assert fed.id in live, "fed"
    seeds = [r for r in links.library.articles if r.source_path]
    assert len(seeds) == 2  # the folder's articles are the folder's


async def test_each_member_has_an_allowance_of_pages_fetched(links, feed_server):
    links.per_user = 2
    for n in range(3):
        feed_server.page(f"/p{n}", f"Harbour Plan {n}", story(n))
    await links.article(feed_server.url("/p0"), user_id=1)
    await links.article(feed_server.url("/p1"), user_id=1)
    assert await links.article(feed_server.url("/p0"), user_id=1)  # briefed from the library: free
    with pytest.raises(LinkError) as raised:
        await links.article(feed_server.url("/p2"), user_id=1)
    assert raised.value.kind == "busy" and "try this one again in 60 minutes" in str(raised.value)
    assert len(feed_server.requests_to("/p2")) == 0
    assert await links.article(feed_server.url("/p2"), user_id=2)  # another member's allowance
    links.clock.now += links.per_user_seconds
    assert await links.article(feed_server.url("/p2"), user_id=1)  # an hour on: allowed again
