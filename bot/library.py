"""The article library: a folder of article files kept in step with the database.

``sync`` is the only writer. It stats every file, reads only those whose size or modification
time changed, analyses only content it has never seen (analyses are cached by content hash and
engine version), and retires articles whose files are gone. Ids are derived from the content
first seen at a path and stay with that path through edits, so links and records survive them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import difflib
import logging
import multiprocessing
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.delivery import matches
from bot.engine import ENGINE_VERSION, analyse, make_brief
from bot.errors import UserError
from bot.loaders import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, ArticleFileError, RawArticle, read_article_file
from bot.models import Analysis, Article, Brief, Quote
from bot.parsing import article_id, content_hash, parse_article
from bot.search import SearchQuery, combine, highlight, parse_query, speaker_filter
from bot.storage.articles import ArticleRepository, ArticleRow
from bot.storage.subscriptions import Subscription, SubscriptionRepository
from bot.text import fold, slugify
from bot.titles import TitleIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quotation found by a search; ``highlighted`` is its text with matched words between
    bot.search.HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE."""

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


def analyse_file(path: Path) -> tuple[Article, Analysis]:
    """Read, parse and analyse one file outside any library (``python -m bot brief FILE``): the
    file named, not a symbolic link, which is refused as the library refuses it."""
    return analyse_raw(read_article_file(path, follow_symlinks=False))


