"""Briefing a link a member gives (`/brief url:`, the "Brief this article" message command).

The page is read as a feed entry's page is (bot.library.webpages: the fetcher's limits on size,
time, redirects and private addresses; extraction in the library's worker pool within its budget),
and each way it can fail is a LinkError saying which, in words for the member.

A linked article joins the library, through the one ingest path (bot.library.ingest add_raws) with
``deliver=False``. Joining it, rather than briefing it on the side, is what makes it a brief like
any other: searchable by /quotes, resolvable by `/brief article:`, recorded by /history (whose
records name an article id) and analysed again when the analysis changes, with the same identity
rule (a page already in the library, from a feed or another link, is that article, not a copy).
It is never posted to subscribed channels: a member's link is not the server's feed, and a
subscription promises the server's new articles, not whatever anyone asked about.

The same link (normalised as feed links are: bot.sources.feeds.normalise_link) asked again within
``reuse_seconds`` is briefed from the library, not fetched again; asked while it is being fetched,
it waits for that fetch. The record of link, article and time (bot.storage.links) is written in the
transaction that stores the article.

What members' links bring is kept in bounds, so that the library stays the server's: an article that
only links hold (never queued for a channel, brought by no feed, held by no file) is retired
``keep_seconds`` (BRIEFBOT_LINKS_KEEP_DAYS) after it was last asked for, and beyond ``max_articles``
of them the least recently asked for are retired first (``sweep``). They go through the library's one
retire path (bot.storage.articles retire, then the catalogue refreshed), so /quotes, autocomplete and
/articles drop them together; asked for again, a link is fetched again. And each member may have at
most ``per_user`` pages fetched per ``per_user_seconds`` (a link briefed from the library is free).
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.core.errors import ArticleFileError, UserError
from bot.core.models import ArticleRow
from bot.library.service import Library
from bot.library.webpages import MAX_PAGE_BYTES, NotAWebPage, fetch_article
from bot.library.workers import TaskRefused
from bot.sources.feeds import normalise_link
from bot.sources.fetch import Fetcher, FetchError, FetchRefused, FetchStatus, FetchTimeout, FetchTooLarge
from bot.sources.urls import check_url
from bot.storage.links import LinkRepository

log = logging.getLogger(__name__)

REUSE_SECONDS = 6 * 3600.0  # a link briefed within this long is briefed again from the library
LINK_SECONDS = 60.0  # to fetch a link's page and extract its article, as for a feed entry's page
# An article only links brought is kept this long after it was last asked for (BRIEFBOT_LINKS_KEEP_DAYS):
# a shared story is discussed for days, and /quotes and `/brief article:` should find it for weeks.
KEEP_DAYS = 30
# At most this many articles only links hold: a server sharing 30 new links a day keeps a month of
# them, and the catalogue (benchmarked at 100,000 articles) carries at most 1% more for them.
MAX_LINKED = 1000
# Pages fetched for one member: at most PER_USER an hour (links already briefed are not counted), so
# that one member alone takes 50 hours to push everyone else's links out of MAX_LINKED.
PER_USER = 20
PER_USER_SECONDS = 3600.0
SWEEP_SECONDS = 3600.0  # how often the age limit is applied (the cap is, at every new link)


# An http(s) address in a message: up to whitespace or an angle bracket (Discord's <https://...> that
# hides the preview); trailing punctuation is then trimmed (a sentence's full stop, a closing bracket
# that opened before the link).
_LINK = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*_~|"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def first_link(content: str, embed_urls: Iterable[str | None] = ()) -> str | None:
    """The first http(s) link in a message: in its text, else the first of its embeds' links."""
    for text in (content or "", *(u for u in embed_urls if u)):
        for match in _LINK.finditer(text):
            link = _trim(match.group())
            if len(link) > len("https://"):
                return link
    return None


def _trim(link: str) -> str:
    while link:
        last = link[-1]
        if last in _TRAILING or (last in _PAIRS and link.count(last) > link.count(_PAIRS[last])):
            link = link[:-1]
            continue
        return link
    return link


