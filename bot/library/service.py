"""The library: the folder's files and the feeds' articles, stored and analysed, read by commands.

One ``Library`` is built by the bot and by the terminal alike, from the database connection and
the folder, and composes the parts, each with one job; callers use the part they need:

- ``catalogue`` (bot.library.catalogue): the live articles in memory; resolving what a user typed.
- ``reading`` (bot.library.reading): an article's analysis and brief, related articles, searches.
- ``topics`` (bot.library.topics): briefs across articles: a topic, two articles compared.
- ``ingest`` (bot.library.ingest): the one path that stores an article, with its subscription
  fan-out; feed articles come in through ``ingest.add_raws``.
- ``files`` (bot.library.folder): the folder's scan, kept in step by ``sync``.

Several processes may share one database (PostgreSQL; ``db.shared``). Then one of them ingests: the
one holding the lock INGEST_LOCK (``ingesting``) scans the folder and polls the feeds, and keeps the
lock until it closes or dies (its connection closes and the server releases the lock; another
process takes it at its next poll). The others skip the scan and the feeds, and follow: they listen
on LIBRARY_CHANNEL, which storing or retiring an article notifies once its transaction commits
(bot.storage.articles), and refresh their catalogue, a burst of notifications coalesced into one
refresh (``follow``). As a fallback for a notification missed while the listening connection was
down, each of their polls refreshes the catalogue when the articles table changed
(ArticleRepository.fingerprint). A member's link (bot.library.links) is stored by whichever process
the member asked, without the lock: storing is idempotent (an article is upserted by its id, an
outbox row is unique per channel and article), so a link stored while the ingesting process stores
the same article keeps one article and posts nothing twice.

On SQLite (one process per file) none of this applies: the process is the one that ingests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from bot.core.models import ArticleRow
from bot.library.catalogue import Catalogue
from bot.library.folder import Folder
from bot.library.ingest import PAGE_SECONDS, Ingest, SyncReport, page_pool
from bot.library.reading import Reading
from bot.library.topics import Topics
from bot.library.workers import KillablePool
from bot.sources.files import MAX_FILE_BYTES
from bot.storage.articles import LIBRARY_CHANNEL, ArticleRepository
from bot.storage.clock import Clock
from bot.storage.database import Database, HeldLock, Listener
from bot.storage.links import LinkRepository
from bot.storage.pairs import backfill_pairs
from bot.storage.refusals import RETRY_BASE

log = logging.getLogger(__name__)

INGEST_LOCK = "library-ingest"  # held by the one process that scans the folder and polls the feeds
COALESCE_SECONDS = 0.2  # notifications heard within this long of the first make one refresh


class Library:
    def __init__(
        self,
        db: Database,
        folder: Path,
        *,
        max_bytes: int = MAX_FILE_BYTES,
        pages: KillablePool | None = None,
        page_seconds: float = PAGE_SECONDS,
        retry_base: float = RETRY_BASE,
        clock: Clock = time.time,
    ) -> None:
        self.folder = folder
        # Everything read from outside is read and analysed in these workers: the folder's files of
        # every type, and feed entries (their pages extracted in bot.library.feeds). Each file or
        # page within ``page_seconds`` and PAGE_MEMORY_BYTES; over either, a file is refused and
        # recorded, and tried again after ``retry_base`` seconds, doubling each time.
        self.pages = pages if pages is not None else page_pool()
        self.catalogue = Catalogue(ArticleRepository(db))
        self.reading = Reading(self.catalogue)
        self.topics = Topics(self.reading)
        self.ingest = Ingest(db, self.catalogue, folder, pages=self.pages, page_seconds=page_seconds, clock=clock)
        self.files = Folder(folder, self.catalogue, self.ingest, max_bytes=max_bytes, retry_base=retry_base)
        self.db = db
        self._settled = False  # the last sync stored all it found: an unchanged scan means no change
        self._maintained = False  # this process has backfilled the pair index and re-analysed
        self._lease: HeldLock | None = None  # INGEST_LOCK, while this process ingests (a shared database)
        self._listener: Listener | None = None
        self._stale = asyncio.Event()  # another process changed the articles: refresh the catalogue
        self.coalesce_seconds = COALESCE_SECONDS
        self._follower: asyncio.Task[None] | None = None
        self._fingerprint: tuple[object, ...] | None = None  # the articles table as last refreshed from

    @property
    def articles(self) -> tuple[ArticleRow, ...]:
        """Live articles, newest first (as of the last sync); shared, never copied."""
        return self.catalogue.articles

    async def latest_for_channels(self, count: int) -> list[ArticleRow]:
        """The newest ``count`` articles a channel may be given (a subscription's backfill): those of
        the folder and the feeds, not those only a member's link brought (bot.library.links: never
        posted to subscribed channels)."""
        if count <= 0:
            return []
        linked = await LinkRepository(self.catalogue.repo.db).only_linked()
        rows = (r for r in self.articles if r.source_path is not None or r.id not in linked)
        return [r for _, r in zip(range(count), rows, strict=False)]

    def close(self) -> None:
        """Stop the workers at once (a file or page being analysed is abandoned) and stop following
        other processes' changes; the bot's close() calls it. The ingest lock and the listening
        connection go when the database closes."""
        self.pages.close()
        if self._follower is not None:
            self._follower.cancel()
            self._follower = None

    async def ingesting(self) -> bool:
        """Whether this process is the one that ingests: always on SQLite; on a shared database,
        while it holds INGEST_LOCK, which it takes here when it is free (a holder that died released
        it). Asked before each folder sync and feed poll: the lock's connection is checked each time."""
        if not self.db.shared:
            return True
        if self._lease is not None:
            if await self._lease.check():
                return True
            self._lease = None
            log.info("library: lost the lock %s (its connection closed); another process may ingest now", INGEST_LOCK)
        self._lease = await self.db.try_lock(INGEST_LOCK)
        if self._lease is None:
            return False
        log.info("library: took the lock %s: this process scans the folder and polls the feeds", INGEST_LOCK)
        # What this process knew of the folder and the analyses may be another process's past: the
        # next sync compares every file with its row, and the analysed hashes are read again.
        self._settled = False
        self.ingest.forget_analysed()
        return True

    async def follow(self) -> None:
        """Listen for other processes' changes to the articles (a shared database; once): each
        notification, or burst of them, refreshes the catalogue (see the module's docstring)."""
        if not self.db.shared or self._listener is not None:
            return
        self._listener = await self.db.listen(LIBRARY_CHANNEL, self._heard)
        self._follower = asyncio.create_task(self._refresh_when_stale(), name="briefbot-library-follow")

    def _heard(self, origin: str | None) -> None:
        if origin != self.catalogue.repo.origin:  # this library's own changes are refreshed already
            self._stale.set()

    async def _refresh_when_stale(self) -> None:
        while True:
            await self._stale.wait()
            await asyncio.sleep(self.coalesce_seconds)  # a burst of notifications: one refresh
            self._stale.clear()
            try:
                async with self.ingest.lock:
                    await self._refresh()
            except Exception:
                log.exception("library: refreshing the catalogue after another process's change failed")
                self._stale.set()
                await asyncio.sleep(1.0)

    async def _refresh(self) -> None:
        """Refresh the catalogue, noting the articles table it was read from."""
        fingerprint = await self.catalogue.repo.fingerprint()
        await self.catalogue.refresh()
        self._fingerprint = fingerprint

    async def sync(self) -> SyncReport:
        """Bring the folder's changes in; at the first sync of the process, also index word pairs
        stored before version 4 and analyse again the feed articles stored under another
        ANALYSIS_VERSION (files are read again by the folder sync itself). In a process that does
        not ingest (a shared database), only refresh the catalogue if the articles changed."""
        await self.follow()
        if not await self.ingesting():
            async with self.ingest.lock:
                if not self.catalogue.loaded or await self.catalogue.repo.fingerprint() != self._fingerprint:
                    await self._refresh()
            return SyncReport()
        async with self.ingest.lock:
            if not self.catalogue.loaded:  # the first sync: what the database holds, read once
                await self.catalogue.refresh()
            if not self._maintained:  # slow at scale: once per process
                backfilled = await backfill_pairs(self.catalogue.repo.db)
                if backfilled:
                    log.info("indexed word pairs for %d quotations and passages stored before version 4", backfilled)
            settled, self._settled = self._settled, False
            report = await self.files.sync(settled)
            if not self._maintained:
                await self.ingest.reanalyse(report)
                self._maintained = True
            # Stored all it found (a file that could not be read is tried again when its directory
            # changes or at the next full scan); after an error, the next poll compares everything.
            self._settled = True
            if report.changed or report.touched:  # an unchanged poll rebuilds nothing
                await self.catalogue.refresh()
        for path, reason in report.skipped:
            log.warning("skipped %s: %s", path, reason)
        if report.changed:
            log.info(
                "library: %d added, %d updated, %d retired, %d unchanged, %d skipped",
                len(report.added),
                len(report.updated),
                len(report.retired),
                report.unchanged,
                len(report.skipped),
            )
        return report
