"""PostgreSQL's full-text search: the vectors the bot writes, and tsqueries built from bot.core.query's
expressions, never from what a user typed (the searches themselves: tests/bot/storage/test_search.py,
on both backends)."""

from __future__ import annotations

import pytest

from bot.core.query import parse_query, speaker_filter
from bot.storage.pgsearch import porter, search_vector, tsquery


def test_the_vector_holds_folded_stemmed_words_with_positions_and_column_weights():
    assert search_vector("Harbours reopened", "Ána Lee") == "'harbour':1A 'reopen':2A 'ana':5B 'lee':6B"
    assert search_vector("Generalities of running") == "'gener':1A 'of':2A 'run':3A"  # as FTS5's porter
    assert search_vector("the harbour, the HARBOUR") == "'the':1A,3A 'harbour':2A,4A"
    assert search_vector("") == ""


def test_queries_become_quoted_lexemes():
    assert tsquery(parse_query("Harbours").match) == "'harbour'"
    assert (
        tsquery(parse_query('"harbour will reopen" mayor').match) == "( 'harbour' <-> 'will' <-> 'reopen' ) & 'mayor'"
    )
    assert tsquery(parse_query("harb*").match) == "'harb':*"
    assert tsquery(speaker_filter("Ann Lee")) == "( 'ann':B & 'lee':B )"
    assert tsquery("speaker : (hug*)") == "( 'hug':*B )"


@pytest.mark.parametrize(
    "typed",
    [
        "harbour & !mayor",
        "a | b",
        "x:* <-> y",
        "'quoted' OR \"phrase",
        "(((",
        "\\' ; DROP TABLE quotes; --",
        "NEAR(a b)",
    ],
)
def test_hostile_input_is_searched_for_never_obeyed(typed):
    """Operators of tsquery (& | ! <-> :* and quotes) typed by a user are no syntax: only the words
    they hold reach the query, each as a quoted lexeme joined with &."""
    query = parse_query(typed)
    if query is None:
        return
    built = tsquery(query.match)
    assert built is not None
    for op in ("|", "!"):
        assert op not in built
    stripped = built.replace("( ", "").replace(" )", "").replace(" <-> ", " & ").replace(":*", "")
    for part in stripped.split(" & "):
        assert part.startswith("'") and part.endswith("'") and "'" not in part[1:-1], built


async def test_hostile_input_runs_on_the_server(db):
    from bot.storage.search import SearchRepository

    search = SearchRepository(db)
    for typed in ["harbour & !mayor", "x:* <-> y", "\\' ; DROP TABLE quotes; --", "'''"]:
        query = parse_query(typed)
        if query is not None:
            assert await search.search_quotes(query.match, None, 5, 0, query) == ([], 0)
    async with db.execute("SELECT COUNT(*) FROM quotes") as cur:
        assert (await cur.fetchone())[0] == 0


@pytest.fixture
def backend() -> str:
    return "postgresql"


def test_a_memo_of_stems_gives_the_same_vectors():
    stems: dict[str, str] = {}
    texts = ["Running runners ran to the sanctions", "The runner's sanctioned running", "Beijing pivots"]
    assert [search_vector(t, "Kim Jong", stems=stems) for t in texts] == [search_vector(t, "Kim Jong") for t in texts]
    assert stems["running"] == "run" and stems["sanctions"] == "sanction"


def test_a_memo_that_lives_long_is_bounded():
    stems: dict[str, str] = {}
    porter(["running", "jumps", "cats"], stems, kept=2)
    assert len(stems) == 3  # grown by one call's words, then ...
    assert porter(["dogs"], stems, kept=2) == ["dog"] and stems == {"dogs": "dog"}  # ... started again


async def test_a_repository_stems_each_word_once_across_its_saves(db, monkeypatch):
    """Stemming in Python was most of a PostgreSQL ingest's own CPU: the repository keeps a memo,
    so the words of an article stored again (or of any later article) are not stemmed again."""
    from dataclasses import replace

    import snowballstemmer

    from bot.analysis.engine import ANALYSIS_VERSION
    from bot.core.models import RawArticle
    from bot.library.ingest import analyse_raw
    from bot.storage import pgsearch
    from bot.storage.articles import ArticleRepository

    calls = []
    real = snowballstemmer.stemmer

    def counting(name):
        stemmer = real(name)
        stem = stemmer.stemWord
        stemmer.stemWord = lambda w: calls.append(w) or stem(w)
        return stemmer

    monkeypatch.setattr(pgsearch.snowballstemmer, "stemmer", counting)
    text = "The harbour board approved a plan.\n\n“We will dredge the channel,” said Ana Lopez, the chair.\n"
    article, analysis = analyse_raw(RawArticle(title="Harbour Plan Approved", text=text))
    repo = ArticleRepository(db)
    stemmed = []
    for ident in ("a" * 16, "b" * 16):
        calls.clear()
        stored = replace(article, id=ident, slug=f"harbour-{ident[:6]}")
        await repo.save(stored, analysis, ANALYSIS_VERSION, file_size=1, file_mtime_ns=1, raw=None)
        stemmed.append(len(calls))
    assert stemmed[0] > 5 and stemmed[1] == 0
    async with db.execute("SELECT text, speaker, context, search::text FROM quotes ORDER BY id") as cur:
        rows = await cur.fetchall()
    assert len(rows) == 2
    for text, speaker, context, vector in rows:  # the same vectors as without a memo
        assert vector == await _as_server_reads(db, search_vector(text, speaker, context))


async def _as_server_reads(db, literal: str) -> str:
    async with db.execute("SELECT CAST(? AS TSVECTOR)::text", (literal,)) as cur:
        return (await cur.fetchone())[0]
