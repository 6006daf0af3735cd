"""The article library: a folder of article files kept in step with the database.

``sync`` is the only writer. It stats every file, reads only those whose size or modification
time changed, analyses only content it has never seen (analyses are cached by content hash and
engine version), and retires articles whose files are gone. Ids are derived from the content
first seen at a path and stay with that path through edits, so links and records survive them.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import difflib
import errno
import functools
import gc
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISDIR
from typing import NamedTuple

from bot.analysis.engine import ENGINE_VERSION, analyse, make_brief
from bot.analysis.parsing import article_id, content_hash, parse_article
from bot.core.errors import ArticleFileError, UserError
from bot.core.models import Analysis, Article, ArticleRow, Brief, Quote, RawArticle, Refusal, Subscription
from bot.core.query import SearchQuery, combine, highlight, parse_query, speaker_filter
from bot.core.text import fold, slugify
from bot.library.routing import matches
from bot.library.titles import TitleIndex
from bot.library.workers import KillablePool, TaskRefused
from bot.sources.files import (
    _DIRECTORY_FLAGS,
    HTML_SUFFIXES,
    LINK_REFUSED,
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    _is_link,
    read_article_file,
)
from bot.storage.articles import ArticleRepository
from bot.storage.refusals import RETRY_BASE, RefusalRepository
from bot.storage.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

# A file's or page's budget in its worker, reading and analysis together: wall time (most take well
# under a second; trafilatura's time grows faster than the page on some markup: 500 KB of links takes
# 12 s, 5 MB over 10 minutes) and memory beyond the worker's own (a plain 5 MB page needs about 130 MB).
PAGE_SECONDS = 30.0
PAGE_MEMORY_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quotation found by a search; ``highlighted`` is its text with matched words between
    bot.core.query.HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE."""

    article_id: str
    quote: Quote
    highlighted: str


@dataclass(slots=True)
class QuoteResults:
    """A page of quotation search results. When no quotation matched a keyword, ``passages``
    holds matching article sentences instead (highlighted), and ``passage_total`` their count."""

    hits: list[tuple[ArticleRow, QuoteHit]]
    total: int
    query: SearchQuery | None = None
    passages: list[tuple[ArticleRow, str]] = field(default_factory=list)
    passage_total: int = 0


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    queued: int = 0  # deliveries queued for subscribed channels
    touched: int = 0  # files rewritten with the same content (new size or time recorded)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired)


def analyse_raw(raw: RawArticle) -> tuple[Article, Analysis]:
    """Parse and analyse; a plain function so it can run in a worker thread or process."""
    article = parse_article(raw)
    return article, analyse(article)


def read_and_analyse(
    read: Callable[[], RawArticle], known: str | None
) -> tuple[RawArticle, str, tuple[Article, Analysis] | None]:
    """Read a file and analyse it unless its content hash is ``known`` (already analysed): one
    task for a worker of the library's pool."""
    raw = read()
    digest = content_hash(raw)
    return raw, digest, None if digest == known else analyse_raw(raw)


def analyse_file(path: Path, folder: Path | None = None) -> tuple[Article, Analysis]:
    """Read, parse and analyse one file outside any library (``python -m bot brief FILE``): the
    file named, not a symbolic link, which is refused as the library refuses it. With ``folder``,
    ``path`` is relative to it and no link on the way is followed, as for the library's files."""
    return analyse_raw(read_article_file(path, follow_symlinks=False, folder=folder))


class FileStat(NamedTuple):
    """What the library needs of a changed file's stat."""

    st_size: int
    st_mtime_ns: int


# A scanned file: (path relative to the folder, path, size, modification time in ns). A plain tuple
# of strings and numbers, which the garbage collector stops tracking, unlike os.stat_result or a
# named tuple: a scan keeps 100,000 of them, and every full collection would walk them all.
ScannedFile = tuple[str, str, int, int]


# A file to read: (path relative to the folder, its stat, its row when it is already known).
Changed = tuple[str, FileStat, ArticleRow | None]


