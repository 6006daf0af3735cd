"""Feeds end to end against a local HTTP server: ingestion, conditional requests, deduplication,
failures, limits, and what reaches the library and the delivery outbox."""

from __future__ import annotations

import json
import logging

import pytest

from bot.library.feeds import FeedPoller
from bot.library.service import Library
from bot.sources.fetch import Fetcher
from bot.storage.feeds import FeedRepository
from tests.support.feedserver import Item, Route

HARBOUR = [
    "The harbour board approved a new plan on Monday after a long debate among its members. "
    "The plan will cost a great deal of money over ten years.",
    "“We will rebuild the quays,” said Maria Lopez, the chair of the board. "
    "Critics said the money would be better spent on schools.",
    "Work is expected to start in the spring, when the weather improves and the contracts are signed.",
]
FERRY = [
    "The ferry company added a night crossing to the islands from December, after a petition by residents. "
    "Tickets go on sale next week.",
    "“People have waited years for this,” said Tom Reed, who organised the petition. "
    "The company said the crossing would run for a trial year.",
    "A second boat is being refitted for the route and should be ready before Christmas.",
]
MARKET = [
    "The covered market reopened on Saturday after a two-year restoration of its iron roof and glass walls. "
    "Traders returned to stalls that had been in their families for generations.",
    "“It feels like coming home,” said Ana Silva, who sells cheese near the north gate. "
    "The council paid for most of the work with a heritage grant.",
    "Opening hours are longer than before, and the market will stay open on Sunday mornings.",
]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def env(db, articles_dir):
    library = Library(db, articles_dir)
    await library.sync()
    fetcher = Fetcher(allow_private=True, timeout=2.0)
    clock = Clock()
    repo = FeedRepository(db)
    poller = FeedPoller(repo, library, fetcher, clock=clock, max_feed_bytes=200_000)
    try:
        yield poller
    finally:
        await fetcher.close()


def harbour_site(server, *, guid_prefix: str = "g", items: int = 2) -> str:
    server.page("/harbour", "Harbour Plan Approved", HARBOUR, author="Jane Doe")
    server.page("/ferry", "Night Ferry Added", FERRY, author="Sam Hill")
    server.page("/market", "Covered Market Reopens", MARKET, author="Lee Park")
    chosen = [
        Item("Night Ferry Added", server.url("/ferry"), guid=f"{guid_prefix}-ferry"),
        Item("Harbour Plan Approved", server.url("/harbour"), guid=f"{guid_prefix}-harbour"),
    ]
    if items == 3:
        chosen.insert(0, Item("Covered Market Reopens", server.url("/market"), guid=f"{guid_prefix}-market"))
    etag = '"v1"' if guid_prefix == "g" else f'"{guid_prefix}"'  # a changed feed gets a new ETag
    return server.rss("/feed.xml", chosen, etag=etag, last_modified="Mon, 03 Nov 2025 09:00:00 GMT")


async def poll(poller: FeedPoller, advance: float = 0.0):
    poller.clock.now += advance  # type: ignore[attr-defined]
    return await poller.poll_due()


async def test_rss_items_become_library_articles(env, feed_server):
    url = harbour_site(feed_server)
    feed, _ = await env.repo.add(url, 900)
    [result] = await poll(env)
    assert result.error is None and len(result.added) == 2 and result.entries == 2
    library = env.library
    row = library.catalogue.resolve("Harbour Plan Approved")
    assert row is not None
    assert row.author == "Jane Doe" and row.publication == "Harbour Gazette"
    assert row.url == feed_server.url("/harbour") and row.source_path is None
    assert row.published == "2025-11-03"  # from the page's metadata
    brief = await library.reading.brief(row, 3)
    assert any(q.speaker == "Maria Lopez" for q in brief.quotes)
    found = await library.reading.search_quotes("quays")
    assert [r.title for r, _ in found.hits] == ["Harbour Plan Approved"]
    items = await env.repo.items(feed.id)
    assert {i.guid for i in items} == {"g-ferry", "g-harbour"} and all(i.content_hash for i in items)
    state = await env.repo.get(url)
    assert state.etag == '"v1"' and state.failures == 0 and state.primed and state.title == "Harbour Gazette"
    assert state.next_poll == env.clock.now + 900
    # Not due yet: nothing is fetched.
    before = len(feed_server.seen)
    assert await poll(env, 10) == []
    assert len(feed_server.seen) == before
    # The pages were asked for politely.
    ua = feed_server.requests_to("/harbour")[0].headers["User-Agent"]
    assert ua.startswith("briefbot/")