class Library:
    def __init__(
        self,
        repo: ArticleRepository,
        folder: Path,
        *,
        max_bytes: int = MAX_FILE_BYTES,
        subscriptions: SubscriptionRepository | None = None,
    ) -> None:
        self.repo = repo
        self.subscriptions = subscriptions
        self.folder = folder
        self.max_bytes = max_bytes
        self._rows: tuple[ArticleRow, ...] = ()
        self._loaded = False
        self._analysed: set[str] | None = None  # content hashes with a cached analysis
        self._by_id: dict[str, ArticleRow] = {}
        self._by_key: dict[str, ArticleRow] = {}
        self._titles = TitleIndex([])
        self._lock = asyncio.Lock()

    # --- reading ----------------------------------------------------------------------------

    @property
    def articles(self) -> tuple[ArticleRow, ...]:
        """Live articles, newest first (as of the last sync); shared, never copied."""
        return self._rows

    async def refresh(self) -> None:
        """Reload the live articles and rebuild the in-memory lookups (ids, slugs, paths, titles)."""
        self._rows = tuple(await self.repo.live())
        self._loaded = True
        self._by_id = {r.id: r for r in self._rows}
        self._by_key: dict[str, ArticleRow] = {}
        for row in reversed(self._rows):  # newest wins a tie
            keys = [row.slug, fold(row.title)]
            if row.source_path:
                keys += [row.source_path, Path(row.source_path).name]
            for key in keys:
                self._by_key[key] = row
        self._titles = TitleIndex(self._rows)

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
        if len(ref) >= 6:
            return next((r for r in self._rows if r.id.startswith(ref)), None)
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
        """Live articles whose author names contain ``name`` (ignoring case and accents), newest first."""
        wanted = fold(name.strip())
        return [r for r in self._rows if r.author and wanted and wanted in fold(r.author)]

    async def related(self, row: ArticleRow, limit: int = 3) -> list[ArticleRow]:
        """The live articles most like this one, most similar first."""
        return [self._by_id[i] for i in await self.repo.related(row.id, limit) if i in self._by_id]

    # --- syncing with the folder --------------------------------------------------------------

    async def sync(self) -> SyncReport:
        async with self._lock:
            report = await self._sync()
            if report.changed or report.touched or not self._loaded:  # an unchanged poll rebuilds nothing
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

    async def _sync(self) -> SyncReport:
        report = SyncReport()
        backfilled = await self.repo.backfill_pairs()
        if backfilled:
            log.info("indexed word pairs for %d quotations and passages stored before version 4", backfilled)
        # After the first sync, what is known comes from memory: a poll of an unchanged folder
        # costs a directory scan, not a read of every row.
        rows = self._rows if self._loaded else await self.repo.with_paths()
        known = {r.source_path: r for r in rows if r.source_path}
        if self._analysed is None:
            self._analysed = await self.repo.analysed_hashes(ENGINE_VERSION)
        analysed = self._analysed
        files = await asyncio.to_thread(self._scan)
        seen: set[str] = set()
        changed: list[tuple[str, Path, os.stat_result, ArticleRow | None]] = []
        for rel, path_text, stat in files:
            seen.add(rel)
            row = known.get(rel)
            if (
                row is not None
                and row.file_size == stat.st_size
                and row.file_mtime_ns == stat.st_mtime_ns
                and row.content_hash in analysed
            ):
                report.unchanged += 1
            else:
                changed.append((rel, Path(path_text), stat, row))
        executor = _analysis_pool() if len(changed) >= PROCESS_POOL_THRESHOLD else None
        subscribed = await self.subscriptions.active() if self.subscriptions is not None and changed else []
        try:
            for start in range(0, len(changed), CHUNK):
                chunk = changed[start : start + CHUNK]
                prepared = await asyncio.gather(*(self._prepare(c, analysed, executor) for c in chunk))
                async with self.repo.batch():
                    for item, outcome in zip(chunk, prepared, strict=True):
                        await self._store(item, outcome, analysed, subscribed, report)
        finally:
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        kept = set(report.added) | set(report.updated)  # includes an article whose file was renamed
        gone = [r.id for rel, r in known.items() if rel not in seen and r.id not in kept]
        await self.repo.retire(gone)
        report.retired.extend(gone)
        return report

    def _scan(self) -> list[tuple[str, str, os.stat_result]]:
        """Article files under the folder as (relative path, path, stat); symbolic links and
        anything outside the folder are never read. os.scandir's cached entries keep this cheap."""
        out: list[tuple[str, str, os.stat_result]] = []
        stack = [(str(self.folder.resolve()), "")]
        while stack:
            directory, prefix = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                log.warning("skipped folder %s: %s", prefix or ".", exc.strerror or exc)
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = prefix + entry.name
                supported = os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES
                if entry.is_symlink():
                    if supported:
                        log.warning("skipped %s: symbolic links are not followed", rel)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                    continue
                if not supported:
                    continue
                if not entry.is_file(follow_symlinks=False):  # a named pipe, socket or device
                    log.warning("skipped %s: not a regular file", rel)
                    continue
                try:
                    out.append((rel, entry.path, entry.stat(follow_symlinks=False)))
                except OSError as exc:
                    log.warning("skipped %s: %s", rel, exc.strerror or exc)
        return out

    async def _prepare(
        self,
        item: tuple[str, Path, os.stat_result, ArticleRow | None],
        analysed: set[str],
        executor: concurrent.futures.Executor | None,
    ) -> Prepared | Exception:
        """Read a changed file and analyse it if its content is new: the slow part, run in
        worker threads or processes so that the event loop stays free and both cores work."""
        rel, path, _stat, _row = item
        try:
            raw = await asyncio.to_thread(
                read_article_file, path, max_bytes=self.max_bytes, source_path=rel, follow_symlinks=False
            )
            digest = content_hash(raw)
            if digest in analysed:
                return Prepared(raw, digest, None)
            loop = asyncio.get_running_loop()
            return Prepared(raw, digest, await loop.run_in_executor(executor, analyse_raw, raw))
        except ArticleFileError as exc:
            return exc
        except Exception as exc:  # a parser bug must not stop the rest of the library loading
            log.error("failed to analyse %s", rel, exc_info=exc)
            return exc

    async def _store(
        self,
        item: tuple[str, Path, os.stat_result, ArticleRow | None],
        outcome: Prepared | Exception,
        analysed: set[str],
        subscribed: list[Subscription],
        report: SyncReport,
    ) -> None:
        rel, _path, stat, row = item
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
        result = outcome.result or await self.repo.cached_analysis(digest, ENGINE_VERSION)
        if result is None:  # the cache lost the analysis since the sync began: analyse off the loop
            result = await asyncio.to_thread(analyse_raw, outcome.raw)
        article, analysis = result
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


@dataclass(frozen=True, slots=True)
class Prepared:
    raw: RawArticle
    digest: str
    result: tuple[Article, Analysis] | None  # None: the analysis is already cached


# Files analysed per batch (one transaction each), and the number of changed files from which a
# sync analyses in worker processes (one per core) rather than threads.
CHUNK = 32
PROCESS_POOL_THRESHOLD = 32


def _analysis_pool() -> concurrent.futures.ProcessPoolExecutor:
    workers = max(1, min(os.cpu_count() or 1, 8))
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
