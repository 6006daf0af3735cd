"""Feeds against slow, failing and hostile pages on a local HTTP server: one feed never delays
another, each poll and each page has a time budget, pages are extracted in killable workers, and a
page that failed is recorded and retried with backoff (not every poll, not at once after a restart),
counting toward the feed's health."""

from __future__ import annotations

import asyncio
import html
import time

import pytest

from bot.core.wording import feed_state
from bot.library.feeds import FeedPoller
from bot.library.service import Library
from bot.library.webpages import extract_page
from bot.library.workers import KillablePool
from bot.sources.fetch import Fetcher
from bot.storage.feeds import FeedRepository
from bot.storage.refusals import RefusalRepository
from tests.bot.library.test_feeds import FERRY, HARBOUR, MARKET, Clock
from tests.bot.test_runaway import slow_page
from tests.support.feedserver import Item, Route

INTERVAL = 900


def page_bytes(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body><main><article>"
        f"<h1>{html.escape(title)}</h1>{body}</article></main></body></html>"
    ).encode()


def dripping(title: str, n: int, seconds: float) -> Route:
    """A page whose bytes arrive 1 KB every 0.1 s, for ``seconds`` in all."""
    body = page_bytes(title, story(n))
    return Route(body + b" " * max(0, int(seconds * 10) * 1024 - len(body)), drip=0.1)


def story(n: int) -> list[str]:
    return [f"Story number {n} begins here. {p}" for p in (HARBOUR, FERRY, MARKET)[n % 3]]


def _pause_and_read(body: bytes) -> None:
    time.sleep(0.2)  # both workers busy at once: both start
    extract_page(body, "https://example.org/warm")


@pytest.fixture
async def make(db, articles_dir):
    """make(**poller options) -> a FeedPoller on a fresh library, with a clock the test moves; page
    workers started before the test times anything (a worker's first start imports trafilatura)."""
    made: list[tuple[Fetcher, Library]] = []
    pool = KillablePool(2, memory_bytes=512 * 1024 * 1024, preload=("bot.sources.pages", "trafilatura"))
    warm = page_bytes("Warm", story(0))  # a worker's first page also loads what trafilatura loads lazily
    await asyncio.gather(*(pool.run(_pause_and_read, warm, seconds=60) for _ in range(2)))

    async def build(*, fetch_timeout: float = 10.0, page_seconds: float = 30.0, clock=None, **options) -> FeedPoller:
        library = Library(db, articles_dir, pages=pool, page_seconds=page_seconds)
        await library.sync()
        fetcher = Fetcher(allow_private=True, timeout=fetch_timeout)
        made.append((fetcher, library))
        return FeedPoller(FeedRepository(db), library, fetcher, clock=clock or Clock(), **options)

    try:
        yield build
    finally:
        for fetcher, _ in made:
            await fetcher.close()
        pool.close()


def record_store_times(poller) -> dict[str, float]:
    """Seconds from now until each article's title was stored by the poller's library."""
    stored: dict[str, float] = {}
    real, started = poller.library.ingest.add_raws, time.monotonic()

    async def add_raws(raws, **kwargs):
        report = await real(raws, **kwargs)
        for raw in raws:
            stored[raw.title] = time.monotonic() - started
        return report

    poller.library.ingest.add_raws = add_raws
    return stored


async def test_a_slow_feed_never_delays_another(make, feed_server):
    """Four slow-drip pages in the first feed (3 s each) used to hold the poller's lock: the second
    feed was polled only when they were done."""
    poller = await make()
    slow_items = []
    for i in range(4):
        feed_server.set(f"/slow/{i}", dripping(f"Slow Story {i}", i, 3.0))
        slow_items.append(Item(f"Slow Story {i}", feed_server.url(f"/slow/{i}"), guid=f"slow-{i}"))
    await poller.repo.add(feed_server.rss("/slow.xml", slow_items), INTERVAL)  # first: the most overdue
    feed_server.page("/quick", "Quick Story", story(7))
    await poller.repo.add(feed_server.rss("/quick.xml", [Item("Quick Story", feed_server.url("/quick"))]), INTERVAL)
    stored = record_store_times(poller)
    results = await poller.poll_due()
    assert [len(r.added) for r in results] == [4, 1]
    assert stored["Quick Story"] < 1.5, stored
    assert min(stored[f"Slow Story {i}"] for i in range(4)) >= 2.5, stored


