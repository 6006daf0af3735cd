"""The articles repository: named queries that return domain objects."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from datetime import UTC, datetime

import aiosqlite

from bot.core.models import Analysis, Article, ArticleRow, Quote
from bot.core.query import COUNT_CAP, RANK_WINDOW, SearchQuery, pair_tokens, tf_score
from bot.storage.db import transaction

# Searches count matches up to COUNT_CAP and rank at most COUNT_CAP of them, or RANK_WINDOW phrase
# matches (both in bot/core/query.py, read by the answers too; see _ranked); RANK_TIE_MARGIN rows
# past the page are re-ordered among equal scores.
RELATED_POSTINGS = 200  # per term, the strongest postings read when looking for related articles
RANK_TIE_MARGIN = 20


def _scope(table: str, article_id: str | None) -> tuple[str, list[object]]:
    """An FTS5 rowid constraint limiting a search to one article's rows of ``table``."""
    if article_id is None:
        return "", []
    return f"AND rowid IN (SELECT id FROM {table} WHERE article_id = ?)", [article_id]


def _desc(iso_time: str) -> tuple[int, ...]:
    """A sort key that orders ISO timestamps newest first."""
    return tuple(-ord(c) for c in iso_time)


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 form of a published date when it can be read, for sorting; None otherwise."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y", "%Y/%m/%d"):
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


_COLUMNS = (
    "id, slug, title, author, publication, url, published, words, preview_only, source_path, "
    "content_hash, file_size, file_mtime_ns, sort_time, added_at, retired_at"
)


PAIRS_INDEXED = "pairs_indexed"  # bot_state key: every quotation and passage has its word pairs