async def test_conditional_requests_and_304(env, feed_server):
    url = harbour_site(feed_server)
    await env.repo.add(url, 900)
    await poll(env)
    [result] = await poll(env, 900)
    assert result.not_modified and result.added == []
    second = feed_server.requests_to("/feed.xml")[1].headers
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Mon, 03 Nov 2025 09:00:00 GMT"
    assert len(feed_server.requests_to("/harbour")) == 1  # no page fetched again
    state = await env.repo.get(url)
    assert state.failures == 0 and state.etag == '"v1"' and state.last_ok_at


async def test_atom_feed_and_fallback_to_the_entry_text(env, feed_server):
    summary = (
        "<p>The opera house opened its season with a new production of Tosca, sung by a young cast.</p>"
        "<p>“It was a triumph,” said the director, Ines Berg.</p>"
    )
    feed_server.set("/broken-page", Route(status=500))
    feed_server.set("/pdf", Route(b"%PDF-1.4", "application/pdf"))
    url = feed_server.atom(
        "/atom.xml",
        [
            Item(
                "Tosca Opens the Season",
                feed_server.url("/broken-page"),
                guid="urn:a:1",
                author="Kim Lee",
                summary=summary,
            ),
            Item(
                "Programme Notes",
                feed_server.url("/pdf"),
                guid="urn:a:2",
                summary="<p>The notes for the season are out now, with essays on every opera.</p>",
            ),
            Item("Nothing Here", feed_server.url("/missing"), guid="urn:a:3"),
        ],
    )
    feed_server.routes["/atom.xml"].etag = '"a1"'
    await env.repo.add(url, 900)
    [result] = await poll(env)
    assert len(result.added) == 2
    assert [reason for _, reason in result.skipped] == ["page: HTTP 404 Not Found; the feed gives no text either"]
    assert (await env.repo.get(url)).etag == '"a1"'  # kept: the poll that retries the entry sends none
    row = env.library.catalogue.resolve("Tosca Opens the Season")
    assert row.author == "Kim Lee" and row.publication == "Opera Notes"
    article, _ = await env.library.reading.load(row)
    assert "young cast" in article.body and "<p>" not in article.body
    # The item without text is tried again at the next poll (it was not recorded).
    feed_server.page("/missing", "Nothing Here After All", MARKET)
    [again] = await poll(env, 900)
    assert len(again.added) == 1 and env.library.catalogue.resolve("Nothing Here After All") is not None
    assert "If-None-Match" not in feed_server.requests_to("/atom.xml")[1].headers
    assert (await env.repo.get(url)).etag == '"a1"'


async def test_entries_without_guid_or_link_are_deduplicated_by_content(env, feed_server):
    text = "<p>The lighthouse keeper retired after forty years, and the light will now be run from the mainland.</p>"
    url = feed_server.rss("/plain.xml", [Item("Keeper Retires", "", summary=text)])
    feed, _ = await env.repo.add(url, 900)
    [first] = await poll(env)
    assert len(first.added) == 1
    for _ in range(2):
        [again] = await poll(env, 900)
        assert again.added == [] and again.duplicates == 1
    assert len(await env.repo.items(feed.id)) == 1


