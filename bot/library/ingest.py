"""The one way an article enters the library, whatever its origin (a file of the folder, a feed's
entry, a re-analysis): read and analysed in a worker of the pool, then given its identity, matched
against the subscriptions and stored with its analysis, its raw text and its outbox rows in one
transaction.

Identity, for files and feed articles alike (``Session.claim``): an edited article keeps its id.
Content already live under another article is not stored again, unless it arrives as a file and
that article's file is gone (a rename: the file takes the article over, id and all). Otherwise the
id is the first 16 hex digits of the content hash, or the next 16 when a live article with other
content (edited since) holds those. A slug taken by another article gets the id's first 6 digits.

Fan-out is part of storing: every Session queues a new article for each subscribed channel whose
filter it passes (bot.library.routing), in the transaction that stores it. The only articles not
posted are those stored with ``deliver=False`` (a feed's back catalogue at its first poll, a
member's link: bot.library.links) and edits or re-analyses of articles already stored. A member's
link is posted after all when a feed brings the same article later (``Session.store``): the link
came first, but the article is still new to the server's feeds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from bot.analysis.engine import ANALYSIS_VERSION, analyse
from bot.analysis.parsing import article_id, content_hash, parse_article
from bot.core.models import Analysis, Article, ArticleRow, RawArticle, Subscription
from bot.core.text import slugify
from bot.library.catalogue import Catalogue
from bot.library.routing import matches
from bot.library.workers import KillablePool, TaskRefused
from bot.sources.files import read_article_file
from bot.storage.clock import Clock, utcnow
from bot.storage.database import Database
from bot.storage.links import LinkRepository
from bot.storage.outbox import queue
from bot.storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

# A file's or page's budget in its worker, reading and analysis together: wall time (most take well
# under a second; trafilatura's time grows faster than the page on some markup: 500 KB of links takes
# 12 s, 5 MB over 10 minutes) and memory beyond the worker's own (a plain 5 MB page needs about 130 MB).
PAGE_SECONDS = 30.0
PAGE_MEMORY_BYTES = 512 * 1024 * 1024

Analysed = tuple[Article, Analysis]

REANALYSE_CHUNK = 64  # articles analysed again per transaction after a new ANALYSIS_VERSION


def analyse_raw(raw: RawArticle) -> Analysed:
    """Parse and analyse; a plain function so it can run in a worker thread or process."""
    article = parse_article(raw)
    return article, analyse(article)


def read_and_analyse(read: Callable[[], RawArticle], known: str | None) -> tuple[RawArticle, str, Analysed | None]:
    """Read a file and analyse it unless its content hash is ``known`` (already analysed): one
    task for a worker of the library's pool."""
    raw = read()
    digest = content_hash(raw)
    return raw, digest, None if digest == known else analyse_raw(raw)


def analyse_file(path: Path, folder: Path | None = None) -> Analysed:
    """Read, parse and analyse one file outside any library (``python -m bot brief FILE``): the
    file named, not a symbolic link, which is refused as the library refuses it. With ``folder``,
    ``path`` is relative to it and no link on the way is followed, as for the library's files."""
    return analyse_raw(read_article_file(path, follow_symlinks=False, folder=folder))


def page_pool(memory_bytes: int | None = PAGE_MEMORY_BYTES) -> KillablePool:
    """Workers for everything read from outside (files of every type, feed pages and articles): one
    per core (up to 4), so at most that many are in memory at once, each within ``memory_bytes``."""
    return KillablePool(
        max(1, min(os.cpu_count() or 1, 4)), memory_bytes=memory_bytes, preload=("bot.sources.pages", "trafilatura")
    )


class FileStat(NamedTuple):
    """What the library needs of a changed file's stat."""

    st_size: int
    st_mtime_ns: int


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    queued: int = 0  # deliveries queued for subscribed channels
    touched: int = 0  # files rewritten with the same content (new size or time recorded)
    reanalysed: int = 0  # articles analysed again from their stored raw text (a new ANALYSIS_VERSION)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.reanalysed)


@dataclass(frozen=True, slots=True)
class Stored:
    id: str
    queued: int  # deliveries queued with it