async def test_a_feed_due_while_another_is_slow_is_not_made_to_wait(make, feed_server):
    """A feed that becomes due while a slow one is being polled is polled at once, as the bot's loop
    starts it: it used to wait for the slow feed's whole poll (the poller's lock was held across it).
    A feed being polled is not started a second time."""
    poller = await make()
    slow_items = []
    for i in range(2):
        feed_server.set(f"/slow/{i}", dripping(f"Slow Story {i}", i, 4.0))
        slow_items.append(Item(f"Slow Story {i}", feed_server.url(f"/slow/{i}"), guid=f"slow-{i}"))
    await poller.repo.add(feed_server.rss("/slow.xml", slow_items), INTERVAL)
    stored = record_store_times(poller)
    slow = asyncio.create_task(poller.poll_due())
    await asyncio.sleep(0.5)  # the slow feed's pages are dripping in
    assert len(poller.polling) == 1
    feed_server.page("/quick", "Quick Story", story(7))
    await poller.repo.add(feed_server.rss("/quick.xml", [Item("Quick Story", feed_server.url("/quick"))]), INTERVAL)
    [quick] = await poller.poll_due()  # what the bot's loop does at its next look
    assert quick.url.endswith("/quick.xml") and len(quick.added) == 1
    assert not slow.done()
    [result] = await slow
    assert len(result.added) == 2
    assert stored["Quick Story"] < 2.0, stored
    assert min(stored[f"Slow Story {i}"] for i in range(2)) >= 3.5, stored
    assert len(feed_server.requests_to("/slow.xml")) == 1  # not polled again while in progress
    assert poller.polling == set()


async def test_slow_pages_count_toward_the_feeds_health(make, feed_server, db):
    """Pages that never arrive in time, with no text in the feed: the poll is a failure of the feed
    (backed off, then disabled), not a success retried every poll."""
    poller = await make(fetch_timeout=0.3, max_failures=2)
    for i in range(3):
        feed_server.set(f"/drip/{i}", dripping(f"Drip {i}", i, 2.0))
    url = feed_server.rss(
        "/drip.xml", [Item(f"Drip {i}", feed_server.url(f"/drip/{i}"), guid=f"d{i}") for i in range(3)]
    )
    await poller.repo.add(url, INTERVAL)
    [result] = await poller.poll_due()
    assert result.added == [] and len(result.skipped) == 3
    assert result.error is not None and "3 new entries failed" in result.error and "0.3 s" in result.error
    feed = await poller.repo.get(url)
    assert feed.failures == 1 and feed.last_error == result.error and feed_state(feed).startswith("failing")
    assert feed.next_poll == poller.clock.now + 2 * INTERVAL  # backed off like any failure
    poller.clock.now += 2 * INTERVAL
    [result] = await poller.poll_due()
    assert result.disabled is not None and "2 failures in a row" in result.disabled
    assert (await poller.repo.get(url)).disabled