class ArticleRepository:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self._batched = False

    @contextlib.asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """Several saves in one transaction (the library stores a chunk of articles at a time)."""
        async with transaction(self.db):
            self._batched = True
            try:
                yield
            finally:
                self._batched = False

    async def by_id(self, article_id: str) -> ArticleRow | None:
        return await self._one(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,))

    async def by_slug(self, slug: str) -> ArticleRow | None:
        return await self._one(f"SELECT {_COLUMNS} FROM articles WHERE slug = ?", (slug,))

    async def by_path(self, source_path: str) -> ArticleRow | None:
        return await self._one(f"SELECT {_COLUMNS} FROM articles WHERE source_path = ?", (source_path,))

    async def live(self) -> list[ArticleRow]:
        """Articles whose files are present, newest first."""
        return await self._many(
            f"SELECT {_COLUMNS} FROM articles WHERE retired_at IS NULL ORDER BY sort_time DESC, added_at DESC, id"
        )

    async def slug_taken(self, slug: str, by_other_than: str) -> bool:
        async with self.db.execute("SELECT 1 FROM articles WHERE slug = ? AND id != ?", (slug, by_other_than)) as cur:
            return await cur.fetchone() is not None

    async def analysed_hashes(self, engine_version: str) -> set[str]:
        async with self.db.execute(
            "SELECT content_hash FROM analyses WHERE engine_version = ?", (engine_version,)
        ) as cur:
            return {row[0] for row in await cur.fetchall()}

    async def cached_analysis(self, content_hash: str, engine_version: str) -> tuple[Article, Analysis] | None:
        async with self.db.execute(
            "SELECT article_json, analysis_json FROM analyses WHERE content_hash = ? AND engine_version = ?",
            (content_hash, engine_version),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Article.from_dict(json.loads(row[0])), Analysis.from_dict(json.loads(row[1]))

    async def save(
        self,
        article: Article,
        analysis: Analysis,
        engine_version: str,
        *,
        file_size: int | None,
        file_mtime_ns: int | None,
        deliver_to: Iterable[int] = (),
    ) -> None:
        """Insert or update an article and cache its analysis, in one transaction; with
        ``deliver_to``, queue its posting to those channels in the same transaction (the outbox)."""
        now = utcnow()
        stored = article.to_dict()
        for key in ("id", "slug", "source_path"):
            stored.pop(key)
        async with contextlib.nullcontext() if self._batched else transaction(self.db):
            await self.db.execute(
                "INSERT OR IGNORE INTO analyses "
                "(content_hash, engine_version, article_json, analysis_json, created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    article.content_hash,
                    engine_version,
                    json.dumps(stored, ensure_ascii=False),
                    json.dumps(analysis.to_dict(), ensure_ascii=False),
                    now,
                ),
            )
            await self.db.execute(
                """
                INSERT INTO articles (id, slug, source_path, content_hash, title, author, publication, url, published,
                                      words, preview_only, file_size, file_mtime_ns, sort_time, added_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    slug = excluded.slug, source_path = excluded.source_path, content_hash = excluded.content_hash,
                    title = excluded.title, author = excluded.author, publication = excluded.publication,
                    url = excluded.url, published = excluded.published, words = excluded.words,
                    preview_only = excluded.preview_only, file_size = excluded.file_size,
                    file_mtime_ns = excluded.file_mtime_ns,
                    sort_time = CASE WHEN excluded.sort_time = excluded.added_at THEN articles.added_at
                                     ELSE excluded.sort_time END,
                    updated_at = excluded.updated_at, retired_at = NULL
                """,
                (
                    article.id,
                    article.slug,
                    article.source_path,
                    article.content_hash,
                    article.title,
                    " and ".join(a.name for a in article.authors) or None,
                    article.publication,
                    article.url,
                    article.published,
                    article.words,
                    int(article.preview_only),
                    file_size,
                    file_mtime_ns,
                    iso_date(article.published) or now,
                    now,
                    now,
                ),
            )
            await self._delete_searchable([article.id])
            await self.db.executemany(
                "INSERT INTO quotes (article_id, position, text, speaker, context, is_key) VALUES (?, ?, ?, ?, ?, ?)",
                [(article.id, i, q.text, q.speaker, q.context, int(q.key)) for i, q in enumerate(analysis.quotes)],
            )
            await self.db.executemany(
                "INSERT INTO passages (article_id, position, text) VALUES (?, ?, ?)",
                [(article.id, i, s) for i, s in enumerate(analysis.sentences)],
            )
            await self.index_pairs("article_id = ?", (article.id,))
            await self.db.execute("DELETE FROM article_terms WHERE article_id = ?", (article.id,))
            await self.db.executemany(
                "INSERT INTO article_terms (term, article_id, weight) VALUES (?, ?, ?)",
                [(term, article.id, weight) for term, weight in analysis.signature],
            )
            await self.db.executemany(
                "INSERT OR IGNORE INTO deliveries (channel_id, article_id, created_at) VALUES (?, ?, ?)",
                [(channel_id, article.id, now) for channel_id in deliver_to],
            )

    async def related(self, article_id: str, limit: int = 3, min_score: float = 0.1) -> list[str]:
        """Ids of the live articles most similar to this one (cosine over signature terms).

        For each of this article's terms only the RELATED_POSTINGS articles weighting it most are
        read (an index on (term, weight)), so a term that half the library shares costs no more
        than a rare one."""
        async with self.db.execute("SELECT term, weight FROM article_terms WHERE article_id = ?", (article_id,)) as cur:
            mine = await cur.fetchall()
        if not mine:
            return []
        parts = " UNION ALL ".join(
            "SELECT * FROM (SELECT article_id, weight * ? AS s FROM article_terms "
            "WHERE term = ? AND article_id != ? ORDER BY weight DESC LIMIT ?)"
            for _ in mine
        )
        params: list[object] = []
        for term, weight in mine:
            params += [weight, term, article_id, RELATED_POSTINGS]
        async with self.db.execute(
            f"SELECT article_id, SUM(s) AS score FROM ({parts}) GROUP BY article_id HAVING score >= ? "
            "ORDER BY score DESC, article_id LIMIT ?",
            [*params, min_score, limit],
        ) as cur:
            return [row[0] for row in await cur.fetchall()]

    async def quotes_of(self, article_id: str, limit: int, offset: int = 0) -> tuple[list[tuple[str, Quote]], int]:
        """An article's quotations in article order, and how many it has."""
        async with self.db.execute("SELECT COUNT(*) FROM quotes WHERE article_id = ?", (article_id,)) as cur:
            total = (await cur.fetchone())[0]
        async with self.db.execute(
            "SELECT article_id, text, speaker, context, is_key FROM quotes WHERE article_id = ? "
            "ORDER BY position LIMIT ? OFFSET ?",
            (article_id, limit, offset),
        ) as cur:
            rows = await cur.fetchall()
        return [(r[0], Quote(text=r[1], speaker=r[2], context=r[3], key=bool(r[4]))) for r in rows], total

    async def search_quotes(
        self,
        match: str,
        article_id: str | None,
        limit: int,
        offset: int = 0,
        query: SearchQuery | None = None,
        *,
        use_pairs: bool = False,
    ) -> tuple[list[tuple[str, Quote]], int]:
        """Quotations matching an FTS5 expression (built by bot.core.query, never raw user text), best
        first by bm25 and, among equals, newest article first; with the number of matches, counted
        up to COUNT_CAP + 1 (more than COUNT_CAP shows as "1,000+")."""
        rows, total = await self._search_page(
            "quotes", "article_id, text, speaker, context, is_key", match, article_id, limit, offset, query, use_pairs
        )
        return [(r[1], Quote(text=r[2], speaker=r[3], context=r[4], key=bool(r[5]))) for r in rows], total

    async def search_passages(
        self,
        match: str,
        article_id: str | None,
        limit: int,
        offset: int = 0,
        query: SearchQuery | None = None,
        *,
        use_pairs: bool = False,
    ) -> tuple[list[tuple[str, str]], int]:
        """Article sentences matching an FTS5 expression as (article id, sentence), best first; the total."""
        rows, total = await self._search_page(
            "passages", "article_id, text", match, article_id, limit, offset, query, use_pairs
        )
        return [(r[1], r[2]) for r in rows], total

    async def _search_page(
        self,
        table: str,
        columns: str,
        match: str,
        article_id: str | None,
        limit: int,
        offset: int,
        query: SearchQuery | None,
        use_pairs: bool,
    ) -> tuple[list[aiosqlite.Row], int]:
        """One page of ranked matches of ``table`` (rows: id, then ``columns``), and the total."""
        ranked, total = await self._ranked(table, match, article_id, offset + limit, query, use_pairs)
        page = ranked[offset : offset + limit]
        if not page:
            return [], total
        return await self._rows_by_id(f"SELECT id, {columns} FROM {table} WHERE id IN ({{}})", page), total

    async def _rows_by_id(self, sql: str, ids: list[int]) -> list[aiosqlite.Row]:
        """Rows selected by id, in the order of ``ids``."""
        async with self.db.execute(sql.format(",".join("?" * len(ids))), ids) as cur:
            found = {r[0]: r for r in await cur.fetchall()}
        return [found[i] for i in ids if i in found]

    async def _ranked(
        self,
        table: str,
        match: str,
        article_id: str | None,
        needed: int,
        query: SearchQuery | None = None,
        use_pairs: bool = False,
    ) -> tuple[list[int], int]:
        """Row ids of ``table`` matching ``match``, best first, enough for ``needed`` results; and the
        number of matches, counted up to COUNT_CAP + 1 (one more means "more than COUNT_CAP").

        Up to COUNT_CAP matches, the order is exact bm25 (FTS5's own top-N on ``rank``). Beyond it,
        scoring every match of a very common word would grow with the corpus, so the RANK_WINDOW
        most recently indexed matches are ranked instead (FTS5 walks its index newest first).
        A query made only of phrases uses the word-pair index (see bot.core.query) and scores the
        newest RANK_WINDOW matches with BM25's term-frequency part in Python. Equal scores: newest
        article first.
        """
        fts = f"{table}_fts"
        scope, params = _scope(table, article_id)
        if use_pairs and query is not None and query.pairs is not None:
            # Phrases only: the word-pair index finds them in one posting list, where FTS5 would
            # intersect the positions of every word; the newest RANK_WINDOW are scored in Python.
            pair_table = "quote_pairs" if table == "quotes" else "passage_pairs"
            async with self.db.execute(
                f"SELECT rowid FROM {pair_table} WHERE {pair_table} MATCH ? {scope} ORDER BY rowid DESC LIMIT ?",
                [query.pairs, *params, COUNT_CAP + 1],
            ) as cur:
                found = [r[0] for r in await cur.fetchall()]
            total = len(found)
            if total == 0:
                return [], 0
            columns = "id, text, speaker" if table == "quotes" else "id, text"
            rows = await self._rows_by_id(f"SELECT {columns} FROM {table} WHERE id IN ({{}})", found[:RANK_WINDOW])
            candidates = [(round(tf_score(list(r[1:]), query), 6), r[0]) for r in rows]
        else:
            async with self.db.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ? {scope} LIMIT ?)",
                [match, *params, COUNT_CAP + 1],
            ) as cur:
                total = (await cur.fetchone())[0]
            if total == 0:
                return [], 0
            if total <= COUNT_CAP or query is None:
                # Exact bm25 order over every match (FTS5's own top-N on rank).
                window = max(needed, 0) + RANK_TIE_MARGIN if total <= COUNT_CAP else RANK_WINDOW
                order = "rank" if total <= COUNT_CAP else "rowid DESC"
                async with self.db.execute(
                    f"SELECT rowid, bm25({fts}) FROM {fts} WHERE {fts} MATCH ? {scope} ORDER BY {order} LIMIT ?",
                    [match, *params, window],
                ) as cur:
                    candidates = [(round(r[1], 6), r[0]) for r in await cur.fetchall()]
            else:
                # Very common terms: the newest RANK_WINDOW matches, scored by term frequency
                # (bm25() would read every posting of the term to compute its IDF).
                async with self.db.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? {scope} ORDER BY rowid DESC LIMIT ?",
                    [match, *params, RANK_WINDOW],
                ) as cur:
                    newest = [r[0] for r in await cur.fetchall()]
                columns = "id, text, speaker, context" if table == "quotes" else "id, text"
                rows = await self._rows_by_id(f"SELECT {columns} FROM {table} WHERE id IN ({{}})", newest)
                candidates = [(round(tf_score(list(r[1:]), query), 6), r[0]) for r in rows]
        candidates.sort(key=lambda c: (c[0], -c[1]))
        # Order equal scores newest article first; only the rows that can reach the page matter.
        head = candidates[: max(needed, 0) + RANK_TIE_MARGIN]
        marks = ",".join("?" * len(head))
        async with self.db.execute(
            f"SELECT t.id, a.sort_time FROM {table} AS t JOIN articles AS a ON a.id = t.article_id "
            f"WHERE t.id IN ({marks})",
            [c[1] for c in head],
        ) as cur:
            when = dict(await cur.fetchall())
        head.sort(key=lambda c: (c[0], _desc(when.get(c[1], ""))))
        return [c[1] for c in head[: max(needed, 0)]], total

    async def speakers(self, match: str | None, limit: int) -> list[tuple[str, int]]:
        """Speakers with the most quotations, optionally only those matching an FTS5 expression."""
        if match:
            sql = (
                "SELECT q.speaker, COUNT(*) AS n FROM quotes_fts JOIN quotes AS q ON q.id = quotes_fts.rowid "
                "WHERE quotes_fts MATCH ? AND q.speaker IS NOT NULL "
                "GROUP BY q.speaker ORDER BY n DESC, q.speaker LIMIT ?"
            )
            params: tuple[object, ...] = (match, limit)
        else:
            sql = (
                "SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL "
                "GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?"
            )
            params = (limit,)
        async with self.db.execute(sql, params) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]

    async def touch_file(self, article_id: str, file_size: int, file_mtime_ns: int) -> None:
        """The file was rewritten with the same content: remember its new size and time."""
        await self.db.execute(
            "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?", (file_size, file_mtime_ns, article_id)
        )

    async def retire(self, article_ids: list[str]) -> None:
        if not article_ids:
            return
        now = utcnow()
        async with transaction(self.db):
            await self.db.executemany(
                "UPDATE articles SET retired_at = ?, source_path = NULL WHERE id = ?", [(now, i) for i in article_ids]
            )
            await self.db.executemany("DELETE FROM article_terms WHERE article_id = ?", [(i,) for i in article_ids])
            await self._delete_searchable(article_ids)

    async def _delete_searchable(self, article_ids: list[str]) -> None:
        """Remove articles' quotations and passages from every search index (inside a transaction)."""
        ids = [(i,) for i in article_ids]
        await self.db.executemany(
            "DELETE FROM quote_pairs WHERE rowid IN (SELECT id FROM quotes WHERE article_id = ?)", ids
        )
        await self.db.executemany(
            "DELETE FROM passage_pairs WHERE rowid IN (SELECT id FROM passages WHERE article_id = ?)", ids
        )
        await self.db.executemany("DELETE FROM quotes WHERE article_id = ?", ids)
        await self.db.executemany("DELETE FROM passages WHERE article_id = ?", ids)

    async def index_pairs(self, where: str, params: tuple[object, ...]) -> None:
        """Fill the word-pair indexes for the quotations and passages selected by ``where``."""
        async with self.db.execute(f"SELECT id, text, speaker, context FROM quotes WHERE {where}", params) as cur:
            quotes = await cur.fetchall()
        await self.db.executemany(
            "INSERT INTO quote_pairs (rowid, pairs) VALUES (?, ?)",
            [(r[0], pair_tokens(r[1], r[2], r[3])) for r in quotes],
        )
        async with self.db.execute(f"SELECT id, text FROM passages WHERE {where}", params) as cur:
            passages = await cur.fetchall()
        await self.db.executemany(
            "INSERT INTO passage_pairs (rowid, pairs) VALUES (?, ?)", [(r[0], pair_tokens(r[1])) for r in passages]
        )

    async def backfill_pairs(self) -> int:
        """Index word pairs for rows stored before the pair indexes existed; returns how many.

        Counting every indexed row takes seconds at 100,000 articles, so once a database is known
        to be fully indexed (every save indexes its own rows) it is not counted again."""
        state = StateRepository(self.db)
        if await state.get(PAIRS_INDEXED) == "1":
            return 0
        async with self.db.execute(
            "SELECT (SELECT COUNT(*) FROM quotes) - (SELECT COUNT(*) FROM quote_pairs) "
            "+ (SELECT COUNT(*) FROM passages) - (SELECT COUNT(*) FROM passage_pairs)"
        ) as cur:
            missing = (await cur.fetchone())[0]
        async with transaction(self.db):
            if missing > 0:
                await self.db.execute("DELETE FROM quote_pairs")
                await self.db.execute("DELETE FROM passage_pairs")
                await self.index_pairs("1", ())
            await state.set(PAIRS_INDEXED, "1")
        return max(missing, 0)

    async def load(self, row: ArticleRow, engine_version: str) -> tuple[Article, Analysis] | None:
        """The full article and its analysis, with the library's id, slug and path."""
        cached = await self.cached_analysis(row.content_hash, engine_version)
        if cached is None:
            return None
        article, analysis = cached
        return _with_identity(article, row), analysis

    async def _one(self, sql: str, params: tuple[object, ...]) -> ArticleRow | None:
        async with self.db.execute(sql, params) as cur:
            row = await cur.fetchone()
        return _article_row(row) if row else None

    async def _many(self, sql: str, params: tuple[object, ...] = ()) -> list[ArticleRow]:
        async with self.db.execute(sql, params) as cur:
            rows = await cur.fetchall()
        if len(rows) > 2_000:  # 100,000 rows take ~0.3 s to convert: not on the event loop
            return await asyncio.to_thread(_from_rows, rows)
        return _from_rows(rows)


def _from_rows(rows: Iterable[aiosqlite.Row]) -> list[ArticleRow]:
    return [_article_row(r) for r in rows]


def _with_identity(article: Article, row: ArticleRow) -> Article:
    return replace(article, id=row.id, slug=row.slug, source_path=row.source_path)


class StateRepository:
    """Small facts the bot keeps between runs, such as the hash of the last synced command tree."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        async with self.db.execute("SELECT value FROM bot_state WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def set(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _article_row(row: aiosqlite.Row) -> ArticleRow:
    return ArticleRow(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        author=row["author"],
        publication=row["publication"],
        url=row["url"],
        published=row["published"],
        words=row["words"],
        preview_only=bool(row["preview_only"]),
        source_path=row["source_path"],
        content_hash=row["content_hash"],
        file_size=row["file_size"],
        file_mtime_ns=row["file_mtime_ns"],
        sort_time=row["sort_time"],
        added_at=row["added_at"],
        retired_at=row["retired_at"],
    )