class Library:
    def __init__(
        self,
        repo: ArticleRepository,
        folder: Path,
        *,
        max_bytes: int = MAX_FILE_BYTES,
        subscriptions: SubscriptionRepository | None = None,
        pages: KillablePool | None = None,
        page_seconds: float = PAGE_SECONDS,
        retry_base: float = RETRY_BASE,
    ) -> None:
        self.repo = repo
        self.subscriptions = subscriptions
        self.folder = folder
        self.max_bytes = max_bytes
        # Everything read from outside is read and analysed in these workers: the folder's files of
        # every type here, and feed entries (their pages extracted in bot.library.feeds, analysed in
        # add_raws). Each file or page within ``page_seconds`` and PAGE_MEMORY_BYTES; over either,
        # a file is refused and recorded, and tried again after ``retry_base`` seconds, doubling
        # each time.
        self.pages = pages if pages is not None else page_pool()
        self.page_seconds = page_seconds
        self.retry_base = retry_base
        self.refusals = RefusalRepository(repo.db)
        self._refused: dict[str, Refusal] | None = None  # file refusals by key, read at the first sync
        self._rows: tuple[ArticleRow, ...] = ()
        self._loaded = False
        self._analysed: set[str] | None = None  # content hashes with a cached analysis
        self._by_id: dict[str, ArticleRow] = {}
        self._ids: list[str] = []  # sorted, for id prefixes
        self._authors: dict[str, list[int]] = {}  # folded author name -> positions in _rows
        self._by_key: dict[str, ArticleRow] = {}
        self._titles = TitleIndex([])
        self._lock = asyncio.Lock()
        self._pairs_checked = False
        self._listings: dict[str, _Listing] = {}  # directory -> what the last scan saw there
        self._last_full_scan = float("-inf")
        self._full_scan_cost = 0.0  # seconds
        self._settled = False  # the last sync stored all it found: an unchanged scan means no change
        self._unchanged = 0  # files the last comparison found unchanged

    def close(self) -> None:
        """Stop the workers at once (a file or page being analysed is abandoned); the bot's close() calls it."""
        self.pages.close()

    # --- reading ----------------------------------------------------------------------------

    @property
    def articles(self) -> tuple[ArticleRow, ...]:
        """Live articles, newest first (as of the last sync); shared, never copied."""
        return self._rows

    async def refresh(self) -> None:
        """Reload the live articles and rebuild the in-memory lookups (ids, slugs, paths, titles).

        The lookups are built in a thread and swapped in at once: at 100,000 articles building them
        takes about a second, which must not hold the event loop."""
        # Building them allocates a few hundred thousand objects. Each burst of allocations would
        # trigger a collection walking all the young ones (up to 140 ms with the event loop held,
        # at 100,000 articles), and none of them can be garbage: collections wait for the build.
        # Then the lookups are frozen, before collections resume: left to the cyclic collector,
        # each of its full passes would walk them all (200 ms). They hold no reference cycles, so
        # when the next refresh replaces them, reference counting still frees them.
        with _collections_paused():
            rows = tuple(await self.repo.live())
            looked_up = await asyncio.to_thread(_lookups, rows)
            self._rows = rows
            self._by_id, self._by_key, self._titles, self._ids, self._authors = looked_up
            gc.freeze()
        self._loaded = True

    def resolve(self, ref: str) -> ArticleRow | None:
        """An article from an id, slug, file name or path, its title, or a fragment of its title."""
        ref = ref.strip()
        if not ref:
            return None
        if ref in self._by_id:
            return self._by_id[ref]
        for key in (ref, slugify(ref), Path(ref).name, fold(ref)):
            if key in self._by_key:
                return self._by_key[key]
        folded = fold(ref)
        for i in self._titles.search(ref, 25):  # candidates; the fragment must appear as typed
            if folded in fold(self._rows[i].title):
                return self._rows[i]
        if len(ref) >= 6:  # a unique prefix of an id
            ids = self._ids
            at = bisect.bisect_left(ids, ref)
            if at < len(ids) and ids[at].startswith(ref):
                return self._by_id[ids[at]]
        return None

    def suggest(self, typed: str, limit: int = 25) -> list[ArticleRow]:
        """Titles for autocomplete: newest first when nothing is typed, else best match first
        (every typed word must begin, or nearly match, a word of the title)."""
        return [self._rows[i] for i in self._titles.search(typed[:200], limit)]

    def lookup(self, ref: str | None) -> ArticleRow:
        """The article a user meant (the newest when ``ref`` is empty), or a UserError naming the
        closest titles."""
        if not self._rows:
            raise UserError("The library is empty: there are no articles yet.")
        if ref is None or not ref.strip():
            return self._rows[0]
        row = self.resolve(ref)
        if row is not None:
            return row
        closest = self.closest(ref)
        hint = " Did you mean " + " or ".join(f"“{r.title}”" for r in closest) + "?" if closest else ""
        raise UserError(f"I couldn't find an article matching “{ref.strip()[:100]}”.{hint}")

    def closest(self, ref: str, n: int = 3) -> list[ArticleRow]:
        """The titles nearest to what was typed, for "did you mean": candidates from the title
        index (any typed word may match), ordered by difflib's similarity to the whole input."""
        folded = fold(ref)
        pool = {i for word in folded.split()[:8] for i in self._titles.search(word, 50)}
        scored = [(difflib.SequenceMatcher(None, folded, fold(self._rows[i].title)).ratio(), i) for i in pool]
        return [self._rows[i] for s, i in sorted(scored, key=lambda x: (-x[0], x[1]))[:n] if s >= 0.3]

    async def load(self, row: ArticleRow) -> tuple[Article, Analysis]:
        loaded = await self.repo.load(row, ENGINE_VERSION)
        if loaded is None:  # only possible for a row the last sync could not re-analyse
            raise LookupError(f"article {row.id} has no analysis for engine version {ENGINE_VERSION}")
        return loaded

    async def brief(self, row: ArticleRow, sentences: int) -> Brief:
        article, analysis = await self.load(row)
        related = tuple(r.title for r in await self.related(row))
        return make_brief(article, analysis, sentences, related=related)

    async def search_quotes(
        self,
        keyword: str | None,
        *,
        speaker: str | None = None,
        article: ArticleRow | None = None,
        limit: int = 5,
        offset: int = 0,
    ) -> QuoteResults:
        """Quotations by keyword (full text: stemmed, phrases, prefixes), speaker and article.

        With neither keyword nor speaker, the article's quotations in order. When a keyword finds
        no quotation, the article sentences that match it are returned instead, marked as passages.
        Raises UserError when the input holds nothing to search for.
        """
        query, by_speaker = self.check_search(keyword, speaker, article)
        if query is None and by_speaker is None:
            assert article is not None
            found, total = await self.repo.quotes_of(article.id, limit, offset)
            return QuoteResults(self._hits(found, None), total, query=None)
        match = combine(query.match if query else None, by_speaker)
        assert match is not None
        scope = article.id if article else None
        found, total = await self.repo.search_quotes(
            match, scope, limit, offset, query, use_pairs=query is not None and by_speaker is None
        )
        if total == 0 and query is not None:
            passages, count = await self.repo.search_passages(query.match, scope, limit, offset, query, use_pairs=True)
            if count:
                marked = [(self._by_id[a], highlight(text, query)) for a, text in passages if a in self._by_id]
                return QuoteResults([], 0, query=query, passages=marked, passage_total=count)
        return QuoteResults(self._hits(found, query), total, query=query)

    @staticmethod
    def check_search(
        keyword: str | None, speaker: str | None, article: ArticleRow | None
    ) -> tuple[SearchQuery | None, str | None]:
        """The parsed keyword and speaker filter, or a UserError when there is nothing to search
        for; cheap, so a command can check its input before it acknowledges the interaction."""
        query = parse_query(keyword)
        by_speaker = speaker_filter(speaker)
        if keyword and keyword.strip() and query is None and by_speaker is None:
            raise UserError("There is nothing to search for in that keyword: type a word or two.")
        if speaker and speaker.strip() and by_speaker is None:
            raise UserError("That speaker name has no letters or digits to search for.")
        if query is None and by_speaker is None and article is None:
            raise UserError("Give a keyword to search for, a speaker, an article, or some of them.")
        return query, by_speaker

    def _hits(self, found: list[tuple[str, Quote]], query: SearchQuery | None) -> list[tuple[ArticleRow, QuoteHit]]:
        return [(self._by_id[a], QuoteHit(a, q, highlight(q.text, query))) for a, q in found if a in self._by_id]

    async def speakers(self, typed: str, limit: int = 25) -> list[tuple[str, int]]:
        """Speakers for autocomplete: those whose names start with the typed words, most quoted first."""
        words = parse_query(typed.replace("*", " ") + "*") if typed.strip() else None
        match = "speaker : (" + words.match + ")" if words else None
        return await self.repo.speakers(match, limit)

    def by_author(self, name: str) -> list[ArticleRow]:
        """Live articles whose author names contain ``name`` (ignoring case and accents), newest
        first. The distinct author names are searched, not the articles."""
        wanted = fold(name.strip())
        if not wanted:
            return []
        found = {i for author, positions in self._authors.items() if wanted in author for i in positions}
        return [self._rows[i] for i in sorted(found)]

    def by_authors(self, names: Iterable[str]) -> list[ArticleRow]:
        """Live articles with any of these authors (whole names, ignoring case and accents), newest first."""
        found = {i for name in names for i in self._authors.get(fold(name.strip()), ())}
        return [self._rows[i] for i in sorted(found)]

    async def related(self, row: ArticleRow, limit: int = 3) -> list[ArticleRow]:
        """The live articles most like this one, most similar first."""
        return [self._by_id[i] for i in await self.repo.related(row.id, limit) if i in self._by_id]

    # --- syncing with the folder --------------------------------------------------------------

    async def sync(self) -> SyncReport:
        async with self._lock:
            if not self._loaded:  # the first sync: what the database holds, read once
                await self.refresh()
            settled, self._settled = self._settled, False
            report = await self._sync(settled)
            # Stored all it found (a file that could not be read is tried again when its directory
            # changes or at the next full scan); after an error, the next poll compares everything.
            self._settled = True
            if report.changed or report.touched:  # an unchanged poll rebuilds nothing
                await self.refresh()
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

    async def _sync(self, settled: bool = False) -> SyncReport:
        report = SyncReport()
        if not self._pairs_checked:  # counting every indexed row is slow at scale: once per process
            backfilled = await self.repo.backfill_pairs()
            self._pairs_checked = True
            if backfilled:
                log.info("indexed word pairs for %d quotations and passages stored before version 4", backfilled)
        if self._analysed is None:
            self._analysed = await self.repo.analysed_hashes(ENGINE_VERSION)
        analysed = self._analysed
        # What is known comes from memory, not the database. The scan and the comparison run in a
        # thread: at 100,000 files either would hold the event loop for a noticeable time.
        missing, changed, report.unchanged = await asyncio.to_thread(self._changes, self._rows, analysed, settled)
        if self._refused is None:
            self._refused = await self.refusals.with_prefix("file:")
        if self._refused:  # a file refused over its budget waits for its retry time, unless it changed
            now = time.time()
            waiting = [c for c in changed if self._waiting(c, now)]
            if waiting:
                log.debug("library: %d refused files wait for their retry time", len(waiting))
                held = {id(c) for c in waiting}
                changed = [c for c in changed if id(c) not in held]
        subscribed = await self.subscriptions.active() if self.subscriptions is not None and changed else []
        chunks = [changed[start : start + CHUNK] for start in range(0, len(changed), CHUNK)]

        def prepare(chunk: list[Changed]) -> asyncio.Future[list[Prepared | Exception]]:
            return asyncio.ensure_future(asyncio.gather(*(self._prepare(c, analysed) for c in chunk)))

        # Pipelined: the next chunk is analysed (in the workers) while this one is stored, so the
        # workers and the database writer are busy at the same time.
        ahead = prepare(chunks[0]) if chunks else None
        try:
            for i, chunk in enumerate(chunks):
                assert ahead is not None
                prepared = await ahead
                ahead = prepare(chunks[i + 1]) if i + 1 < len(chunks) else None
                async with self.repo.batch():
                    for item, outcome in zip(chunk, prepared, strict=True):
                        await self._store(item, outcome, analysed, subscribed, report)
        finally:
            if ahead is not None and not ahead.done():
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await ahead
        kept = set(report.added) | set(report.updated)  # includes an article whose file was renamed
        gone = [r.id for r in missing if r.id not in kept]
        await self.repo.retire(gone)
        await self.refusals.forget_many("file:" + r.source_path for r in missing if r.id not in kept and r.source_path)
        report.retired.extend(gone)
        return report

    def _waiting(self, item: Changed, now: float) -> bool:
        rel, stat, _row = item
        refusal = (self._refused or {}).get("file:" + rel)
        return (
            refusal is not None
            and (refusal.file_size, refusal.file_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and refusal.retry_at > now
        )

    def _changes(
        self, rows: tuple[ArticleRow, ...], analysed: set[str], settled: bool
    ) -> tuple[list[ArticleRow], list[Changed], int]:
        """(known articles whose file is missing, files new or changed since their row was
        stored, unchanged count)."""
        files, relisted = self._scan()
        if not relisted and settled:
            # No directory changed and no full scan was due: nothing was added, removed or renamed,
            # and the last sync stored everything it found. Comparing 100,000 files with their rows
            # every poll would cost a tenth of a second of Python for nothing.
            return [], [], self._unchanged
        known = {r.source_path: r for r in rows if r.source_path}
        seen: set[str] = set()
        changed: list[Changed] = []
        unchanged = 0
        for rel, _path_text, size, mtime_ns in files:
            seen.add(rel)
            row = known.get(rel)
            if (
                row is not None
                and row.file_size == size
                and row.file_mtime_ns == mtime_ns
                and row.content_hash in analysed
            ):
                unchanged += 1
            else:
                changed.append((rel, FileStat(size, mtime_ns), row))
        missing = [row for rel, row in known.items() if rel not in seen]
        self._unchanged = unchanged
        return missing, changed, unchanged

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

        async def prepare(raw: RawArticle) -> tuple[str, tuple[Article, Analysis] | Exception]:
            # Analysed before the lock, so syncs and commands are not held up; in a worker of the
            # pool, within the budget (text from a feed is as untrusted as any page).
            digest = content_hash(raw)
            try:
                result = await self.repo.cached_analysis(digest, ENGINE_VERSION)
                return digest, result or await self.pages.run(analyse_raw, raw, seconds=self.page_seconds)
            except TaskRefused as exc:
                log.warning("refused %s: %s", raw.url or raw.title, exc)
                return digest, exc
            except Exception as exc:  # a parser bug must not stop the other items
                log.error("failed to analyse %s", raw.url or raw.title, exc_info=exc)
                return digest, exc

        prepared = await asyncio.gather(*(prepare(raw) for raw in raws))
        async with self._lock:
            if not self._loaded:
                await self.refresh()
            live = {r.content_hash: r.id for r in self._rows}
            subscribed = await self.subscriptions.active() if self.subscriptions is not None and deliver else []
            async with self.repo.batch():
                for index, (raw, (digest, outcome)) in enumerate(zip(raws, prepared, strict=True)):
                    if isinstance(outcome, TaskRefused):
                        report.skipped.append((raw.url or raw.title or "?", f"refused: {outcome}"))
                        continue
                    if isinstance(outcome, Exception):
                        report.skipped.append((raw.url or raw.title or "?", f"could not be analysed ({outcome})"))
                        continue
                    if digest in live:
                        report.unchanged += 1
                        if record is not None:
                            await record(index, live[digest], False)
                        continue
                    article, analysis = outcome
                    ident = article_id(digest)
                    holder = await self.repo.by_id(ident)
                    if holder is not None and holder.retired_at is None:  # a file's article, since edited, has
                        ident = digest[16:32]  # the id of this content: take the hash's next 16 digits instead
                    slug = slugify(article.title)
                    if await self.repo.slug_taken(slug, ident):
                        slug = f"{slug}-{ident[:6]}"
                    article = replace(article, id=ident, slug=slug, source_path=None)
                    deliver_to = [s.channel_id for s in subscribed if matches(article, analysis, s.keywords)]
                    await self.repo.save(
                        article, analysis, ENGINE_VERSION, file_size=None, file_mtime_ns=None, deliver_to=deliver_to
                    )
                    if record is not None:
                        await record(index, ident, True)
                    live[digest] = ident
                    report.queued += len(deliver_to)
                    report.added.append(ident)
            if report.added:
                if self._analysed is not None:
                    self._analysed.update(d for d, o in prepared if not isinstance(o, Exception))
                await self.refresh()
        return report

    def _scan(self) -> tuple[list[ScannedFile], bool]:
        """Article files under the folder as (relative path, path, stat), and whether any directory
        was listed afresh (False: the list is what the last scan saw); symbolic links and anything
        outside the folder are never read.

        Adding, removing or renaming a file changes its directory's modification time, so a poll
        re-lists only directories whose time changed and reuses what it saw of the others. Edits
        in place change no directory: a full scan (every file stat'ed) finds them, run at least
        every FULL_SCAN_SECONDS and otherwise as often as keeps it under 5% of one core (at
        100,000 files a full scan costs about a second).

        The walk is by descriptor, as the read is (bot.sources.files.open_inside): the folder is opened
        once, each sub-folder relative to its parent's descriptor with O_NOFOLLOW, and listed and
        stat'ed through its own. A sub-folder swapped for a link after its parent was listed is
        refused when it is opened, never listed through the link. One descriptor is open per level
        of the folder being walked, and all are closed when the scan ends, however it ends."""
        now = time.monotonic()
        full = now - self._last_full_scan >= min(FULL_SCAN_SECONDS, 20 * self._full_scan_cost)
        out: list[ScannedFile] = []
        relisted = False
        listed: dict[str, _Listing] = {}
        root = str(self.folder.resolve())
        # The directories open, deepest last: (descriptor, path, path relative to the folder, the
        # names of its sub-folders not yet walked). A descriptor is on the stack from the moment it
        # is opened until it is closed.
        stack: list[tuple[int, str, str, Iterator[str]]] = []
        previous = self._listings

        def enter(fd: int, directory: str, prefix: str) -> None:
            """Take an open directory: list it, or reuse what the last scan saw there."""
            nonlocal relisted
            stack.append((fd, directory, prefix, iter(())))
            try:
                mtime = os.fstat(fd).st_mtime_ns
            except OSError as exc:
                log.warning("skipped folder %s: %s", prefix or ".", exc.strerror or exc)
                return
            listing = previous.get(directory)
            if full or listing is None or not _settled(listing, mtime):
                listing = self._list(fd, directory, prefix, mtime)
                relisted = True
            listed[directory] = listing
            out.extend(listing.files)
            stack[-1] = (fd, directory, prefix, reversed(listing.folders))  # walked in the old order

        try:
            try:
                opened = os.open(root, _DIRECTORY_FLAGS)  # the folder itself, as configured
            except OSError as exc:
                log.warning("skipped folder .: %s", exc.strerror or exc)
            else:
                enter(opened, root, "")
            while stack:
                fd, directory, prefix, folders = stack[-1]
                base = directory if directory.endswith("/") else directory + "/"
                for name in folders:
                    path = base + name
                    seen = None if full else previous.get(path)
                    if seen is not None and not seen.folders:
                        # Nothing to list and nothing to walk into: a stat relative to the parent (a link
                        # is not a folder) tells whether what it saw can be reused, with no descriptor.
                        try:
                            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                        except OSError:
                            st = None  # opening it says why
                        if st is not None and S_ISDIR(st.st_mode) and _settled(seen, st.st_mtime_ns):
                            listed[path] = seen
                            out.extend(seen.files)
                            continue
                    try:
                        opened = os.open(name, _DIRECTORY_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
                    except OSError as exc:
                        # A link where the listing saw a folder (swapped since): refused, never listed.
                        link = exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(name, fd)
                        log.warning(
                            "skipped folder %s%s/: %s", prefix, name, LINK_REFUSED if link else exc.strerror or exc
                        )
                        continue
                    enter(opened, path, f"{prefix}{name}/")
                    break  # walk into it; this directory's other sub-folders after it
                else:  # all its sub-folders walked
                    stack.pop()
                    os.close(fd)
        finally:
            for fd, *_ in stack:
                os.close(fd)
        if listed.keys() != self._listings.keys():
            relisted = True  # a directory went away
        self._listings = listed
        if full:
            self._last_full_scan = now
            self._full_scan_cost = time.monotonic() - now
        return out, relisted

    @staticmethod
    def _list(fd: int, directory: str, prefix: str, mtime_ns: int) -> _Listing:
        """List the open directory ``fd`` (at ``directory``, ``prefix`` relative to the folder):
        names only, each file stat'ed relative to ``fd`` without following links."""
        listed_ns = time.time_ns()
        files: list[ScannedFile] = []
        folders: list[str] = []
        try:
            entries = sorted(os.scandir(fd), key=lambda e: e.name)
        except OSError as exc:
            log.warning("skipped folder %s: %s", prefix or ".", exc.strerror or exc)
            return _Listing(mtime_ns, listed_ns, [], [])
        base = directory if directory.endswith("/") else directory + "/"
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            supported = os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES
            if entry.is_symlink():
                if supported:
                    log.warning("skipped %s: symbolic links are not followed", rel)
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(name)
                continue
            if not supported:
                continue
            if not entry.is_file(follow_symlinks=False):  # a named pipe, socket or device
                log.warning("skipped %s: not a regular file", rel)
                continue
            try:
                st = entry.stat(follow_symlinks=False)  # relative to fd: scandir(fd) entries have no path
                files.append((rel, base + name, st.st_size, st.st_mtime_ns))
            except OSError as exc:
                log.warning("skipped %s: %s", rel, exc.strerror or exc)
        return _Listing(mtime_ns, listed_ns, files, folders)

    async def _prepare(self, item: Changed, analysed: set[str]) -> Prepared | Exception:
        """Read a changed file and analyse it if its content is new: the slow part, in a worker of
        the pool, so that the event loop stays free, every core works, and a file over its budget
        (a hostile page can take hours or gigabytes; so can a text file, in the analysis) has its
        worker killed and is refused. Reading and analysis are one task (one round trip); the
        analysis is skipped when the content is the row's, already analysed."""
        rel, _stat, row = item
        try:
            # Opened from the folder one name at a time: no link below it is followed (bot/loaders.py).
            read = functools.partial(
                read_article_file, Path(rel), max_bytes=self.max_bytes, source_path=rel, folder=self.folder
            )
            known = row.content_hash if row is not None and row.content_hash in analysed else None
            raw, digest, result = await self.pages.run(read_and_analyse, read, known, seconds=self.page_seconds)
            return Prepared(raw, digest, None if digest in analysed else result)
        except (ArticleFileError, TaskRefused) as exc:
            return exc
        except Exception as exc:  # a parser bug must not stop the rest of the library loading
            log.error("failed to analyse %s", rel, exc_info=exc)
            return exc

    async def _store(
        self,
        item: Changed,
        outcome: Prepared | Exception,
        analysed: set[str],
        subscribed: list[Subscription],
        report: SyncReport,
    ) -> None:
        rel, stat, row = item
        key = "file:" + rel
        if (
            isinstance(outcome, Prepared)
            and outcome.result is None
            and not (row is not None and row.content_hash == outcome.digest and outcome.digest in analysed)
        ):
            outcome = await self._cached(rel, outcome)
        if isinstance(outcome, TaskRefused):
            refusal = await self.refusals.refuse(
                key,
                str(outcome),
                now=time.time(),
                base=self.retry_base,
                file_size=stat.st_size,
                file_mtime_ns=stat.st_mtime_ns,
            )
            if self._refused is not None:
                self._refused[key] = refusal
            wait = refusal.retry_at - time.time()
            note = f"refusal {refusal.failures}; next try in {wait:.0f} s"
            kind = "page" if os.path.splitext(rel)[1].lower() in HTML_SUFFIXES else "file"
            report.skipped.append((rel, f"{kind} refused: {outcome} ({note})"))
            return
        if self._refused and self._refused.pop(key, None) is not None:
            await self.refusals.forget(key)
        if isinstance(outcome, ArticleFileError):
            report.skipped.append((rel, str(outcome)))
            return
        if isinstance(outcome, Exception):
            report.skipped.append((rel, f"could not be analysed ({type(outcome).__name__})"))
            return
        digest = outcome.digest
        if row is not None and row.content_hash == digest and digest in analysed:
            await self.repo.touch_file(row.id, stat.st_size, stat.st_mtime_ns)
            report.unchanged += 1
            report.touched += 1
            return
        assert outcome.result is not None  # analysed in its worker, or read from the cache above
        article, analysis = outcome.result
        if row is not None:
            ident = row.id
        else:
            ident = article_id(digest)
            existing = await self.repo.by_id(ident)
            if (
                existing is not None
                and existing.retired_at is None
                and existing.source_path not in (None, rel)
                and (self.folder / existing.source_path).is_file()
            ):
                report.skipped.append((rel, f"same content as {existing.source_path}"))
                return
        slug = slugify(article.title)
        if await self.repo.slug_taken(slug, ident):
            slug = f"{slug}-{ident[:6]}"
        article = replace(article, id=ident, slug=slug, source_path=rel)
        # A new article is queued for every subscribed channel whose filter it passes, in the same
        # transaction that stores it; an edited one (row is not None) is not posted again.
        deliver_to: list[int] = []
        if row is None:
            deliver_to = [s.channel_id for s in subscribed if matches(article, analysis, s.keywords)]
        await self.repo.save(
            article,
            analysis,
            ENGINE_VERSION,
            file_size=stat.st_size,
            file_mtime_ns=stat.st_mtime_ns,
            deliver_to=deliver_to,
        )
        report.queued += len(deliver_to)
        analysed.add(digest)
        (report.updated if row is not None else report.added).append(ident)

    async def _cached(self, rel: str, prepared: Prepared) -> Prepared | Exception:
        """``prepared`` with its analysis from the cache; or, when the cache lost it since the sync
        began, from a worker, within the budget like any other."""
        cached = await self.repo.cached_analysis(prepared.digest, ENGINE_VERSION)
        if cached is not None:
            return replace(prepared, result=cached)
        try:
            result = await self.pages.run(analyse_raw, prepared.raw, seconds=self.page_seconds)
        except TaskRefused as exc:
            return exc
        except Exception as exc:
            log.error("failed to analyse %s", rel, exc_info=exc)
            return exc
        return replace(prepared, result=result)


@contextlib.contextmanager
def _collections_paused() -> Iterator[None]:
    """Automatic garbage collection off for the duration (it is process-wide: keep this short)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lookups(
    rows: tuple[ArticleRow, ...],
) -> tuple[dict[str, ArticleRow], dict[str, ArticleRow], TitleIndex, list[str], dict[str, list[int]]]:
    """Articles by id; by slug, folded title, path and file name; the title index; the sorted ids;
    and each (folded) author's articles as positions in ``rows``."""
    by_key: dict[str, ArticleRow] = {}
    for row in reversed(rows):  # newest wins a tie
        by_key[row.slug] = row
        by_key[fold(row.title)] = row
        if row.source_path:
            by_key[row.source_path] = row
            by_key[row.source_path.rsplit("/", 1)[-1]] = row
    authors: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for name in split_authors(row.author):
            authors.setdefault(fold(name), []).append(i)
    by_id = {r.id: r for r in rows}
    return by_id, by_key, TitleIndex(rows), sorted(by_id), authors


def split_authors(joined: str | None) -> list[str]:
    """The names in an article row's author column ("A and B")."""
    return [part.strip() for part in (joined or "").split(" and ") if part.strip()]


@dataclass(frozen=True, slots=True)
class _Listing:
    """One directory as the last scan saw it: its modification time, article files and folders."""

    mtime_ns: int
    listed_ns: int  # wall clock when it was listed
    files: list[ScannedFile]
    folders: list[str]  # the sub-folders' names


def _settled(listing: _Listing, mtime_ns: int) -> bool:
    """Whether what a scan saw of a directory still holds, its modification time now ``mtime_ns``.

    A directory changed within a second of its listing may have changed again within its clock
    tick, unseen in its time: it is listed again until it has settled."""
    return listing.mtime_ns == mtime_ns and mtime_ns < listing.listed_ns - 1_000_000_000


@dataclass(frozen=True, slots=True)
class Prepared:
    raw: RawArticle
    digest: str
    result: tuple[Article, Analysis] | None  # None: the analysis is already cached


# The longest a file edited in place (its directory unchanged) can go unnoticed by polls.
FULL_SCAN_SECONDS = 300.0

# Files read and analysed per batch (one transaction each).
CHUNK = 32


def page_pool(memory_bytes: int | None = PAGE_MEMORY_BYTES) -> KillablePool:
    """Workers for everything read from outside (files of every type, feed pages and articles): one
    per core (up to 4), so at most that many are in memory at once, each within ``memory_bytes``."""
    return KillablePool(
        max(1, min(os.cpu_count() or 1, 4)), memory_bytes=memory_bytes, preload=("bot.sources.pages", "trafilatura")
    )
