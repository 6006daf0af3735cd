"""Full-text search of quotations and passages: FTS5 matching and the ranking strategies.

Three strategies, chosen per query by ``SearchRepository._ranked``: exact bm25 when the matches are
few (up to COUNT_CAP); the newest RANK_WINDOW matches scored by term frequency when a very common
term matches more; and, for a query of phrases only, the word-pair index (bot.storage.pairs).
Match expressions are built by bot.core.query, never taken from user text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import Quote
from bot.core.query import COUNT_CAP, RANK_WINDOW, SearchQuery, tf_score
from bot.storage.database import Database, Row
from bot.storage.pgsearch import tsquery

# Searches count matches up to COUNT_CAP (more shows as "1,000+") and rank at most COUNT_CAP of
# them, or RANK_WINDOW phrase matches scored in Python (see _ranked); both are in bot/core/query.py,
# where the answers read them too. RANK_TIE_MARGIN rows past the page are re-ordered among equal scores.
RANK_TIE_MARGIN = 20
# PostgreSQL's stand-in for bm25: cover density, every column weighing the same as in FTS5's bm25
# here (the default weighs the speaker and sentence less), divided by the row's length. Of ts_rank and
# ts_rank_cd with normalisations 0, 1, 2 and 8 it agrees best with FTS5's bm25 (bench/ranking.py).
PG_RANK = "ts_rank_cd('{1,1,1,1}', search, CAST(? AS TSQUERY), 2)"


def _scope(table: str, article_id: str | None) -> tuple[str, list[object]]:
    """An FTS5 rowid constraint limiting a search to one article's rows of ``table``."""
    if article_id is None:
        return "", []
    return f"AND rowid IN (SELECT id FROM {table} WHERE article_id = ?)", [article_id]


def _desc(iso_time: str) -> tuple[int, ...]:
    """A sort key that orders ISO timestamps newest first."""
    return tuple(-ord(c) for c in iso_time)


# A stored quotation's columns, after its article's id (see _quote).
_QUOTE_COLUMNS = "article_id, text, speaker, context, is_key, speaker_kind"


def _quote(row: Sequence[Any]) -> Quote:
    """A Quote from the columns of _QUOTE_COLUMNS after article_id."""
    text, speaker, context, key, kind = row
    return Quote(text=text, speaker=speaker, context=context, key=bool(key), speaker_kind=kind)


class SearchRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def quotes_of(self, article_id: str, limit: int, offset: int = 0) -> tuple[list[tuple[str, Quote]], int]:
        """An article's quotations in article order, and how many it has."""
        async with self.db.execute("SELECT COUNT(*) FROM quotes WHERE article_id = ?", (article_id,)) as cur:
            total = (await cur.fetchone())[0]
        async with self.db.execute(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes WHERE article_id = ? ORDER BY position LIMIT ? OFFSET ?",
            (article_id, limit, offset),
        ) as cur:
            rows = await cur.fetchall()
        return [(r[0], _quote(r[1:])) for r in rows], total

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
            "quotes", _QUOTE_COLUMNS, match, article_id, limit, offset, query, use_pairs
        )
        return [(r[1], _quote(r[2:])) for r in rows], total

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
    ) -> tuple[list[Row], int]:
        """One page of ranked matches of ``table`` (rows: id, then ``columns``), and the total."""
        ranked, total = await self._ranked(table, match, article_id, offset + limit, query, use_pairs)
        page = ranked[offset : offset + limit]
        if not page:
            return [], total
        return await self._rows_by_id(f"SELECT id, {columns} FROM {table} WHERE id IN ({{}})", page), total

    async def _scored_by_frequency(self, table: str, ids: list[int], query: SearchQuery) -> list[tuple[float, int]]:
        """Very common terms, on either backend: the rows ``ids`` as (term-frequency score, row id),
        from their text (and a quotation's speaker and context)."""
        columns = "id, text, speaker, context" if table == "quotes" else "id, text"
        rows = await self._rows_by_id(f"SELECT {columns} FROM {table} WHERE id IN ({{}})", ids)
        return [(round(tf_score(list(r[1:]), query), 6), r[0]) for r in rows]

    async def _rows_by_id(self, sql: str, ids: list[int]) -> list[Row]:
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
        if self.db.dialect == "postgresql":
            candidates, total = await self._candidates_pg(table, match, article_id, needed, query)
        else:
            candidates, total = await self._candidates(table, match, article_id, needed, query, use_pairs)
        if total == 0:
            return [], 0
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

    async def _candidates(
        self, table: str, match: str, article_id: str | None, needed: int, query: SearchQuery | None, use_pairs: bool
    ) -> tuple[list[tuple[float, int]], int]:
        """SQLite: (score, row id) of the matches worth ordering, lower scores first, and the count."""
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
                candidates = await self._scored_by_frequency(table, newest, query)
        return candidates, total

    async def _candidates_pg(
        self, table: str, match: str, article_id: str | None, needed: int, query: SearchQuery | None
    ) -> tuple[list[tuple[float, int]], int]:
        """PostgreSQL: as ``_candidates``, from the rows' tsvectors (bot.storage.pgsearch) and their GIN
        index, which answers phrases too (no pair index). PG_RANK with every column weighing the same
        (as FTS5's bm25 here), normalised by length, stands for bm25; negated, lower is better."""
        q = tsquery(match)
        if q is None:
            return [], 0
        scope, params = ("AND article_id = ?", [article_id]) if article_id is not None else ("", [])
        async with self.db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE search @@ CAST(? AS TSQUERY) {scope} LIMIT ?) AS m",
            [q, *params, COUNT_CAP + 1],
        ) as cur:
            total = (await cur.fetchone())[0]
        if total == 0:
            return [], 0
        if total <= COUNT_CAP or query is None:
            window = max(needed, 0) + RANK_TIE_MARGIN if total <= COUNT_CAP else RANK_WINDOW
            order = "2, id DESC" if total <= COUNT_CAP else "id DESC"
            async with self.db.execute(
                f"SELECT id, -{PG_RANK} FROM {table} "
                f"WHERE search @@ CAST(? AS TSQUERY) {scope} ORDER BY {order} LIMIT ?",
                [q, q, *params, window],
            ) as cur:
                return [(round(r[1], 6), r[0]) for r in await cur.fetchall()], total
        # Very common terms: the newest RANK_WINDOW matches, scored by term frequency.
        async with self.db.execute(
            f"SELECT id FROM {table} WHERE search @@ CAST(? AS TSQUERY) {scope} ORDER BY id DESC LIMIT ?",
            [q, *params, RANK_WINDOW],
        ) as cur:
            newest = [r[0] for r in await cur.fetchall()]
        return await self._scored_by_frequency(table, newest, query), total

    async def articles_matching(self, match: str) -> dict[str, int]:
        """For one term (an FTS5 expression built by bot.core.query): each article with sentences
        matching it, and how many of its sentences do."""
        if self.db.dialect == "postgresql":
            q = tsquery(match)
            if q is None:
                return {}
            async with self.db.execute(
                "SELECT article_id, COUNT(*) FROM passages WHERE search @@ CAST(? AS TSQUERY) GROUP BY article_id",
                (q,),
            ) as cur:
                return {r[0]: r[1] for r in await cur.fetchall()}
        async with self.db.execute(
            "SELECT p.article_id, COUNT(*) FROM passages_fts JOIN passages AS p ON p.id = passages_fts.rowid "
            "WHERE passages_fts MATCH ? GROUP BY p.article_id",
            (match,),
        ) as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}

    async def positions_matching(self, match: str, article_ids: list[str]) -> list[tuple[str, int]]:
        """(article id, sentence position) of the sentences of these articles that match one term."""
        marks = ",".join("?" * len(article_ids))
        if not article_ids:
            return []
        if self.db.dialect == "postgresql":
            q = tsquery(match)
            if q is None:
                return []
            async with self.db.execute(
                "SELECT article_id, position FROM passages "
                f"WHERE search @@ CAST(? AS TSQUERY) AND article_id IN ({marks})",
                (q, *article_ids),
            ) as cur:
                return [(r[0], r[1]) for r in await cur.fetchall()]
        async with self.db.execute(
            "SELECT p.article_id, p.position FROM passages_fts JOIN passages AS p ON p.id = passages_fts.rowid "
            "WHERE passages_fts MATCH ? AND passages_fts.rowid IN "
            f"(SELECT id FROM passages WHERE article_id IN ({marks}))",
            (match, *article_ids),
        ) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]

    async def speakers(self, match: str | None, limit: int) -> list[tuple[str, int]]:
        """Speakers with the most quotations, optionally only those matching an FTS5 expression."""
        if match and self.db.dialect == "postgresql":
            sql = (
                "SELECT speaker, COUNT(*) AS n FROM quotes WHERE search @@ CAST(? AS TSQUERY) AND speaker IS NOT NULL "
                "GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?"
            )
            params: tuple[object, ...] = (tsquery(match) or "", limit)
        elif match:
            sql = (
                "SELECT q.speaker, COUNT(*) AS n FROM quotes_fts JOIN quotes AS q ON q.id = quotes_fts.rowid "
                "WHERE quotes_fts MATCH ? AND q.speaker IS NOT NULL "
                "GROUP BY q.speaker ORDER BY n DESC, q.speaker LIMIT ?"
            )
            params = (match, limit)
        else:
            sql = (
                "SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL "
                "GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?"
            )
            params = (limit,)
        async with self.db.execute(sql, params) as cur:
            return [(r[0], r[1]) for r in await cur.fetchall()]