class Ingest:
    """Analyses in the pool's workers and stores through Sessions; ``lock`` is held by whatever
    stores (a folder sync, a feed's articles, a re-analysis), so they take turns."""

    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        folder: Path,
        *,
        pages: KillablePool,
        page_seconds: float = PAGE_SECONDS,
        clock: Clock = time.time,
    ) -> None:
        self.catalogue = catalogue
        self.clock = clock  # the time an article is queued for a channel: its digest period
        self.repo = catalogue.repo
        self.subscriptions = SubscriptionRepository(db)
        self.links = LinkRepository(db)
        self.folder = folder
        self.pages = pages
        self.page_seconds = page_seconds
        self.lock = asyncio.Lock()
        self._analysed: set[str] | None = None  # content hashes with an analysis of ANALYSIS_VERSION

    async def analysed(self) -> set[str]:
        """Content hashes with a stored analysis of ANALYSIS_VERSION (read once, then kept up to date)."""
        if self._analysed is None:
            self._analysed = await self.repo.analysed_hashes(ANALYSIS_VERSION)
        return self._analysed

    def forget_analysed(self) -> None:
        """Read the analysed hashes again when next asked (another process may have added some)."""
        self._analysed = None

    async def session(self, *, deliver: bool = True) -> Session:
        """A run of stores with the subscriptions as they are now (none with ``deliver`` False)."""
        return Session(self, await self.subscriptions.active() if deliver else [])

    async def analysis(self, raw: RawArticle, digest: str, label: str) -> Analysed | Exception:
        """The analysis of ``raw``: from the cache, else from a worker, within the budget; the
        exception (TaskRefused over the budget, a parser bug) otherwise."""
        try:
            cached = await self.repo.cached_analysis(digest, ANALYSIS_VERSION)
            return cached or await self.pages.run(analyse_raw, raw, seconds=self.page_seconds)
        except TaskRefused as exc:
            log.warning("refused %s: %s", label, exc)
            return exc
        except Exception as exc:  # a parser bug must not stop the others
            log.error("failed to analyse %s", label, exc_info=exc)
            return exc

    async def add_raws(
        self,
        raws: Sequence[RawArticle],
        *,
        deliver: bool = True,
        record: Callable[[int, str, bool], Awaitable[None]] | None = None,
    ) -> SyncReport:
        """Store articles that came from elsewhere than the folder (feed items), in order: analysed,
        stored, searchable and (with ``deliver``) queued for subscribed channels like new files.

        They have no source path, so folder syncs never retire them. Content already live in the
        library is not stored again (nor posted). ``record(index, article_id, new)`` is awaited
        inside the transaction that stores each article, so whatever it writes (the feed item)
        commits with the article and its deliveries, or not at all.
        """
        report = SyncReport()

        async def prepare(raw: RawArticle) -> tuple[str, Analysed | Exception]:
            # Analysed before the lock, so syncs and commands are not held up; in a worker of the
            # pool, within the budget (text from a feed is as untrusted as any page).
            digest = content_hash(raw)
            return digest, await self.analysis(raw, digest, raw.url or raw.title or "a feed entry")

        prepared = await asyncio.gather(*(prepare(raw) for raw in raws))
        async with self.lock:
            if not self.catalogue.loaded:
                await self.catalogue.refresh()
            session = await self.session(deliver=deliver)
            async with session.batch():
                for index, (raw, (digest, outcome)) in enumerate(zip(raws, prepared, strict=True)):
                    name = raw.url or raw.title or "?"
                    if isinstance(outcome, TaskRefused):
                        report.skipped.append((name, f"refused: {outcome}"))
                        continue
                    if isinstance(outcome, Exception):
                        report.skipped.append((name, f"could not be analysed ({outcome})"))
                        continue
                    stored = await session.store(raw, digest, outcome)
                    if isinstance(stored, ArticleRow):  # already live
                        report.unchanged += 1
                        if record is not None:
                            await record(index, stored.id, False)
                        continue
                    if record is not None:
                        await record(index, stored.id, True)
                    report.queued += stored.queued
                    report.added.append(stored.id)
            if report.added:
                await self.catalogue.refresh()
        return report

    async def reanalyse(self, report: SyncReport) -> None:
        """Analyse again, from their stored raw text, the articles without a file that have no
        analysis of ANALYSIS_VERSION (the analysis changed since they were stored); in the pool's
        workers, like any analysis, a chunk at a time (one transaction each, and only a chunk of
        texts in memory). Called with ``lock`` held. An article that fails keeps its newest stored
        analysis (bot.storage.articles.ArticleRepository.load)."""
        session = await self.session(deliver=False)  # stored before: posted then, if ever
        after = ""
        while stale := await self.repo.unanalysed_raws(ANALYSIS_VERSION, after=after, limit=REANALYSE_CHUNK):
            after = stale[-1][0].id
            outcomes = await asyncio.gather(*(self._again(row, raw) for row, raw in stale))
            async with session.batch():
                for (row, raw), outcome in zip(stale, outcomes, strict=True):
                    if raw is None or outcome is None:
                        report.skipped.append((row.url or row.title, "its stored text cannot be read back"))
                        continue
                    if isinstance(outcome, Exception):
                        report.skipped.append((row.url or row.title, f"could not be analysed again ({outcome})"))
                        continue
                    await session.store(raw, row.content_hash, outcome, row=row)
                    report.reanalysed += 1
        if report.reanalysed:
            log.info("analysed %d feed articles again (analysis version %s)", report.reanalysed, ANALYSIS_VERSION)

    async def _again(self, row: ArticleRow, raw: RawArticle | None) -> Analysed | Exception | None:
        """The analysis of a stored raw text (None when it could not be read back)."""
        return None if raw is None else await self.analysis(raw, row.content_hash, row.url or row.title)


