"""The in-memory catalogue of live articles: the rows, newest first, and the lookups built from
them (ids, slugs, paths, titles, authors) that resolve what a user typed to an article.

Only ``refresh`` changes it, swapping everything at once; the rest reads it and never awaits, so
commands see one consistent snapshot."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import difflib
import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.core.errors import UserError
from bot.core.models import ArticleRow
from bot.core.text import fold, slugify
from bot.core.wording import not_found
from bot.library.titles import TitleIndex
from bot.storage.articles import ArticleRepository

Lookups = tuple[dict[str, ArticleRow], dict[str, ArticleRow], TitleIndex, list[str], dict[str, list[int]]]


class Catalogue:
    def __init__(self, repo: ArticleRepository) -> None:
        self.repo = repo
        self.loaded = False  # refreshed at least once
        self._rows: tuple[ArticleRow, ...] = ()
        self._by_id: dict[str, ArticleRow] = {}
        self._ids: list[str] = []  # sorted, for id prefixes
        self._authors: dict[str, list[int]] = {}  # folded author name -> positions in _rows
        self._by_key: dict[str, ArticleRow] = {}
        self._titles = TitleIndex([])

    @property
    def articles(self) -> tuple[ArticleRow, ...]:
        """Live articles, newest first (as of the last refresh); shared, never copied."""
        return self._rows

    def by_id(self, article_id: str) -> ArticleRow | None:
        """The live article with exactly this id."""
        return self._by_id.get(article_id)

    async def refresh(self) -> None:
        """Reload the live articles and rebuild the lookups.

        The lookups are built in a thread and swapped in at once: at 100,000 articles building them
        takes about a second, which must not hold the event loop."""
        with _frozen_after_build():
            rows = tuple(await self.repo.live())
            looked_up = await asyncio.to_thread(_lookups, rows)
            self._rows = rows
            self._by_id, self._by_key, self._titles, self._ids, self._authors = looked_up
        self.loaded = True

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
        raise UserError(not_found(ref, [r.title for r in self.closest(ref)]))

    def closest(self, ref: str, n: int = 3) -> list[ArticleRow]:
        """The titles nearest to what was typed, for "did you mean": candidates from the title
        index (any typed word may match), ordered by difflib's similarity to the whole input."""
        folded = fold(ref)
        pool = {i for word in folded.split()[:8] for i in self._titles.search(word, 50)}
        scored = [(difflib.SequenceMatcher(None, folded, fold(self._rows[i].title)).ratio(), i) for i in pool]
        return [self._rows[i] for s, i in sorted(scored, key=lambda x: (-x[0], x[1]))[:n] if s >= 0.3]

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


@contextlib.contextmanager
def _frozen_after_build() -> Iterator[None]:
    """Build the lookups with automatic garbage collection paused, then freeze them.

    Building them allocates a few hundred thousand objects. Each burst of allocations would trigger
    a collection walking all the young ones (up to 140 ms with the event loop held, at 100,000
    articles), and none of them can be garbage, so collection waits until the build ends: the pause
    lasts only the block and automatic collection resumes as it was. Then ``gc.freeze`` moves what
    is tracked into the permanent generation, which the cyclic collector no longer walks: left to
    it, each full pass would walk the lookups (200 ms). The lookups hold no reference cycles, so
    when the next refresh replaces them reference counting still frees them; what else was frozen
    with them is freed the same way, or kept (a cycle) until the process ends, which a bot that
    refreshes after changes only can afford."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def _lookups(rows: tuple[ArticleRow, ...]) -> Lookups:
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
