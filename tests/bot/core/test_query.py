"""Safety of the query builder, and search behaviour through the library."""

from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.core.query import MAX_TERMS, combine, parse_query, speaker_filter
from bot.library.service import Library

HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "OR",
    "AND",
    "-",
    ":",
    "^",
    "(",
    ")",
    '"unbalanced',
    "a OR b",
    "NEAR(a b, 2)",
    "speaker:Russel",
    "-sanctions",
    "^start",
    "(x AND y)",
    "text : x",
    '""',
    "x" * 1000,
    "😀🚀",
    "مرحبا بالعالم",
    "!!!...???",
    "",
    "   ",
    "\x00\x01",
    "a*b*c",
    "***",
    "'; DROP TABLE quotes; --",
    "\\",
    "%_",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_query_never_passes_syntax_through(text):
    query = parse_query(text)
    if query is None:
        return
    # Every term is a quoted string (optionally a prefix), joined by AND: nothing else.
    for term in query.match.split(" AND "):
        assert term.startswith('"') and (term.endswith('"') or term.endswith('"*'))
        assert '"' not in term.strip('"*').replace('" "', "")


def test_words_phrases_prefixes():
    assert parse_query("sanction talks").match == '"sanction" AND "talks"'
    assert parse_query('"no connection"').match == '"no connection"'
    assert parse_query("sanc*").match == '"sanc"*'
    assert parse_query("NEAR(a b)").match == '"NEAR" AND "a" AND "b"'
    assert parse_query("only!!! punctuation???").match == '"only" AND "punctuation"'
    assert parse_query("😀") is None and parse_query("") is None and parse_query("!!!") is None


def test_too_many_terms_are_cut_and_said():
    q = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert q.truncated and len(q.terms) == MAX_TERMS


def test_speaker_filter_and_combine():
    assert speaker_filter("Daniel Russel") == 'speaker : ("Daniel" AND "Russel")'
    assert speaker_filter("!!!") is None
    assert combine('"a"', None, 'speaker : ("b")') == '("a") AND (speaker : ("b"))'
    assert combine(None, None) is None


ARTICLES = {
    "sanctions.txt": (
        "Sanctions Debate\n\n“New sanctions will not work,” said Daniel Russel, a senior diplomat.\n\n"
        "“The sanctioning of banks is a different matter,” Mary Jones said.\n"
    ),
    "cafe.md": "---\ntitle: Café Society\npublished: 2020-01-01\n---\n“The café will reopen soon,” said Zoë Martin.\n",
    "newer.md": (
        "---\ntitle: Newer Café\npublished: 2024-01-01\n---\n“The café will reopen soon,” said Zoë Martin.\n\n"
        "The mayor mentioned the harbour only in passing.\n"
    ),
}


@pytest.fixture
async def library(db, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    lib = Library(db, folder)
    await lib.sync()
    return lib


async def test_stemming_case_and_accents(library):
    results = await library.reading.search_quotes("SANCTION")
    assert results.total == 2  # sanctions, sanctioning
    assert (await library.reading.search_quotes("cafe zoe")).total == 2


async def test_phrase_and_prefix(library):
    assert (await library.reading.search_quotes('"will not work"')).total == 1
    assert (await library.reading.search_quotes('"work will not"')).total == 0
    assert (await library.reading.search_quotes("reop*")).total == 2


async def test_equal_scores_newest_first(library):
    results = await library.reading.search_quotes("reopen")
    assert [row.title for row, _ in results.hits] == ["Newer Café", "Café Society"]


async def test_highlighting_marks_matched_words(library):
    hit = (await library.reading.search_quotes("sanctions")).hits[0][1]
    assert "\ue000" in hit.highlighted and "\ue001" in hit.highlighted


async def test_speaker_filter(library):
    results = await library.reading.search_quotes(None, speaker="Russel")
    assert results.total == 1 and results.hits[0][1].quote.speaker == "Daniel Russel"
    assert (await library.reading.search_quotes("sanctions", speaker="Jones")).total == 1


async def test_article_filter(library):
    row = library.catalogue.resolve("cafe-society")
    results = await library.reading.search_quotes("reopen", article=row)
    assert results.total == 1 and results.hits[0][0].id == row.id


async def test_passages_when_no_quotation_matches(library):
    results = await library.reading.search_quotes("harbour")
    assert results.total == 0 and results.passage_total == 1
    assert "harbour" in results.passages[0][1]


async def test_index_follows_edits_and_retirement(library):
    folder = library.folder
    (folder / "sanctions.txt").write_text("Sanctions Debate\n\n“Tariffs are the answer,” said Daniel Russel.\n")
    await library.sync()
    assert (await library.reading.search_quotes("sanctions")).total == 0
    assert (await library.reading.search_quotes("tariffs")).total == 1
    (folder / "sanctions.txt").unlink()
    await library.sync()
    assert (await library.reading.search_quotes("tariffs")).total == 0


@pytest.mark.parametrize("text", HOSTILE)
async def test_any_input_is_safe_through_the_library(library, text):
    try:
        results = await library.reading.search_quotes(text)
    except UserError as exc:
        assert exc.message
    else:
        assert results.total >= 0


async def test_speakers_for_autocomplete(library):
    assert (await library.reading.speakers(""))[0] == ("Zoë Martin", 2)
    assert [n for n, _ in await library.reading.speakers("rus")] == ["Daniel Russel"]
    assert [n for n, _ in await library.reading.speakers("zoe")] == ["Zoë Martin"]
    assert await library.reading.speakers("😀") == (await library.reading.speakers(""))


async def test_very_common_words_are_capped_and_still_ranked(db, tmp_path):
    from bot.storage.search import COUNT_CAP

    folder = tmp_path / "many"
    folder.mkdir()
    paras = [f"“The budget {'budget ' * (i % 3)}matters for item {i},” said Mary Jones." for i in range(COUNT_CAP + 50)]
    (folder / "many.txt").write_text("Budget Day\n\n" + "\n\n".join(paras) + "\n")
    lib = Library(db, folder)
    await lib.sync()
    results = await lib.reading.search_quotes("budget", limit=5)
    assert results.total == COUNT_CAP + 1  # "1,000+"
    assert len(results.hits) == 5
    # Term frequency orders the window: the quotes saying "budget" three times come first.
    assert all(hit.quote.text.count("budget") == 3 for _, hit in results.hits)
    phrase = await lib.reading.search_quotes('"budget matters"', limit=5)
    assert phrase.total > 0 and all("budget matters" in hit.quote.text for _, hit in phrase.hits)


def test_each_term_on_its_own_is_a_quoted_fts5_expression():
    query = parse_query('china "north korea" sanc* OR NEAR(')
    assert query.parts == ('"china"', '"north korea"', '"sanc"*', '"OR"', '"NEAR"')
    assert query.match == " AND ".join(query.parts)
