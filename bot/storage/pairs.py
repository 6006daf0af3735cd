"""The word-pair indexes (quote_pairs, passage_pairs) that answer phrase searches from one posting
list (see bot.core.query.pair_tokens), and their backfill for rows stored before they existed."""

from __future__ import annotations

from bot.core.query import pair_tokens
from bot.storage.database import Database
from bot.storage.db import transaction
from bot.storage.pgsearch import SEARCHED, STEMS_KEPT_LIVE, search_vector
from bot.storage.state import StateRepository

PAIRS_INDEXED = "pairs_indexed"  # bot_state key: every quotation and passage has its word pairs


async def index_pairs(
    db: Database, where: str, params: tuple[object, ...], stems: dict[str, str] | None = None
) -> None:
    """Fill the word-pair indexes for the quotations and passages selected by ``where`` (inside
    the caller's transaction). On PostgreSQL, their search vectors instead (bot.storage.pgsearch:
    GIN answers phrases without a pair index); ``stems``, the caller's memo of words stemmed (most
    words recur, and stemming in Python was most of a PostgreSQL ingest's own CPU)."""
    if db.dialect == "postgresql":
        await _index_vectors(db, where, params, {} if stems is None else stems)
        return
    async with db.execute(f"SELECT id, text, speaker, context FROM quotes WHERE {where}", params) as cur:
        quotes = await cur.fetchall()
    await db.executemany(
        "INSERT INTO quote_pairs (rowid, pairs) VALUES (?, ?)",
        [(r[0], pair_tokens(r[1], r[2], r[3])) for r in quotes],
    )
    async with db.execute(f"SELECT id, text FROM passages WHERE {where}", params) as cur:
        passages = await cur.fetchall()
    await db.executemany(
        "INSERT INTO passage_pairs (rowid, pairs) VALUES (?, ?)", [(r[0], pair_tokens(r[1])) for r in passages]
    )


async def backfill_pairs(db: Database) -> int:
    """Index word pairs for rows stored before the pair indexes existed; returns how many.

    Counting every indexed row takes seconds at 100,000 articles, so once a database is known
    to be fully indexed (every save indexes its own rows) it is not counted again."""
    state = StateRepository(db)
    if await state.get(PAIRS_INDEXED) == "1":
        return 0
    if db.dialect == "postgresql":
        count = (
            "SELECT (SELECT COUNT(*) FROM quotes WHERE search IS NULL) "
            "+ (SELECT COUNT(*) FROM passages WHERE search IS NULL)"
        )
    else:
        count = (
            "SELECT (SELECT COUNT(*) FROM quotes) - (SELECT COUNT(*) FROM quote_pairs) "
            "+ (SELECT COUNT(*) FROM passages) - (SELECT COUNT(*) FROM passage_pairs)"
        )
    async with db.execute(count) as cur:
        missing = (await cur.fetchone())[0]
    async with transaction(db):
        if missing > 0 and db.dialect == "postgresql":
            await index_pairs(db, "search IS NULL", ())
        elif missing > 0:
            await db.execute("DELETE FROM quote_pairs")
            await db.execute("DELETE FROM passage_pairs")
            await index_pairs(db, "TRUE", ())
        await state.set(PAIRS_INDEXED, "1")
    return max(missing, 0)


async def _index_vectors(db: Database, where: str, params: tuple[object, ...], stems: dict[str, str]) -> None:
    for table, columns in SEARCHED.items():
        async with db.execute(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {where}", params) as cur:
            rows = await cur.fetchall()
        await db.executemany(
            f"UPDATE {table} SET search = CAST(? AS TSVECTOR) WHERE id = ?",
            [(search_vector(*r[1:], stems=stems, kept=STEMS_KEPT_LIVE), r[0]) for r in rows],
        )
