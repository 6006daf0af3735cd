"""The library: the folder's files and the feeds' articles, stored and analysed, read by commands.

One ``Library`` is built by the bot and by the terminal alike, from the database connection and
the folder, and composes the parts, each with one job; callers use the part they need:

- ``catalogue`` (bot.library.catalogue): the live articles in memory; resolving what a user typed.
- ``reading`` (bot.library.reading): an article's analysis and brief, related articles, searches.
- ``topics`` (bot.library.topics): briefs across articles: a topic, two articles compared.
- ``ingest`` (bot.library.ingest): the one path that stores an article, with its subscription
  fan-out; feed articles come in through ``ingest.add_raws``.
- ``files`` (bot.library.folder): the folder's scan, kept in step by ``sync``.
"""

from __future__ import annotations

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
from bot.storage.articles import ArticleRepository
from bot.storage.clock import Clock
from bot.storage.database import Database
from bot.storage.links import LinkRepository
from bot.storage.pairs import backfill_pairs
from bot.storage.refusals import RETRY_BASE

log = logging.getLogger(__name__)


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
        self._settled = False  # the last sync stored all it found: an unchanged scan means no change
        self._maintained = False  # this process has backfilled the pair index and re-analysed

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
        """Stop the workers at once (a file or page being analysed is abandoned); the bot's close() calls it."""
        self.pages.close()

    async def sync(self) -> SyncReport:
        """Bring the folder's changes in; at the first sync of the process, also index word pairs
        stored before version 4 and analyse again the feed articles stored under another
        ANALYSIS_VERSION (files are read again by the folder sync itself)."""
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