async def test_dedupe_by_guid_then_link_then_content(env, feed_server, db):
    url = harbour_site(feed_server)
    feed, _ = await env.repo.add(url, 900)
    await poll(env)
    count = len(env.library.articles)
    # The feed rewrites every guid and date: the links are known, so nothing is fetched or added.
    feed_server.rss(
        "/feed.xml",
        [
            Item(
                "Night Ferry Added",
                feed_server.url("/ferry"),
                guid="new-ferry",
                published="Tue, 04 Nov 2025 10:00:00 GMT",
            ),
            Item("Harbour Plan Approved", feed_server.url("/harbour") + "?utm_source=rss#top", guid="new-harbour"),
        ],
    )
    pages = len(feed_server.seen)
    [result] = await poll(env, 900)
    assert result.added == [] and result.duplicates == 2
    assert len(feed_server.seen) == pages + 1  # the feed only
    assert {i.guid for i in await env.repo.items(feed.id)} >= {"new-ferry", "new-harbour"}
    # New guids and new links, same article text: found by content hash.
    feed_server.page("/2025/harbour-plan", "Harbour Plan Approved (updated)", HARBOUR, author="Jane Doe")
    feed_server.rss("/feed.xml", [Item("Harbour plan", feed_server.url("/2025/harbour-plan"), guid="third")])
    [result] = await poll(env, 900)
    assert result.added == [] and result.duplicates == 1
    assert len(env.library.articles) == count
    # Known guids are never fetched again, even with the validators gone.
    await db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    pages = len(feed_server.seen)
    [result] = await poll(env, 900)
    assert result.added == [] and len(feed_server.seen) == pages + 1


async def test_a_feed_that_changes_guids_every_poll_posts_each_article_once(env, feed_server, db):
    await env.library.ingest.subscriptions.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)
    harbour_site(feed_server, guid_prefix="a")
    url = feed_server.url("/feed.xml")
    await env.repo.add(url, 900)
    [first] = await poll(env)
    assert len(first.added) == 2 and first.queued == 0  # the back catalogue is not posted
    for n in range(3):
        feed_server.routes.pop("/feed.xml")
        harbour_site(feed_server, guid_prefix=f"b{n}", items=3)
        [result] = await poll(env, 900)
        assert result.queued == (1 if n == 0 else 0)
    async with db.execute("SELECT channel_id, article_id FROM deliveries") as cur:
        rows = await cur.fetchall()
    market = env.library.catalogue.resolve("Covered Market Reopens")
    assert [tuple(r) for r in rows] == [(10, market.id)]


async def test_folder_syncs_and_restarts_keep_feed_articles(env, feed_server, db, articles_dir):
    url = harbour_site(feed_server)
    await env.repo.add(url, 900)
    await poll(env)
    report = await env.library.sync()
    assert report.retired == []
    (articles_dir / "000_18d7c81359cbff0f.txt").unlink()  # a file goes: only its article retires
    report = await env.library.sync()
    assert len(report.retired) == 1
    restarted = Library(db, articles_dir)
    await restarted.sync()
    assert {"Harbour Plan Approved", "Night Ferry Added"} <= {r.title for r in restarted.articles}


async def test_failures_back_off_then_disable_with_the_reason(env, feed_server, caplog):
    url = feed_server.set("/down.xml", Route(status=500))
    await env.repo.add(url, 900)
    delays = []
    for _ in range(4):
        [result] = await poll(env)
        assert result.error == "HTTP 500 Internal Server Error" and result.disabled is None
        state = await env.repo.get(url)
        delays.append(state.next_poll - env.clock.now)
        env.clock.now = state.next_poll
    assert delays == [1800, 3600, 7200, 14400]
    [result] = await poll(env)
    assert result.disabled == "5 failures in a row; the last: HTTP 500 Internal Server Error"
    assert f"feed {url} disabled: 5 failures in a row; the last: HTTP 500 Internal Server Error" in caplog.text
    state = await env.repo.get(url)
    assert state.disabled and state.disabled_reason == result.disabled and state.failures == 5
    assert await poll(env, 10**6) == []  # a disabled feed is not polled
    # Adding it again enables it; a good poll clears the failures.
    harbour_site(feed_server)
    feed_server.routes["/down.xml"] = feed_server.routes["/feed.xml"]
    await env.repo.add(url, 900)
    [result] = await poll(env)
    assert result.error is None and (await env.repo.get(url)).failures == 0