async def test_a_failed_page_is_retried_with_backoff_not_every_poll_nor_after_a_restart(make, feed_server, db):
    """A page that fails (here: too slow for the fetch timeout) while the feed stays healthy: tried
    again one interval later, then after two, four...; a restart does not fetch it early."""
    clock = Clock()
    poller = await make(fetch_timeout=0.3, clock=clock)
    feed_server.set("/drip", dripping("Drip", 0, 2.0))
    items = [Item("Drip", feed_server.url("/drip"), guid="drip")]

    def publish(n: int) -> str:  # a new healthy story at every poll, so the feed itself is fine
        feed_server.page(f"/fresh/{n}", f"Fresh Story {n}", story(n))
        items.insert(0, Item(f"Fresh Story {n}", feed_server.url(f"/fresh/{n}"), guid=f"fresh-{n}"))
        return feed_server.rss("/mixed.xml", items)

    url = publish(0)
    await poller.repo.add(url, INTERVAL)
    fetched = []
    for n in range(6):
        if n == 4:  # a restart: a new poller on the same database
            poller = await make(fetch_timeout=0.3, clock=clock)
        publish(n + 1)
        [result] = await poller.poll_due()
        assert result.error is None and len(result.added) == (2 if n == 0 else 1)
        assert (await poller.repo.get(url)).failures == 0
        fetched.append(len(feed_server.requests_to("/drip")))
        clock.now += INTERVAL
    # Polls 0..5: tried at 0, again at 1 (one interval), at 3 (two more), next due at 7.
    assert fetched == [1, 2, 2, 3, 3, 3]
    refusal = await RefusalRepository(db).get(f"feed:{(await poller.repo.get(url)).id}:drip")
    assert refusal is not None and refusal.failures == 3 and "0.3 s" in refusal.reason


async def test_each_poll_has_a_time_budget(make, feed_server):
    """Pages one at a time, 0.5 s each, in a poll of 1.5 s: what the budget does not reach waits for
    the next poll (not a failure); the page it cut short is recorded as failed."""
    poller = await make(poll_seconds=1.5, pages_per_feed=1)
    items = []
    for i in range(6):
        feed_server.set(f"/late/{i}", Route(page_bytes(f"Late {i}", story(i)), delay=0.5))
        items.append(Item(f"Late {i}", feed_server.url(f"/late/{i}"), guid=f"late-{i}"))
    url = feed_server.rss("/late.xml", items)
    await poller.repo.add(url, INTERVAL)
    started = time.monotonic()
    [result] = await poller.poll_due()
    assert time.monotonic() - started < 3.0
    assert 1 <= len(result.added) <= 2  # the oldest, within the budget
    [(_, reason)] = result.skipped
    assert reason.startswith("page: no article within") and reason.endswith("the feed gives no text either")
    assert result.deferred >= 2 and len(result.added) + 1 + result.deferred == 6
    feed = await poller.repo.get(url)
    assert feed.failures == 0 and feed.etag is None  # the next poll reads the feed again


async def test_a_page_over_its_extraction_budget_is_refused_and_the_feed_text_used(make, feed_server, caplog):
    """trafilatura takes seconds over this page (and minutes over a larger one): the worker is killed
    at the budget, the entry falls back to the feed's own text, and one without text is recorded."""
    poller = await make(page_seconds=1.0)
    feed_server.set("/links-a", Route(slow_page().encode()))
    feed_server.set("/links-b", Route(slow_page().encode()))
    summary = "<p>" + " ".join(story(1)) + "</p>"
    url = feed_server.rss(
        "/hostile.xml",
        [
            Item("Links With Text", feed_server.url("/links-a"), guid="a", summary=summary),
            Item("Links Alone", feed_server.url("/links-b"), guid="b"),
        ],
    )
    await poller.repo.add(url, INTERVAL)
    started = time.monotonic()
    [result] = await poller.poll_due()
    assert time.monotonic() - started < 6
    assert len(result.added) == 1 and poller.library.catalogue.resolve("Links With Text") is not None
    assert [r for _, r in result.skipped] == [
        "page refused: took more than 1 s; stopped; the feed gives no text either"
    ]
    assert "page refused: took more than 1 s" in caplog.text
    assert poller.pages.killed == 2


async def test_a_feed_pages_text_is_bounded_like_a_files(make, feed_server):
    poller = await make()
    paragraph = " ".join(HARBOUR)
    body = page_bytes("Very Long Story", [f"{i}. {paragraph}" for i in range(6_000)])  # 2.3 MB of text
    assert 2_000_000 < len(body) < 5_000_000
    feed_server.set("/long", Route(body))
    url = feed_server.rss("/long.xml", [Item("Very Long Story", feed_server.url("/long"), guid="long")])
    await poller.repo.add(url, INTERVAL)
    [result] = await poller.poll_due()
    assert result.added == []
    [(_, reason)] = result.skipped
    assert "article text too long" in reason and "the limit is 2,000,000" in reason
