"""The word-pair indexes: filled by every save, backfilled once for rows stored before them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.analysis.engine import ANALYSIS_VERSION
from bot.analysis.parsing import article_id
from bot.core.models import RawArticle
from bot.library.ingest import analyse_raw
from bot.storage.articles import ArticleRepository
from bot.storage.pairs import PAIRS_INDEXED, backfill_pairs
from bot.storage.state import StateRepository


@pytest.fixture
def backend() -> str:
    """The word-pair tables are SQLite's (tests/bot/storage/test_pgsearch.py has PostgreSQL's vectors)."""
    return "sqlite"


TEXT = (
    "The harbour board approved a new plan on Monday.\n\n"
    "“We will dredge the channel this summer,” said Ana Lopez, the board's chair.\n"
)


async def count(db, table: str) -> int:
    async with db.execute(f"SELECT COUNT(*) FROM {table}") as cur:
        return (await cur.fetchone())[0]


async def test_word_pairs_are_backfilled_once_then_never_counted_again(db):
    repo = ArticleRepository(db)
    article, analysis = analyse_raw(RawArticle(title="Harbour Plan Approved", text=TEXT))
    ident = article_id(article.content_hash)
    await repo.save(
        replace(article, id=ident, slug="harbour"), analysis, ANALYSIS_VERSION, file_size=1, file_mtime_ns=1, raw=None
    )
    assert await count(db, "quote_pairs") == await count(db, "quotes") > 0
    # As a database from before version 4 would be: rows without their word pairs.
    await db.execute("DELETE FROM quote_pairs")
    await db.execute("DELETE FROM passage_pairs")
    missing = await count(db, "quotes") + await count(db, "passages")
    assert await backfill_pairs(db) == missing
    assert await count(db, "quote_pairs") == await count(db, "quotes")
    assert await count(db, "passage_pairs") == await count(db, "passages")
    assert await StateRepository(db).get(PAIRS_INDEXED) == "1"
    # Once known complete, it is not counted again (the count is what costs at scale).
    await db.execute("DELETE FROM quote_pairs")
    assert await backfill_pairs(db) == 0
    assert await count(db, "quote_pairs") == 0


async def test_a_fresh_database_is_marked_indexed_on_its_first_check(db):
    assert await backfill_pairs(db) == 0
    assert await StateRepository(db).get(PAIRS_INDEXED) == "1"
