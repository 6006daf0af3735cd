"""The articles repository: saving with the raw text, loading (with its fallback), the rows that
need a new analysis, retiring."""

from __future__ import annotations

from dataclasses import replace

from bot.analysis.parsing import article_id, content_hash
from bot.core.models import RawArticle
from bot.library.ingest import analyse_raw
from bot.storage.articles import ArticleRepository, raw_from_json, raw_to_json

RAW = RawArticle(
    title="Harbour Plan Approved",
    author="Ana Lopez; Ben Smith",
    authors=("Ana Lopez", "Ben Smith"),
    url="https://example.com/harbour",
    published="2025-11-03",
    text="The harbour board approved a new plan on Monday.\n\n“We will dredge,” said Ana Lopez.",
)


async def save(repo: ArticleRepository, raw: RawArticle, version: str, *, source_path: str | None = None) -> str:
    article, analysis = analyse_raw(raw)
    ident = article_id(article.content_hash)
    stored = replace(article, id=ident, slug=f"s-{ident[:6]}", source_path=source_path)
    await repo.save(stored, analysis, version, file_size=None, file_mtime_ns=None, raw=raw)
    return ident


def test_a_raw_article_survives_its_json_form():
    assert raw_from_json(raw_to_json(RAW)) == RAW


async def test_save_keeps_the_raw_text_by_content_hash(db):
    repo = ArticleRepository(db)
    await save(repo, RAW, "v1")
    async with db.execute("SELECT raw_json FROM raw_articles WHERE content_hash = ?", (content_hash(RAW),)) as cur:
        assert raw_from_json((await cur.fetchone())[0]) == RAW


async def test_load_takes_this_version_else_the_newest_stored(db):
    repo = ArticleRepository(db)
    ident = await save(repo, RAW, "v1")
    row = await repo.by_id(ident)
    article, analysis = await repo.load(row, "v1")
    assert article.id == ident and article.slug == row.slug and analysis.quotes
    assert await repo.load(row, "v2") == (article, analysis)  # no v2 analysis: the newest stored
    await db.execute("DELETE FROM analyses")
    assert await repo.load(row, "v1") is None


async def test_articles_without_a_file_and_an_analysis_of_this_version_are_the_ones_to_analyse_again(db):
    repo = ArticleRepository(db)
    feed = await save(repo, RAW, "v1")
    await save(repo, replace(RAW, text="A file's text.", title="A File"), "v1", source_path="a.txt")
    assert await repo.unanalysed_raws("v1") == []
    [(row, raw)] = await repo.unanalysed_raws("v2")  # the file is read again from its file instead
    assert row.id == feed and raw == RAW
    await repo.retire([feed])
    assert await repo.unanalysed_raws("v2") == []


async def test_live_with_hash_finds_the_live_holder_of_some_content(db):
    repo = ArticleRepository(db)
    ident = await save(repo, RAW, "v1")
    assert (await repo.live_with_hash(content_hash(RAW))).id == ident
    await repo.retire([ident])
    assert await repo.live_with_hash(content_hash(RAW)) is None


async def test_the_articles_to_analyse_again_come_a_chunk_at_a_time_by_id(db):
    repo = ArticleRepository(db)
    ids = sorted([await save(repo, replace(RAW, text=f"Text number {i}."), "v1") for i in range(3)])
    first = await repo.unanalysed_raws("v2", limit=2)
    assert [r.id for r, _ in first] == ids[:2]
    rest = await repo.unanalysed_raws("v2", after=first[-1][0].id, limit=2)
    assert [r.id for r, _ in rest] == ids[2:]
