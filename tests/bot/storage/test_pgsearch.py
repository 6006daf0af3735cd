"""PostgreSQL's full-text search: the vectors the bot writes, and tsqueries built from bot.core.query's
expressions, never from what a user typed (the searches themselves: tests/bot/storage/test_search.py,
on both backends)."""

from __future__ import annotations

import pytest

from bot.core.query import parse_query, speaker_filter
from bot.storage.pgsearch import search_vector, tsquery


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
