"""The folder of article files kept in step with the library.

A sync stats every file, reads only those whose size or modification time changed, analyses only
content it has never seen (analyses are cached by content hash and ANALYSIS_VERSION), stores what
changed through the one ingest path (bot.library.ingest), and retires articles whose files are gone.
A file over its budget in the workers is refused, recorded (bot.storage.refusals) and tried again
after a delay that doubles each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISDIR

from bot.core.errors import ArticleFileError
from bot.core.models import ArticleRow, RawArticle, Refusal
from bot.library.catalogue import Catalogue
from bot.library.ingest import Analysed, FileStat, Ingest, Session, SyncReport, read_and_analyse
from bot.library.workers import TaskRefused
from bot.sources.files import (
    _DIRECTORY_FLAGS,
    HTML_SUFFIXES,
    LINK_REFUSED,
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    _is_link,
    read_article_file,
)
from bot.storage.refusals import RETRY_BASE, RefusalRepository

log = logging.getLogger(__name__)

# The longest a file edited in place (its directory unchanged) can go unnoticed by polls.
FULL_SCAN_SECONDS = 300.0

# Files read and analysed per batch (one transaction each).
CHUNK = 32


# A scanned file: (path relative to the folder, path, size, modification time in ns). A plain tuple
# of strings and numbers, which the garbage collector stops tracking, unlike os.stat_result or a
# named tuple: a scan keeps 100,000 of them, and every full collection would walk them all.
ScannedFile = tuple[str, str, int, int]


# A file to read: (path relative to the folder, its stat, its row when it is already known).
Changed = tuple[str, FileStat, ArticleRow | None]


@dataclass(frozen=True, slots=True)
class Prepared:
    raw: RawArticle
    digest: str
    result: Analysed | None  # None: the analysis is already cached


class Folder:
    def __init__(
        self,
        folder: Path,
        catalogue: Catalogue,
        ingest: Ingest,
        *,
        max_bytes: int = MAX_FILE_BYTES,
        retry_base: float = RETRY_BASE,
    ) -> None:
        self.folder = folder
        self.catalogue = catalogue
        self.ingest = ingest
        self.max_bytes = max_bytes
        self.retry_base = retry_base
        self.refusals = RefusalRepository(catalogue.repo.db)
        self._refused: dict[str, Refusal] | None = None  # file refusals by key, read at the first sync
        self._listings: dict[str, _Listing] = {}  # directory -> what the last scan saw there
        self._last_full_scan = float("-inf")
        self._full_scan_cost = 0.0  # seconds
        self._unchanged = 0  # files the last comparison found unchanged

    async def sync(self, settled: bool = False) -> SyncReport:
        """Bring the folder's changes into the library (with the ingest lock held). ``settled``: the
        last sync stored all it found, so an unchanged scan means no change."""
        report = SyncReport()
        analysed = await self.ingest.analysed()
        # What is known comes from memory, not the database. The scan and the comparison run in a
        # thread: at 100,000 files either would hold the event loop for a noticeable time.
        missing, changed, report.unchanged = await asyncio.to_thread(
            self._changes, self.catalogue.articles, analysed, settled
        )
        if self._refused is None:
            self._refused = await self.refusals.with_prefix("file:")
        if self._refused:  # a file refused over its budget waits for its retry time, unless it changed
            now = time.time()
            waiting = [c for c in changed if self._waiting(c, now)]
            if waiting:
                log.debug("library: %d refused files wait for their retry time", len(waiting))
                held = {id(c) for c in waiting}
                changed = [c for c in changed if id(c) not in held]
        session = await self.ingest.session() if changed else None
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
                assert session is not None
                async with session.batch():
                    for item, outcome in zip(chunk, prepared, strict=True):
                        await self._store(session, item, outcome, analysed, report)
        finally:
            if ahead is not None and not ahead.done():
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await ahead
        kept = set(report.added) | set(report.updated)  # includes an article whose file was renamed
        gone = [r.id for r in missing if r.id not in kept]
        await self.catalogue.repo.retire(gone)
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
            rel = prefix + name
            if name.startswith("."):
                log.debug("skipped %s%s: hidden", rel, "/" if entry.is_dir(follow_symlinks=False) else "")
                continue
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
            # Opened from the folder one name at a time: no link below it is followed (bot.sources.files).
            read = functools.partial(
                read_article_file, Path(rel), max_bytes=self.max_bytes, source_path=rel, folder=self.folder
            )
            known = row.content_hash if row is not None and row.content_hash in analysed else None
            raw, digest, result = await self.ingest.pages.run(
                read_and_analyse, read, known, seconds=self.ingest.page_seconds
            )
            return Prepared(raw, digest, None if digest in analysed else result)
        except (ArticleFileError, TaskRefused) as exc:
            return exc
        except Exception as exc:  # a parser bug must not stop the rest of the library loading
            log.error("failed to analyse %s", rel, exc_info=exc)
            return exc

    async def _store(
        self,
        session: Session,
        item: Changed,
        outcome: Prepared | Exception,
        analysed: set[str],
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
            await self.catalogue.repo.touch_file(row.id, stat.st_size, stat.st_mtime_ns)
            report.unchanged += 1
            report.touched += 1
            return
        assert outcome.result is not None  # analysed in its worker, or read from the cache above
        stored = await session.store(outcome.raw, digest, outcome.result, row=row, source_path=rel, file=stat)
        if isinstance(stored, ArticleRow):  # its content is another file's
            report.skipped.append((rel, f"same content as {stored.source_path}"))
            return
        report.queued += stored.queued
        (report.updated if row is not None else report.added).append(stored.id)

    async def _cached(self, rel: str, prepared: Prepared) -> Prepared | Exception:
        """``prepared`` with its analysis from the cache; or, when the cache lost it since the sync
        began, from a worker, within the budget like any other."""
        result = await self.ingest.analysis(prepared.raw, prepared.digest, rel)
        return result if isinstance(result, Exception) else replace(prepared, result=result)


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
