"""Topic scoring: term weights, article relevance, what is on the topic, the best sentence."""

from __future__ import annotations

from bot.analysis.topics import MIN_COVERAGE, best_sentence, on_topic, relevance, term_weights


def test_a_rare_term_weighs_more_than_a_common_one_and_none_is_negative():
    common, rare, everywhere = term_weights([90, 2, 100], 100)
    assert rare > common > 0
    assert everywhere > 0  # BM25's idf, never negative: a term every article holds still counts a little


def test_relevance_is_bm25_over_articles():
    weights = [1.0, 2.0]
    assert relevance([0, 0], weights, 300, 300) == 0
    assert relevance([0, 1], weights, 300, 300) > relevance([1, 0], weights, 300, 300)  # the rarer term
    assert relevance([1, 1], weights, 300, 300) > relevance([0, 1], weights, 300, 300)  # more terms
    assert relevance([3, 0], weights, 300, 300) > relevance([1, 0], weights, 300, 300)  # more sentences
    assert relevance([3, 0], weights, 300, 300) < 3 * relevance([1, 0], weights, 300, 300)  # saturating
    assert relevance([1, 0], weights, 3000, 300) < relevance([1, 0], weights, 300, 300)  # longer, diluted


def test_on_topic_needs_the_weightier_half_of_the_terms():
    weights = [0.1, 3.0]  # "china" (everywhere) and a word almost no article has
    assert not on_topic([5, 0], weights)  # only the common word
    assert on_topic([0, 1], weights)
    assert on_topic([1, 1], weights)
    assert not on_topic([0, 0], [0.0, 0.0])
    assert MIN_COVERAGE == 0.5


def test_the_best_sentence_holds_the_most_weight_then_stands_alone_then_comes_first():
    sentences = [
        "China has spoken about the sanctions at length this week.",
        "The sanctions on North Korea were tightened again by the council.",
        "the sanctions on north korea, tightened again by the council and",  # a fragment
        "The sanctions on North Korea were discussed again at the council.",
    ]
    weights = [0.2, 1.0, 1.5]  # china, sanctions, korea
    matched = {0: {0, 1}, 1: {1, 2}, 2: {1, 2}, 3: {1, 2}}
    assert best_sentence(sentences, matched, weights) == 1  # most weight; the fragment and a later one tie
    assert best_sentence(sentences, {2: {1, 2}, 3: {1, 2}}, weights) == 3  # a statement before a fragment
    assert best_sentence(sentences, {0: {0}}, weights) == 0


def test_no_sentence_holds_a_term():
    assert best_sentence(["One sentence here for the test."], {}, [1.0]) is None
    assert best_sentence(["One sentence here for the test."], {0: set()}, [1.0]) is None
    assert best_sentence(["One sentence here for the test."], {7: {0}}, [1.0]) is None  # out of range: never