class Session:
    """Stores for one run (a sync, a feed poll's articles), with the subscriptions read at its start."""

    def __init__(self, ingest: Ingest, subscribed: list[Subscription]) -> None:
        self.ingest = ingest
        self.repo = ingest.repo
        self.subscribed = subscribed

    @contextlib.asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """Several stores in one transaction."""
        async with self.repo.batch():
            yield

    async def claim(self, digest: str, source_path: str | None) -> str | ArticleRow:
        """The id a new article with this content takes, or the live article that already holds
        the content (nothing to store). See the module's docstring."""
        holder = await self.repo.live_with_hash(digest)
        if holder is not None:
            if (
                source_path is not None
                and holder.source_path != source_path
                and (holder.source_path is None or not (self.ingest.folder / holder.source_path).is_file())
            ):
                return holder.id  # a file renamed (or a feed's article arriving as a file): taken over
            return holder
        ident = article_id(digest)
        taken = await self.repo.by_id(ident)
        if taken is not None and taken.retired_at is None:  # an article edited since it took the id
            ident = digest[16:32]
        return ident

    async def store(
        self,
        raw: RawArticle,
        digest: str,
        result: Analysed,
        *,
        row: ArticleRow | None = None,
        source_path: str | None = None,
        file: FileStat | None = None,
    ) -> Stored | ArticleRow:
        """Store an article read from ``raw`` (content hash ``digest``) with its analysis: ``row``
        when it is a new version of a stored article (kept id, not posted again), else a new one
        (posted). Returns what was stored, or the live article already holding this content; but
        when that article came only from a member's link and this session posts, it is queued now
        (as a new article would be) and returned as stored."""
        if not self.repo.batched:  # not an assert: it must hold under python -O too
            raise RuntimeError("an article is stored inside Session.batch(), with its outbox rows")
        article, analysis = result
        if row is not None:
            ident = row.id
        else:
            claimed = await self.claim(digest, source_path)
            if isinstance(claimed, ArticleRow):
                if self.subscribed and await self.ingest.links.undelivered(claimed.id):
                    return await self._post_late(claimed.id, result)
                return claimed
            ident = claimed
        slug = slugify(article.title)
        if await self.repo.slug_taken(slug, ident):
            slug = f"{slug}-{ident[:6]}"
        article = replace(article, id=ident, slug=slug, source_path=source_path)
        deliver_to = []
        if row is None:  # a new article; an edited or re-analysed one is not posted again
            deliver_to = [s.channel_id for s in self.subscribed if matches(article, analysis, s.keywords)]
        await self.repo.save(
            article,
            analysis,
            ANALYSIS_VERSION,
            file_size=file.st_size if file else None,
            file_mtime_ns=file.st_mtime_ns if file else None,
            raw=raw,
        )
        queued = await queue(self.repo.db, deliver_to, [ident], utcnow(self.ingest.clock))
        (await self.ingest.analysed()).add(digest)
        return Stored(ident, queued)

    async def _post_late(self, ident: str, result: Analysed) -> Stored:
        """Queue a stored article that was never posted (a member's link) for the subscribed channels
        whose filter it passes, as if it were new: its content, so its analysis, is the same."""
        article, analysis = result
        deliver_to = [s.channel_id for s in self.subscribed if matches(article, analysis, s.keywords)]
        return Stored(ident, await queue(self.repo.db, deliver_to, [ident], utcnow(self.ingest.clock)))
