"""Briefs across articles: a topic across the library, and two articles compared."""

from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.library.topics import NOTHING_TO_SEARCH, SAME_ARTICLE, newest_first

PIVOT = "warning-is-china-pivoting-back-to-north-korea"  # 2016
CALCULUS = "north-koreas-defiance-may-reshape-chinas-strategic-calculus"  # 2013

OPERA = (
    "Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca on Friday. "
    "Singers and critics cheered the production for a long time. The season runs until June.\n"
)
DATED = (
    "---\ntitle: Sanctions Talks Resume\npublished: 2031-05-01\nurl: https://news.example/talks\n---\n\n"
    "Diplomats said on Monday that talks on sanctions against North Korea would resume in Geneva. "
    "China is expected to send a delegation to the talks on sanctions.\n"
)


async def test_a_topic_across_the_seeds_cites_both_each_with_a_sentence_of_its_body(library):
    topics = library.topics
    brief = await topics.brief(topics.check("China North Korea sanctions"))
    assert {e.article.slug for e in brief.entries} == {PIVOT, CALCULUS}
    assert brief.matched == 2
    for entry in brief.entries:
        _, analysis = await library.reading.load(entry.article)
        assert entry.sentence in analysis.sentences  # the article's own sentence, from its body
        assert entry.sentence != entry.article.title
    assert [e.article.id for e in brief.entries] == [r.id for r in library.articles]  # newest first


async def test_the_sentence_chosen_speaks_to_the_topic(library):
    brief = await library.topics.brief(library.topics.check("THAAD"))
    [entry] = brief.entries
    assert entry.article.slug == PIVOT and "THAAD" in entry.sentence
    assert "\ue000THAAD\ue001" in entry.marked
    brief = await library.topics.brief(library.topics.check('"no connection"'))
    assert ["Daniel Russel" in e.sentence for e in brief.entries] == [True]


async def test_newest_first_by_publication_date_then_ingestion(library, articles_dir):
    (articles_dir / "dated.md").write_text(DATED)
    await library.sync()
    brief = await library.topics.brief(library.topics.check("China North Korea sanctions"))
    assert brief.entries[0].article.title == "Sanctions Talks Resume"
    assert newest_first(reversed(library.articles)) == list(library.articles)


async def test_only_articles_on_the_topic_and_at_most_the_limit(library, articles_dir):
    (articles_dir / "opera.txt").write_text(OPERA)
    await library.sync()
    topics = library.topics
    assert (await topics.brief(topics.check("opera"))).matched == 1
    brief = await topics.brief(topics.check("China zzqx"))  # the rare term weighs most: not about China
    assert brief.entries == () and brief.matched == 0
    brief = await topics.brief(topics.check("China North Korea sanctions"), limit=1)
    assert len(brief.entries) == 1 and brief.matched == 2


@pytest.mark.parametrize("hostile", ["sanctions OR opera", "NEAR(china korea, 3)", "text:china", "china*"])
async def test_search_syntax_is_searched_for_never_obeyed(library, hostile):
    brief = await library.topics.brief(library.topics.check(hostile))
    assert all(e.sentence for e in brief.entries)  # no FTS5 error; OR is a word, not an operator


@pytest.mark.parametrize("empty", [None, "", "   ", "***", '""', "(((", "😀"])
async def test_a_topic_with_nothing_to_search_for_is_a_user_error(library, empty):
    with pytest.raises(UserError, match="nothing to search for"):
        library.topics.check(empty)
    assert NOTHING_TO_SEARCH.startswith("There is nothing")


async def test_compare_the_seeds_newer_first_in_their_own_sentences(library):
    pivot, calculus = (library.catalogue.resolve(s) for s in (PIVOT, CALCULUS))
    comparison = await library.topics.compare(calculus, pivot)
    assert comparison.first.article == library.articles[0]  # the newer, whichever was given first
    for side in (comparison.first, comparison.second):
        _, analysis = await library.reading.load(side.article)
        assert 1 <= len(side.points) <= 3
        assert all(p in analysis.sentences for p in side.points)
        assert [analysis.sentences.index(p) for p in side.points] == sorted(
            analysis.sentences.index(p) for p in side.points
        )


async def test_an_article_compared_with_itself_is_a_user_error(library):
    row = library.articles[0]
    with pytest.raises(UserError, match=SAME_ARTICLE):
        await library.topics.compare(row, row)