async def test_malformed_feeds(env, feed_server):
    bad = feed_server.set("/bad.xml", Route(b"<html><body>Moved to a new home</body></html>", "text/html"))
    empty = feed_server.set("/empty.xml", Route(b"   ", "application/rss+xml"))
    feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR)
    broken = feed_server.set(  # unclosed elements, a bad entity: feedparser still reads the item
        "/broken.xml",
        Route(
            f"<rss version='2.0'><channel><title>Broken &nbsp; News</title><item><title>Harbour</title>"
            f"<link>{feed_server.url('/harbour')}</link><guid>h1</guid></item>".encode(),
            "application/rss+xml",
        ),
    )
    for url in (bad, empty, broken):
        await env.repo.add(url, 900)
    results = {r.url: r for r in await poll(env)}
    assert results[bad].error.startswith("not an RSS or Atom feed")
    assert results[empty].error == "empty answer"
    assert results[broken].error is None and len(results[broken].added) == 1


async def test_huge_feed_is_cut_off(env, feed_server):
    chunked = feed_server.set("/huge.xml", Route(stream=50_000_000, content_type="application/rss+xml"))
    declared = feed_server.set("/big.xml", Route(b"<rss>" + b" " * 300_000 + b"</rss>", "application/rss+xml"))
    await env.repo.add(chunked, 900)
    await env.repo.add(declared, 900)
    results = {r.url: r for r in await poll(env)}
    assert results[chunked].error == "too large (over 200,000 bytes)"
    assert results[declared].error == "too large (300,011 bytes; the limit is 200,000)"


async def test_huge_page_falls_back_to_the_feed_text(env, feed_server, caplog):
    env.max_page_bytes = 100_000
    feed_server.set("/endless", Route(stream=10_000_000))
    summary = "<p>The tide tables for the winter were published, with the highest tides expected in February.</p>"
    url = feed_server.rss("/tides.xml", [Item("Winter Tides", feed_server.url("/endless"), guid="t", summary=summary)])
    await env.repo.add(url, 900)
    with caplog.at_level(logging.INFO, logger="bot.library.feeds"):
        [result] = await poll(env)
    assert len(result.added) == 1 and result.skipped == []
    assert "using the feed's own text (page: too large (over 100,000 bytes))" in caplog.text
    article, _ = await env.library.reading.load(env.library.catalogue.resolve("Winter Tides"))
    assert "highest tides" in article.body


async def test_slow_feed_times_out(env, feed_server):
    env.fetcher.timeout = 0.3
    url = feed_server.set("/slow.xml", Route(b"<rss/>", delay=1.5))
    await env.repo.add(url, 900)
    [result] = await poll(env)
    assert result.error == "no complete answer within 0.3 s"


async def test_redirects_are_followed_within_bounds(env, feed_server):
    harbour_site(feed_server)
    moved = feed_server.set("/old.xml", Route(status=301, location="/feed.xml"))
    loop = feed_server.set("/loop.xml", Route(status=302, location="/loop.xml"))
    away = feed_server.set("/away.xml", Route(status=302, location="file:///etc/passwd"))
    for url in (moved, loop, away):
        await env.repo.add(url, 900)
    results = {r.url: r for r in await poll(env)}
    assert len(results[moved].added) == 2
    assert results[loop].error == "more than 5 redirects"
    assert len(feed_server.requests_to("/loop.xml")) == 6
    assert results[away].error == "only http and https addresses are fetched, not 'file'"


