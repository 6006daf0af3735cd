"""The articles repository: articles, their cached analyses and the text they were analysed from.

Search (bot.storage.search), the word-pair indexes (bot.storage.pairs) and the delivery outbox
(bot.storage.outbox) have their own modules; ``save`` fills the search tables of the article it
stores.

``save`` and ``retire`` notify LIBRARY_CHANNEL in their transaction, with this repository's
``origin`` as the payload: other processes sharing the database (PostgreSQL) hear, once it commits,
that the live articles changed (bot.library.service refreshes its catalogue), and a library knows
its own changes by their origin."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Iterable
from dataclasses import asdict, fields, replace

from bot.core.models import Analysis, Article, ArticleRow, RawArticle
from bot.core.wording import author_names
from bot.storage.clock import iso_date, utcnow
from bot.storage.database import Database, Row
from bot.storage.db import transaction
from bot.storage.pairs import index_pairs

LIBRARY_CHANNEL = "briefbot_library"  # notified when articles are stored or retired
RELATED_POSTINGS = 200  # per term, the strongest postings read when looking for related articles

_COLUMNS = (
    "id, slug, title, author, publication, url, published, words, preview_only, source_path, "
    "content_hash, file_size, file_mtime_ns, sort_time, added_at, retired_at"
)


class ArticleRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._batched = False
        self.origin = secrets.token_hex(8)  # the payload of this repository's notifications
        self._stems: dict[str, str] = {}  # PostgreSQL's search vectors: each word stemmed once (bounded)

    @property
    def batched(self) -> bool:
        """Whether a ``batch`` transaction is open."""
        return self._batched

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

    async def live_with_hash(self, content_hash: str) -> ArticleRow | None:
        """The earliest added live article with this content, if any."""
        return await self._one(
            f"SELECT {_COLUMNS} FROM articles WHERE content_hash = ? AND retired_at IS NULL "
            "ORDER BY added_at, id LIMIT 1",
            (content_hash,),
        )

    async def fingerprint(self) -> tuple[object, ...]:
        """A cheap summary of the articles table that changes when an article is stored or retired
        (how many, how many retired, the latest store and retirement): read to tell whether the
        live articles may have changed without reading them."""
        async with self.db.execute(
            "SELECT COUNT(*), COUNT(retired_at), MAX(updated_at), MAX(retired_at) FROM articles"
        ) as cur:
            row = await cur.fetchone()
        return tuple(row) if row is not None else ()

    async def live(self) -> list[ArticleRow]:
        """Articles whose files are present, newest first."""
        return await self._many(
            f"SELECT {_COLUMNS} FROM articles WHERE retired_at IS NULL ORDER BY sort_time DESC, added_at DESC, id"
        )

    async def slug_taken(self, slug: str, by_other_than: str) -> bool:
        async with self.db.execute("SELECT 1 FROM articles WHERE slug = ? AND id != ?", (slug, by_other_than)) as cur:
            return await cur.fetchone() is not None

    async def analysed_hashes(self, analysis_version: str) -> set[str]:
        async with self.db.execute(
            "SELECT content_hash FROM analyses WHERE engine_version = ?", (analysis_version,)
        ) as cur:
            return {row[0] for row in await cur.fetchall()}

    async def cached_analysis(self, content_hash: str, analysis_version: str) -> tuple[Article, Analysis] | None:
        async with self.db.execute(
            "SELECT article_json, analysis_json FROM analyses WHERE content_hash = ? AND engine_version = ?",
            (content_hash, analysis_version),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Article.from_dict(json.loads(row[0])), Analysis.from_dict(json.loads(row[1]))

    async def newest_analysis(self, content_hash: str) -> tuple[Article, Analysis] | None:
        """The most recently stored analysis of this content, of any analysis version."""
        async with self.db.execute(
            "SELECT article_json, analysis_json FROM analyses WHERE content_hash = ? "
            "ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (content_hash,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Article.from_dict(json.loads(row[0])), Analysis.from_dict(json.loads(row[1]))

    async def unanalysed_raws(
        self, analysis_version: str, *, after: str = "", limit: int = 64
    ) -> list[tuple[ArticleRow, RawArticle | None]]:
        """Live articles with no file (feed articles) and no analysis of ``analysis_version``, with
        the text they were analysed from (None when that row cannot be read back), by id after
        ``after``, at most ``limit``: what to analyse again when the analysis changed. (A file's
        article is read again from its file by the folder sync.)"""
        columns = ", ".join("a." + c.strip() for c in _COLUMNS.split(","))
        async with self.db.execute(
            f"SELECT {columns}, r.raw_json FROM articles AS a "
            "JOIN raw_articles AS r ON r.content_hash = a.content_hash "
            "WHERE a.retired_at IS NULL AND a.source_path IS NULL AND a.id > ? AND NOT EXISTS "
            "(SELECT 1 FROM analyses WHERE content_hash = a.content_hash AND engine_version = ?) "
            "ORDER BY a.id LIMIT ?",
            (after, analysis_version, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [(_article_row(r), _readable_raw(r["raw_json"])) for r in rows]

    async def save(
        self,
        article: Article,
        analysis: Analysis,
        analysis_version: str,
        *,
        file_size: int | None,
        file_mtime_ns: int | None,
        raw: RawArticle,
    ) -> None:
        """Insert or update an article, cache its analysis and keep ``raw``, the text it was analysed
        from (what re-analyses it when the analysis changes), in one transaction (the caller's,
        inside ``batch``). Only bot.library.ingest calls it: storing an article is its job."""
        now = utcnow()
        stored = article.to_dict()
        for key in ("id", "slug", "source_path"):
            stored.pop(key)
        async with contextlib.nullcontext() if self._batched else transaction(self.db):
            await self.db.execute(
                "INSERT INTO analyses (content_hash, engine_version, article_json, analysis_json, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    article.content_hash,
                    analysis_version,
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
                    author_names(article.authors) or None,  # "A and B · edited by C"
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
                "INSERT INTO quotes (article_id, position, text, speaker, speaker_kind, context, is_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (article.id, i, q.text, q.speaker, q.speaker_kind, q.context, int(q.key))
                    for i, q in enumerate(analysis.quotes)
                ],
            )
            await self.db.executemany(
                "INSERT INTO passages (article_id, position, text) VALUES (?, ?, ?)",
                [(article.id, i, s) for i, s in enumerate(analysis.sentences)],
            )
            await index_pairs(self.db, "article_id = ?", (article.id,), self._stems)
            await self.db.execute("DELETE FROM article_terms WHERE article_id = ?", (article.id,))
            await self.db.executemany(
                "INSERT INTO article_terms (term, article_id, weight) VALUES (?, ?, ?)",
                [(term, article.id, weight) for term, weight in analysis.signature],
            )
            if raw is not None:
                await self.db.execute(
                    "INSERT INTO raw_articles (content_hash, raw_json, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (article.content_hash, raw_to_json(raw), now),
                )
            await self.db.notify(LIBRARY_CHANNEL, self.origin)  # heard once this commits

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
            f"SELECT * FROM (SELECT article_id, weight * ? AS s FROM article_terms "
            f"WHERE term = ? AND article_id != ? ORDER BY weight DESC LIMIT ?) AS t{i}"
            for i in range(len(mine))
        )
        params: list[object] = []
        for term, weight in mine:
            params += [weight, term, article_id, RELATED_POSTINGS]
        async with self.db.execute(
            f"SELECT article_id, SUM(s) AS score FROM ({parts}) AS postings GROUP BY article_id HAVING SUM(s) >= ? "
            "ORDER BY score DESC, article_id LIMIT ?",
            [*params, min_score, limit],
        ) as cur:
            return [row[0] for row in await cur.fetchall()]

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
            await self.db.notify(LIBRARY_CHANNEL, self.origin)

    async def _delete_searchable(self, article_ids: list[str]) -> None:
        """Remove articles' quotations and passages from every search index (inside a transaction)."""
        ids = [(i,) for i in article_ids]
        if self.db.dialect == "sqlite":  # the word-pair indexes (PostgreSQL keeps its vectors in the rows)
            await self.db.executemany(
                "DELETE FROM quote_pairs WHERE rowid IN (SELECT id FROM quotes WHERE article_id = ?)", ids
            )
            await self.db.executemany(
                "DELETE FROM passage_pairs WHERE rowid IN (SELECT id FROM passages WHERE article_id = ?)", ids
            )
        await self.db.executemany("DELETE FROM quotes WHERE article_id = ?", ids)
        await self.db.executemany("DELETE FROM passages WHERE article_id = ?", ids)

    async def load(self, row: ArticleRow, analysis_version: str) -> tuple[Article, Analysis] | None:
        """The full article and its analysis, with the library's id, slug and path: the analysis of
        ``analysis_version``, else the newest stored of any version (an article stored before its raw
        text was kept, which nothing can re-analyse); None when it has none at all."""
        cached = await self.cached_analysis(row.content_hash, analysis_version) or await self.newest_analysis(
            row.content_hash
        )
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