class LinkError(UserError):
    """Why a link could not be briefed, for the member; ``kind`` names the reason for callers and
    tests: invalid, refused, timeout, http, too-large, unreachable, not-html, not-article, refused-work,
    not-analysed, busy (the member's allowance of pages is spent)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Links:
    """Links to briefs: reused while fresh, else fetched, extracted and stored (not delivered)."""

    def __init__(
        self,
        library: Library,
        fetcher: Fetcher,
        repo: LinkRepository,
        *,
        clock: Callable[[], float] = time.time,
        reuse_seconds: float = REUSE_SECONDS,
        seconds: float = LINK_SECONDS,
        max_bytes: int = MAX_PAGE_BYTES,
        keep_seconds: float = KEEP_DAYS * 86_400.0,
        max_articles: int = MAX_LINKED,
        per_user: int = PER_USER,
        per_user_seconds: float = PER_USER_SECONDS,
    ) -> None:
        self.library = library
        self.fetcher = fetcher
        self.repo = repo
        self.clock = clock
        self.reuse_seconds = reuse_seconds
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.keep_seconds = keep_seconds
        self.max_articles = max_articles
        self.per_user = per_user
        self.per_user_seconds = per_user_seconds
        self._fetching: dict[str, asyncio.Task[ArticleRow]] = {}  # by normalised link
        self._fetched_for: dict[int, deque[float]] = {}  # by member: when their pages were fetched

    def check(self, url: str) -> str:
        """The address, stripped, or a LinkError saying why it is not fetched (not an http or https
        address; a private or local address literal while those are off). No I/O: a command checks
        it before acknowledging, so a typo is answered at once."""
        try:
            url = check_url(url)
        except ValueError as exc:
            raise LinkError("invalid", f"I can't fetch that address: {exc}.") from None
        if not self.fetcher.allow_private:
            try:
                check_url(url, allow_private=False)
            except ValueError as exc:
                reason = str(exc).replace("BRIEFBOT_FEEDS_ALLOW_PRIVATE", "BRIEFBOT_LINKS_ALLOW_PRIVATE")
                raise LinkError("refused", f"I can't fetch that address: {reason}.") from None
        return url

    async def article(self, url: str, user_id: int | None = None) -> ArticleRow:
        """The library's article for the page at ``url``: the one it gave within ``reuse_seconds``,
        else the page fetched and stored now (for ``user_id``, within their allowance). Raises LinkError."""
        url = self.check(url)
        key = normalise_link(url) or url
        now = self.clock()
        known = await self.repo.get(key, since=now - self.reuse_seconds)
        row = self.library.catalogue.by_id(known) if known else None
        if row is not None:
            await self.repo.requested(key, now)
            return row
        task = self._fetching.get(key)
        if task is None:
            self._spend(user_id, now)
            task = asyncio.create_task(self._fetch(url, key), name="briefbot-link")
            self._fetching[key] = task
            task.add_done_callback(lambda t: self._fetching.pop(key, None) if self._fetching.get(key) is t else None)
        # Shielded: a member who gives up (a cancelled command) does not cancel the fetch others wait for.
        return await asyncio.shield(task)

    def _spend(self, user_id: int | None, now: float) -> None:
        """Count a page fetched for ``user_id``, or a LinkError when they had their allowance."""
        if user_id is None:
            return
        times = self._fetched_for.setdefault(user_id, deque())
        while times and times[0] <= now - self.per_user_seconds:
            times.popleft()
        if len(times) >= self.per_user:
            wait = max(1, math.ceil((times[0] + self.per_user_seconds - now) / 60))
            raise LinkError(
                "busy",
                f"You've had me fetch {self.per_user} new page{'s' if self.per_user != 1 else ''} in the last "
                f"{self.per_user_seconds / 60:g} minutes, "
                f"my limit per member; try this one again in {wait} minute{'s' if wait != 1 else ''}. "
                "Links already briefed are still answered.",
            )
        times.append(now)
        for member in [m for m, t in self._fetched_for.items() if not t or t[-1] <= now - self.per_user_seconds]:
            del self._fetched_for[member]  # only members with recent fetches are remembered

    async def sweep(self, keep: str | None = None) -> list[str]:
        """Retire the articles only members' links hold that were last asked for over ``keep_seconds``
        ago, and beyond ``max_articles`` of them the least recently asked for; their links are
        forgotten. ``keep``, the article just fetched for a member, stays this time whatever the cap.
        Returns the retired ids."""
        library = self.library
        async with library.ingest.lock:  # not while an ingest stores (it may be storing one of them)
            held = await self.repo.only_requested()  # most recently asked for first
            now = self.clock()
            cutoff = now - self.keep_seconds
            # Asked for within a fetch's time: perhaps being briefed right now (another member's
            # fetch stored it a moment ago); the next sweep takes it if it is still over the cap.
            recent = now - self.seconds
            gone = [
                article_id
                for i, (article_id, last) in enumerate(held)
                if (i >= self.max_articles or last < cutoff) and article_id != keep and last < recent
            ]
            if gone:
                await library.catalogue.repo.retire(gone)
                await self.repo.forget(gone)
                await library.catalogue.refresh()
        if gone:
            log.info("links: retired %d articles only members' links held (of %d)", len(gone), len(held))
        return gone

    async def stop(self) -> None:
        """Cancel the fetches in progress and wait for them to end (before the fetcher and the
        database close)."""
        tasks = list(self._fetching.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _fetch(self, url: str, key: str) -> ArticleRow:
        started = self.clock()
        try:
            raw = await fetch_article(
                self.fetcher,
                self.library.pages,
                url,
                seconds=self.seconds,
                extract_seconds=self.library.ingest.page_seconds,
                max_bytes=self.max_bytes,
            )
        except (FetchError, ArticleFileError, TaskRefused, TimeoutError) as exc:
            log.info("link %s: not briefed: %s", url, exc or type(exc).__name__)
            raise _refusal(exc, self.seconds) from None
        if not raw.url:
            raw = replace(raw, url=url)

        async def record(index: int, article_id: str, new: bool) -> None:
            await self.repo.record(key, article_id, fetched_at=started)

        report = await self.library.ingest.add_raws([raw], deliver=False, record=record)
        if report.skipped:
            reason = report.skipped[0][1]
            log.warning("link %s: not stored: %s", url, reason)
            raise LinkError("not-analysed", "I read that page but could not analyse its article; try another link.")
        article_id = await self.repo.get(key, since=started)
        row = self.library.catalogue.by_id(article_id) if article_id else None
        if row is None:  # stored, yet not live: only a bug gets here
            raise RuntimeError(f"link {url}: article {article_id} is not in the catalogue")
        if report.added:
            try:
                await self.sweep(keep=row.id)  # the cap, kept at every new article
            except Exception:  # the member still gets the brief; the next sweep tries again
                log.exception("links: could not retire old linked articles")
        log.info("link %s: %s article %s", url, "new" if report.added else "known", row.id)
        return row


def _refusal(exc: BaseException, seconds: float) -> LinkError:
    """The member's answer to why a page could not be read."""
    if isinstance(exc, FetchRefused):
        return LinkError("refused", f"I can't fetch that address: {str(exc).removeprefix('refused: ')}.")
    if isinstance(exc, FetchTimeout | TimeoutError):
        detail = str(exc) or f"no article within {seconds:g} s"
        return LinkError("timeout", f"That page took too long to answer ({detail}); try again later.")
    if isinstance(exc, FetchStatus):
        return LinkError("http", f"That page could not be fetched: the site answered {exc}.")
    if isinstance(exc, FetchTooLarge):
        return LinkError("too-large", f"That page is too large for me to brief ({exc}).")
    if isinstance(exc, FetchError):
        return LinkError("unreachable", f"I couldn't fetch that page ({exc}).")
    if isinstance(exc, NotAWebPage):
        return LinkError("not-html", f"That link is not a web page but {exc.kind}, so there is no article to brief.")
    if isinstance(exc, TaskRefused):
        return LinkError("refused-work", "That page took too long to read, so I gave up on it.")
    return LinkError("not-article", f"That page is not an article I can brief: {exc}.")