async def test_an_item_never_takes_over_the_id_of_an_edited_file(env, feed_server, articles_dir):
    """A file's article keeps the id of the content first seen at its path; an item with that
    first content gets an id of its own instead of taking the file's article over."""
    first = {  # exactly what the feed below gives, so the content hashes are equal
        "title": "Harbour Plan Approved",
        "text": "\n\n".join(HARBOUR),
        "published": "Mon, 03 Nov 2025 09:00:00 GMT",
        "publication": "Harbour Gazette",
    }
    (articles_dir / "harbour.json").write_text(json.dumps(first))
    await env.library.sync()
    row = env.library.catalogue.resolve("harbour.json")
    (articles_dir / "harbour.json").write_text(json.dumps({**first, "text": "\n\n".join(HARBOUR[:2])}))
    await env.library.sync()
    assert env.library.catalogue.resolve("harbour.json").id == row.id
    text = "".join(f"<p>{p}</p>" for p in HARBOUR)
    url = feed_server.rss("/f.xml", [Item("Harbour Plan Approved", "", guid="h", summary=text)])
    await env.repo.add(url, 900)
    [result] = await poll(env)
    [new_id] = result.added
    assert new_id != row.id
    assert env.library.catalogue.resolve("harbour.json").id == row.id
    assert (await env.library.catalogue.repo.by_id(row.id)).source_path == "harbour.json"


async def test_refusals_of_entries_gone_from_the_feed_and_of_retired_files_are_forgotten(env, feed_server, db):
    from bot.storage.refusals import RefusalRepository, feed_prefix

    refusals = RefusalRepository(db)
    url = harbour_site(feed_server)
    feed_server.rss(
        "/feed.xml",
        [Item("Nothing Here", feed_server.url("/missing"), guid="gone"), Item("Ferry", feed_server.url("/ferry"))],
    )
    feed, _ = await env.repo.add(url, 900)
    [result] = await poll(env)
    assert [r for _, r in result.skipped] == ["page: HTTP 404 Not Found; the feed gives no text either"]
    assert await refusals.get(feed_prefix(feed.id) + "gone") is not None
    harbour_site(feed_server)  # the entry left the feed: its refusal would never be used
    await poll(env, 900)
    assert await refusals.with_prefix(feed_prefix(feed.id)) == {}
    # A file's refusal goes when its article is retired (the file removed).
    await refusals.refuse("file:000_18d7c81359cbff0f.txt", "too slow", now=0, base=60, cap=60)
    await refusals.refuse("file:001_1b1c40b80df8ac56.txt", "too slow", now=0, base=60, cap=60)
    (env.library.folder / "000_18d7c81359cbff0f.txt").unlink()
    assert len((await env.library.sync()).retired) == 1
    assert set(await refusals.with_prefix("file:")) == {"file:001_1b1c40b80df8ac56.txt"}


async def test_entries_waiting_for_a_retry_keep_the_feeds_validators(env, feed_server, db):
    """One entry whose page keeps failing: the polls at which it is due for a retry read the whole
    feed (no validators sent); those at which it only waits get a 304, instead of every poll reading
    the whole feed until the entry falls out of the newest 50."""
    url = harbour_site(feed_server)  # ETag '"v1"', Last-Modified
    feed_server.rss(
        "/feed.xml",
        [Item("Nothing Here", feed_server.url("/missing"), guid="broken"), Item("Ferry", feed_server.url("/ferry"))],
        etag='"v1"',
        last_modified="Mon, 03 Nov 2025 09:00:00 GMT",
    )
    await env.repo.add(url, 900)
    results = []
    for at in (0, 450, 900, 1800, 2700):  # the entry is refused at 0 (retry at 900), then at 900 (retry at 2700)
        env.clock.now = 1_000_000.0 + at
        await db.execute("UPDATE feeds SET next_poll = 0")  # polled now, whatever a failure's backoff says
        [result] = await poll(env)
        results.append(result)
    sent = [
        "If-None-Match" in s.headers or "If-Modified-Since" in s.headers for s in feed_server.requests_to("/feed.xml")
    ]
    assert sent == [False, True, False, True, False]
    assert [r.not_modified for r in results] == [False, True, False, True, False]
    assert len(feed_server.requests_to("/missing")) == 3
    assert (await env.repo.get(url)).etag == '"v1"'


def new_analysis_version(monkeypatch, version: str = "next-version") -> None:
    """As if the analysis code changed (and ANALYSIS_VERSION with it) before a restart."""
    monkeypatch.setattr("bot.library.ingest.ANALYSIS_VERSION", version)
    monkeypatch.setattr("bot.library.reading.ANALYSIS_VERSION", version)