def _from_rows(rows: Iterable[Row]) -> list[ArticleRow]:
    return [_article_row(r) for r in rows]


def _with_identity(article: Article, row: ArticleRow) -> Article:
    return replace(article, id=row.id, slug=row.slug, source_path=row.source_path)


def _article_row(row: Row) -> ArticleRow:
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


def raw_to_json(raw: RawArticle) -> str:
    return json.dumps(asdict(raw), ensure_ascii=False)


_RAW_FIELDS = frozenset(f.name for f in fields(RawArticle))


def raw_from_json(text: str) -> RawArticle:
    """A stored raw article. Fields a later version no longer has are dropped and a field it added
    takes its default, so a stored row stays readable across versions."""
    data = json.loads(text)
    if "dek" in data:  # the standfirst's name before it was renamed
        data.setdefault("standfirst", data.pop("dek"))
    data = {k: v for k, v in data.items() if k in _RAW_FIELDS}
    data["authors"] = tuple(data.get("authors") or ())
    data["credits"] = tuple((str(n), str(r)) for n, r in data.get("credits") or ())
    return RawArticle(**data)


def _readable_raw(text: str) -> RawArticle | None:
    """raw_from_json, or None for a row that cannot be read back (one bad row must not stop a sync)."""
    try:
        return raw_from_json(text)
    except (ValueError, TypeError):
        return None
