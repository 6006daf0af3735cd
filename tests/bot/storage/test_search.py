"""Full-text search at the repository: counts, scope, and which ranking strategy answers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.analysis.parsing import article_id
from bot.core.models import RawArticle
from bot.core.query import parse_query
from bot.library.ingest import analyse_raw
from bot.storage.articles import ArticleRepository
from bot.storage.search import SearchRepository

NAMES = [
    "Ana Lopez",
    "Ben Smith",
    "Cleo Park",
    "Dan Reed",
    "Eva Stone",
    "Finn Hale",
    "Gail Moss",
    "Hugo Lane",
    "Ida West",
]


def quote_text(i: int) -> str:
    return f"“The harbour will reopen in week {i} of the works,” said {NAMES[i]}."


@pytest.fixture
async def stored(db):
    repo = ArticleRepository(db)
    ids = []
    for n in range(3):
        text = "\n\n".join(quote_text(3 * n + i) for i in range(3)) + "\n\nThe ferry timetable changes in spring."
        raw = RawArticle(title=f"Harbour Works {n}", text=text)
        article, analysis = analyse_raw(raw)
        ident = article_id(article.content_hash)
        await repo.save(
            replace(article, id=ident, slug=ident), analysis, "v", file_size=None, file_mtime_ns=None, raw=raw
        )
        ids.append(ident)
    return ids


async def test_an_articles_quotes_in_order_with_their_total(db, stored):
    found, total = await SearchRepository(db).quotes_of(stored[0], limit=2, offset=1)
    assert total == 3 and [q.speaker for _, q in found] == ["Ben Smith", "Cleo Park"]


async def test_a_search_counts_and_pages_and_can_be_scoped_to_one_article(db, stored):
    search = SearchRepository(db)
    query = parse_query("harbour")
    found, total = await search.search_quotes(query.match, None, 4, 0, query)
    assert total == 9 and len(found) == 4
    found, total = await search.search_quotes(query.match, stored[1], 10, 0, query)
    assert total == 3 and {a for a, _ in found} == {stored[1]}


async def test_past_the_count_cap_the_count_stops_and_the_newest_are_ranked(db, stored, monkeypatch):
    monkeypatch.setattr("bot.storage.search.COUNT_CAP", 4)
    query = parse_query("harbour")
    found, total = await SearchRepository(db).search_quotes(query.match, None, 5, 0, query)
    assert total == 5 and len(found) == 5  # "more than 4"


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL has no pair index: GIN answers phrases
async def test_a_phrase_is_answered_from_the_word_pair_index(db, stored):
    search = SearchRepository(db)
    query = parse_query('"harbour will reopen"')
    assert query.pairs is not None
    _, total = await search.search_quotes(query.match, None, 5, 0, query, use_pairs=True)
    assert total == 9
    await db.execute("DELETE FROM quote_pairs")  # the pair index is what answered, not FTS5
    assert (await search.search_quotes(query.match, None, 5, 0, query, use_pairs=True))[1] == 0
    assert (await search.search_quotes(query.match, None, 5, 0, query))[1] == 9


async def test_passages_and_speakers(db, stored):
    search = SearchRepository(db)
    query = parse_query("timetable")
    passages, total = await search.search_passages(query.match, None, 5, 0, query)
    assert total == 3 and all("timetable" in text for _, text in passages)
    top = await search.speakers(None, 2)
    assert len(top) == 2 and all(n == 1 for _, n in top)
    assert await search.speakers("speaker : (hug*)", 5) == [("Hugo Lane", 1)]


async def test_sentences_matching_one_term_counted_per_article_and_found_in_some(db, stored):
    search = SearchRepository(db)
    harbour = parse_query("harbour timetable").parts
    assert harbour == ('"harbour"', '"timetable"')
    assert await search.articles_matching(harbour[0]) == {i: 3 for i in stored}
    assert await search.articles_matching(harbour[1]) == {i: 1 for i in stored}
    assert await search.articles_matching('"nowhere"') == {}
    found = await search.positions_matching(harbour[1], stored[:2])
    assert sorted(a for a, _ in found) == sorted(stored[:2])
    async with db.execute("SELECT text FROM passages WHERE article_id = ? AND position = ?", found[0]) as cur:
        assert "timetable" in (await cur.fetchone())[0]


async def test_a_quotations_speaker_kind_round_trips_through_storage(db):
    """Written by ArticleRepository.save, read back by quotes_of and search_quotes: an organisation's
    quotation stays an organisation's, a person's a person's."""
    text = (
        "“We will not stand for it,” the DNC said in a statement.\n\n"
        "“The harbour will reopen in spring,” said Ana Lopez."
    )
    raw = RawArticle(title="Harbour Statement", text=text)
    article, analysis = analyse_raw(raw)
    ident = article_id(article.content_hash)
    await ArticleRepository(db).save(
        replace(article, id=ident, slug=ident), analysis, "v", file_size=None, file_mtime_ns=None, raw=raw
    )
    search = SearchRepository(db)
    found, _ = await search.quotes_of(ident, limit=5)
    assert [(q.speaker, q.speaker_kind) for _, q in found] == [("the DNC", "organisation"), ("Ana Lopez", "person")]
    hits, _ = await search.search_quotes(parse_query("stand").match, None, limit=5)
    assert [(q.speaker, q.speaker_kind) for _, q in hits] == [("the DNC", "organisation")]