async def test_feed_articles_are_analysed_again_from_their_raw_text_when_the_analysis_changes(
    env, feed_server, db, articles_dir, monkeypatch
):
    """Issue 14's bug 1: only articles with a file were re-analysed after a change to the analysis,
    and a feed article's text was not kept, so /brief on it answered "something went wrong"."""
    from bot.library.ingest import analyse_raw
    from bot.storage.articles import raw_from_json

    await env.repo.add(harbour_site(feed_server), 900)
    await poll(env)
    new_analysis_version(monkeypatch)
    monkeypatch.setattr("bot.library.ingest.REANALYSE_CHUNK", 1)  # a chunk at a time
    restarted = Library(db, articles_dir)
    try:
        report = await restarted.sync()
        assert report.reanalysed == 2 and not report.skipped
        row = restarted.catalogue.resolve("Harbour Plan Approved")
        brief = await restarted.reading.brief(row, 3)
        assert any(q.speaker == "Maria Lopez" for q in brief.quotes)
        async with db.execute("SELECT raw_json FROM raw_articles WHERE content_hash = ?", (row.content_hash,)) as cur:
            raw = raw_from_json((await cur.fetchone())[0])
        article, analysis = await restarted.reading.load(row)
        fresh_article, fresh_analysis = analyse_raw(raw)
        assert analysis == fresh_analysis and article.paragraphs == fresh_article.paragraphs
        async with db.execute(
            "SELECT COUNT(*) FROM analyses WHERE engine_version = 'next-version' AND content_hash = ?",
            (row.content_hash,),
        ) as cur:
            assert (await cur.fetchone())[0] == 1  # analysed again, not read from the old version
        assert (await restarted.sync()).reanalysed == 0  # once
    finally:
        restarted.close()


async def test_a_stored_text_that_cannot_be_read_back_is_skipped_and_the_others_analysed_again(
    env, feed_server, db, articles_dir, monkeypatch
):
    """One bad row must not stop every sync: it is skipped with its reason, keeps its newest
    analysis, and the other articles are analysed again."""
    await env.repo.add(harbour_site(feed_server), 900)
    await poll(env)
    bad = env.library.catalogue.resolve("Harbour Plan Approved")
    before = await env.library.reading.load(bad)
    await db.execute("UPDATE raw_articles SET raw_json = '{not json' WHERE content_hash = ?", (bad.content_hash,))
    new_analysis_version(monkeypatch)
    restarted = Library(db, articles_dir)
    try:
        report = await restarted.sync()
        assert report.reanalysed == 1
        assert [reason for _, reason in report.skipped] == ["its stored text cannot be read back"]
        assert await restarted.reading.load(restarted.catalogue.resolve("Harbour Plan Approved")) == before
    finally:
        restarted.close()


def test_a_stored_raw_text_from_an_older_version_is_read_back():
    """Stored rows outlive the code that wrote them: a renamed field is read under its new name and
    a field no longer known is dropped, rather than failing the whole re-analysis."""
    from bot.storage.articles import raw_from_json

    raw = raw_from_json('{"text": "Body.", "title": "T", "dek": "The standfirst.", "gone": 1}')
    assert raw.standfirst == "The standfirst." and raw.text == "Body." and raw.authors == ()


async def test_an_article_stored_before_raw_text_was_kept_keeps_its_newest_analysis(
    env, feed_server, db, articles_dir, monkeypatch
):
    await env.repo.add(harbour_site(feed_server), 900)
    await poll(env)
    before = await env.library.reading.load(env.library.catalogue.resolve("Harbour Plan Approved"))
    await db.execute("DELETE FROM raw_articles")  # as a database from before migration 9
    new_analysis_version(monkeypatch)
    restarted = Library(db, articles_dir)
    try:
        report = await restarted.sync()
        assert report.reanalysed == 0
        row = restarted.catalogue.resolve("Harbour Plan Approved")
        assert await restarted.reading.load(row) == before
        assert (await restarted.reading.brief(row, 3)).article.title == "Harbour Plan Approved"
    finally:
        restarted.close()
