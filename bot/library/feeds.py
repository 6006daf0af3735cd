"""RSS and Atom feeds: poll them, and bring each new item into the library like a new file.

A poll sends the feed's validators (ETag, Last-Modified), so an unchanged feed costs one 304. Each
entry not seen before (by guid within the feed, then by link in any feed) has its page fetched and
its article extracted by bot.sources.pages; an entry whose page cannot be fetched or holds no article text
falls back to the entry's own content or summary. An article whose text was already seen (content
hash) is not stored again, so a feed that rewrites its guids or dates does not post twice. New
articles go through the library's one ingest path (bot.library.ingest): the same analysis, storage,
search and subscription outbox as files, with the item recorded in the article's transaction.
Parsing feeds and entries is bot.sources.feeds.

A feed's first good poll brings its back catalogue into the library without posting it, as a
subscription never floods a channel with old articles; items that appear after it are posted.
A failure (network, HTTP status, size, time, not a feed) pushes the next poll back, doubling the
interval each time up to MAX_BACKOFF; MAX_FAILURES in a row disable the feed, with the reason.

On a database several processes share, only the process that ingests polls the feeds
(bot.library.service Library.ingesting); the others hear of the new articles.

One feed never holds up another: each due feed is polled in a task of its own (FeedPoller.start_due),
and a feed that becomes due while others are being polled is started at once, not after them; a feed
is never polled twice at the same time. FEEDS_AT_ONCE feed documents are fetched and parsed at once,
each poll fetches PAGES_PER_FEED pages at once (PAGES_AT_ONCE in all: both bound the bytes in memory),
and each poll has a time budget (POLL_SECONDS); entries it did not reach wait for the next poll. A page has its
own budget (PAGE_SECONDS to fetch it and extract its article, which runs in a worker process of
bot.library.workers.KillablePool with the library's time and memory limits). An entry whose page failed and
whose feed gives no text is recorded (bot.storage.refusals) and tried again after the feed's interval,
doubling each time: not every poll, and not at once after a restart. A poll whose new entries all
failed counts as a failure of the feed, like an unreachable feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.core.backoff import backoff
from bot.core.errors import ArticleFileError
from bot.core.models import Feed, RawArticle, Refusal
from bot.library.service import Library
from bot.library.webpages import MAX_PAGE_BYTES, fetch_article
from bot.library.workers import KillablePool, TaskRefused
from bot.sources.feeds import Entry, FeedError, ParsedFeed, entry_raw, normalise_link, parse_feed, text_hash
from bot.sources.fetch import Fetcher, FetchError
from bot.storage.feeds import FeedRepository
from bot.storage.refusals import RefusalRepository, feed_prefix

log = logging.getLogger(__name__)

MAX_FEED_BYTES = 5_000_000
MAX_ITEMS_PER_POLL = 50  # the newest entries of a feed considered at each poll
MAX_FAILURES = 5  # consecutive failures that disable a feed
MAX_BACKOFF = 24 * 3600.0  # seconds
PAGES_AT_ONCE = 4  # pages fetched or extracted at once, all feeds together
PAGES_PER_FEED = 2  # of which one feed's
FEEDS_AT_ONCE = 4
PAGE_SECONDS = 60.0  # to fetch one entry's page and extract its article
POLL_SECONDS = 300.0  # one feed's poll, its pages included
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass(slots=True)
class PollResult:
    url: str
    not_modified: bool = False
    entries: int = 0
    added: list[str] = field(default_factory=list)  # new article ids
    duplicates: int = 0  # new entries whose article was already known (link or content)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)
    waiting: int = 0  # entries whose page failed before, waiting for their retry time
    refused: int = 0  # of the skipped entries, those recorded (bot.storage.refusals): retried after a backoff
    deferred: int = 0  # entries the poll's time budget did not reach: read at the next poll
    queued: int = 0  # deliveries queued for subscribed channels
    error: str | None = None
    disabled: str | None = None  # the reason, when this poll disabled the feed


class FeedPoller:
    """Polls the feeds that are due, a few at once, each within its time budget; pages are
    fetched a few at once and extracted in worker processes (the library's, unless ``pages``)."""

    def __init__(
        self,
        repo: FeedRepository,
        library: Library,
        fetcher: Fetcher,
        *,
        clock: Callable[[], float] = time.time,
        max_failures: int = MAX_FAILURES,
        max_feed_bytes: int = MAX_FEED_BYTES,
        max_page_bytes: int = MAX_PAGE_BYTES,
        pages: KillablePool | None = None,
        page_seconds: float = PAGE_SECONDS,
        poll_seconds: float = POLL_SECONDS,
        pages_at_once: int = PAGES_AT_ONCE,
        pages_per_feed: int = PAGES_PER_FEED,
        feeds_at_once: int = FEEDS_AT_ONCE,
    ) -> None:
        self.repo = repo
        self.library = library
        self.fetcher = fetcher
        self.clock = clock
        self.max_failures = max_failures
        self.max_feed_bytes = max_feed_bytes
        self.max_page_bytes = max_page_bytes
        self.pages = pages if pages is not None else library.pages
        self.page_seconds = page_seconds
        self.poll_seconds = poll_seconds
        self.pages_per_feed = pages_per_feed
        self.feeds_at_once = feeds_at_once
        self.refusals = RefusalRepository(repo.db)
        self._page_slots = asyncio.Semaphore(pages_at_once)
        self._feed_slots = asyncio.Semaphore(feeds_at_once)  # feed documents fetched and parsed at once
        self._polling: dict[int, asyncio.Task[PollResult]] = {}  # by feed id: a feed is polled once at a time
        self._finished = asyncio.Event()

    async def start_due(self) -> list[asyncio.Task[PollResult]]:
        """Start polling every enabled feed whose time has come and that is not being polled already,
        each in a task of its own, and return those tasks without waiting for them: a feed that
        becomes due while another is slow is started at the next call, whatever the other is doing."""
        self._finished.clear()  # wait() returns at the first poll that ends from now on
        tasks = []
        if not await self.library.ingesting():  # another process polls the feeds (a shared database)
            return tasks
        for feed in await self.repo.due(self.clock()):
            if feed.id in self._polling:
                continue
            task = asyncio.create_task(self._guarded(feed), name=f"briefbot-feed-{feed.id}")
            self._polling[feed.id] = task
            task.add_done_callback(lambda t, feed_id=feed.id: self._done(feed_id, t))
            tasks.append(task)
        return tasks

    async def poll_due(self) -> list[PollResult]:
        """Poll the due feeds not being polled already and wait for those polls (not for any started
        before); a failing feed never stops the others."""
        tasks = await self.start_due()
        return list(await asyncio.gather(*tasks)) if tasks else []

    @property
    def polling(self) -> set[int]:
        """The ids of the feeds being polled now."""
        return set(self._polling)

    async def next_due(self) -> float | None:
        """The unix time of the next poll of an enabled feed not being polled now; None when there is none."""
        return await self.repo.next_due(exclude=self._polling.keys())

    async def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or less when a poll ended since the last start_due (its feed has a new
        poll time)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._finished.wait(), seconds)

    async def stop(self) -> None:
        """Cancel the polls in progress and wait for them to end."""
        tasks = list(self._polling.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _done(self, feed_id: int, task: asyncio.Task[PollResult]) -> None:
        if self._polling.get(feed_id) is task:
            del self._polling[feed_id]
        self._finished.set()

    async def _guarded(self, feed: Feed) -> PollResult:
        try:
            return await self._poll(feed)
        except Exception as exc:  # a bug must not stop the poller: count it as the feed's failure
            log.exception("feed %s: unexpected error", feed.url)
            return await self._failed(feed, f"internal error ({type(exc).__name__})")

    async def _poll(self, feed: Feed) -> PollResult:
        refused = await self.refusals.with_prefix(feed_prefix(feed.id))
        # An entry due for a retry is in the feed's body, which a 304 would not give: this poll reads
        # the whole feed. Entries only waiting for their retry time do not need it: validators sent.
        reread = any(r.retry_at <= self.clock() for r in refused.values())
        try:
            async with self._feed_slots:  # the feed document only: its pages have their own slots
                resp = await self.fetcher.get(
                    feed.url,
                    max_bytes=self.max_feed_bytes,
                    accept=FEED_ACCEPT,
                    etag=None if reread else feed.etag,
                    last_modified=None if reread else feed.last_modified,
                )
                if not resp.not_modified:
                    parsed = await asyncio.to_thread(parse_feed, resp.body, resp.url)
            if resp.not_modified:
                await self.repo.succeeded(
                    feed.id,
                    next_poll=self.clock() + feed.interval,
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    title=None,
                    primed=True,
                )
                log.debug("feed %s: not modified", feed.url)
                return PollResult(feed.url, not_modified=True)
        except (FetchError, FeedError) as exc:
            return await self._failed(feed, str(exc))
        result = PollResult(feed.url, entries=len(parsed.entries))
        attempted = await self._take(feed, parsed, result, refused)
        # With entries deferred (the poll's budget did not reach them) or skipped unrecorded (refused
        # by the library), the validators are not kept: the next poll reads the whole feed and takes
        # them, instead of getting a 304. Entries refused (now or before) keep them: the poll at which
        # one is due for its retry reads the whole feed anyway (above).
        retry = bool(result.deferred or len(result.skipped) > result.refused)
        # New entries that all failed (slow, hostile or missing pages, and no text in the feed) count
        # as a failure of the feed: backed off, and disabled after max_failures, like a broken feed.
        failing = attempted > 0 and len(result.skipped) >= attempted and not result.added
        if failing:
            error = f"{len(result.skipped)} new entries failed; the first: {result.skipped[0][1]}"
            failures, delay, disable = self._failure(feed, error)
        else:
            error, failures, delay, disable = None, 0, feed.interval, None
        await self.repo.succeeded(
            feed.id,
            next_poll=self.clock() + delay,
            etag=None if retry else resp.etag,
            last_modified=None if retry else resp.last_modified,
            title=parsed.title,
            primed=True,
            error=error,
            failures=failures,
        )
        for entry, reason in result.skipped:
            log.warning("feed %s: skipped %s: %s", feed.url, entry, reason)
        if error is not None:
            if disable is not None:
                await self.repo.disable(feed.id, disable)
            self._log_failure(feed, error, failures, delay, disable)
            result.error, result.disabled = error, disable
        if result.added:
            log.info(
                "feed %s: %d new articles%s",
                feed.url,
                len(result.added),
                "" if feed.primed else " (its first poll: the back catalogue is not posted)",
            )
        return result

    async def _failed(self, feed: Feed, error: str) -> PollResult:
        failures, delay, disable = self._failure(feed, error)
        await self.repo.failed(feed.id, error, next_poll=self.clock() + delay, disable_reason=disable)
        self._log_failure(feed, error, failures, delay, disable)
        return PollResult(feed.url, error=error, disabled=disable)

    def _failure(self, feed: Feed, error: str) -> tuple[int, float, str | None]:
        """One more failure of the feed: its failures in a row, the wait before its next poll (two
        intervals, then four, ... up to MAX_BACKOFF), and why it is disabled (None while it is not)."""
        failures = feed.failures + 1
        disable = f"{failures} failures in a row; the last: {error}" if failures >= self.max_failures else None
        return failures, backoff(2 * feed.interval, failures, MAX_BACKOFF), disable

    def _log_failure(self, feed: Feed, error: str, failures: int, delay: float, disable: str | None) -> None:
        if disable is not None:
            log.error("feed %s disabled: %s (`briefbot feeds add %s` enables it again)", feed.url, disable, feed.url)
        else:
            log.warning("feed %s: %s (failure %d; next try in %.0f s)", feed.url, error, failures, delay)

    async def _take(self, feed: Feed, parsed: ParsedFeed, result: PollResult, refused: dict[str, Refusal]) -> int:
        """Bring the entries not seen before into the library, oldest first; the number of entries
        whose article was looked for (not waiting for a retry, reached within the poll's budget)."""
        fresh: list[tuple[Entry, str | None]] = []
        links: set[str] = set()
        listed: set[str] = set()  # the keys of the entries looked at: a refusal of any other is stale
        now = self.clock()
        for entry in reversed(parsed.entries[:MAX_ITEMS_PER_POLL]):
            link = normalise_link(entry.link)
            if entry.guid and await self.repo.item_by_guid(feed.id, entry.guid):
                continue
            known = await self.repo.item_by_link(link) if link else None
            if known is not None or link in links:
                if known is not None and entry.guid:  # the same article under a new guid: remember the guid
                    await self.repo.record_item(
                        feed.id,
                        guid=entry.guid,
                        link=link,
                        content_hash=known.content_hash,
                        article_id=known.article_id,
                    )
                result.duplicates += 1
                continue
            if not entry.guid and not link and not entry.content_html:  # nothing to read, nothing to retry
                log.debug("feed %s: ignored %s: no guid, link or content", feed.url, entry.title or "an entry")
                continue
            if link:
                links.add(link)
            key = _refusal_key(feed, entry, link)
            listed.add(key)
            refusal = refused.get(key)
            if refusal is not None and refusal.retry_at > now:
                result.waiting += 1
                continue
            fresh.append((entry, link))
        if stale := [key for key in refused if key not in listed]:
            # Entries gone from the feed's newest, or known by now (from another feed): never retried.
            await self.refusals.forget_many(stale)
        if not fresh:
            return 0
        slots = asyncio.Semaphore(self.pages_per_feed)
        deadline = time.monotonic() + self.poll_seconds

        async def article(entry: Entry) -> RawArticle | str | None:
            async with slots, self._page_slots:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None  # the poll's time is up: the next poll reads it
                try:
                    return await self._article(entry, parsed.title, min(self.page_seconds, left))
                except Exception as exc:  # an extraction bug must not stop the other entries
                    log.error("feed %s: could not read %s", feed.url, entry.link or entry.guid, exc_info=exc)
                    return f"could not be read ({type(exc).__name__})"

        articles = await asyncio.gather(*(article(e) for e, _ in fresh))
        raws: list[RawArticle] = []
        items: list[tuple[Entry, str | None, str]] = []
        hashes: set[str] = set()
        for (entry, link), raw in zip(fresh, articles, strict=True):
            name = entry.link or entry.guid or entry.title or "an entry"
            key = _refusal_key(feed, entry, link)
            if raw is None:
                result.deferred += 1
                continue
            if isinstance(raw, str):
                refusal = await self.refusals.refuse(key, raw, now=self.clock(), base=feed.interval, cap=MAX_BACKOFF)
                wait = refusal.retry_at - self.clock()
                result.skipped.append((name, raw))
                result.refused += 1
                log.info("feed %s: %s tried again in %.0f s (refusal %d)", feed.url, name, wait, refusal.failures)
                continue
            if key in refused:
                await self.refusals.forget(key)
            digest = text_hash(raw)
            known = await self.repo.item_by_hash(digest)
            if known is not None or digest in hashes:  # the same text under a new guid and link
                if known is not None and (entry.guid or link):  # remember the new guid or link
                    await self.repo.record_item(
                        feed.id, guid=entry.guid, link=link, content_hash=digest, article_id=known.article_id
                    )
                result.duplicates += 1
                continue
            hashes.add(digest)
            raws.append(raw)
            items.append((entry, link, digest))

        async def record(index: int, article_id: str, new: bool) -> None:
            entry, link, digest = items[index]
            await self.repo.record_item(feed.id, guid=entry.guid, link=link, content_hash=digest, article_id=article_id)
            if not new:
                result.duplicates += 1

        attempted = len(fresh) - result.deferred
        if not raws:
            return attempted
        report = await self.library.ingest.add_raws(raws, deliver=feed.primed, record=record)
        result.added = report.added
        result.queued = report.queued
        result.skipped.extend(report.skipped)
        return attempted

    async def _article(self, entry: Entry, feed_title: str | None, seconds: float) -> RawArticle | str:
        """The entry's article from its page (within ``seconds``), else from the feed; a string saying
        why when neither has one."""
        fallback = entry_raw(entry, feed_title)
        reason = "no link"
        if entry.link:
            try:
                raw = await fetch_article(
                    self.fetcher,
                    self.pages,
                    entry.link,
                    seconds=seconds,
                    extract_seconds=self.library.ingest.page_seconds,
                    max_bytes=self.max_page_bytes,
                )
                return replace(
                    raw,
                    title=raw.title or entry.title,
                    author=raw.author or entry.author,
                    published=raw.published or entry.published,
                    publication=raw.publication or feed_title,
                    url=raw.url or entry.link,
                )
            except (FetchError, ArticleFileError) as exc:
                reason = f"page: {exc}"
            except TaskRefused as exc:
                reason = f"page refused: {exc}"
                log.warning("feed entry %s: page refused: %s", entry.link, exc)
            except TimeoutError:
                reason = f"page: no article within {seconds:.1f} s"
        if fallback is None:
            return f"{reason}; the feed gives no text either"
        log.info("feed entry %s: using the feed's own text (%s)", entry.link or entry.guid, reason)
        return fallback


def _refusal_key(feed: Feed, entry: Entry, link: str | None) -> str:
    return feed_prefix(feed.id) + (entry.guid or link or entry.title or "")
