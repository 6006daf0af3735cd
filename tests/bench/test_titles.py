"""bench.titles: the typing it simulates, and that it measures the real index."""

import random

from rapidfuzz.distance import OSA, DamerauLevenshtein

from bench.titles import measure, misspell, queries, with_typos


def test_misspell_makes_exactly_one_edit():
    rng = random.Random(3)
    for word in ("harbour", "korea", "sanctions", "abcd"):
        for _ in range(50):
            assert OSA.distance(word, misspell(word, rng)) == 1


def test_typos_spare_short_words_and_allow_two_edits_in_long_ones():
    rng = random.Random(5)
    typed = [with_typos(["the", "sanctions"], rng) for _ in range(50)]
    assert all(t[0] == "the" for t in typed)
    distances = [DamerauLevenshtein.distance("sanctions", t[1]) for t in typed]
    assert max(distances) == 2 and distances.count(0) <= 2  # a second edit may undo the first


def test_queries_come_from_their_titles_and_are_the_same_every_run():
    titles = ["Harbour Plan Approved Today", "Night Ferry Added Again"]
    kinds = queries(titles, 20)
    assert kinds == queries(titles, 20)
    for text, i in kinds["words"]:
        assert titles[i].lower().startswith(text)
    for text, i in kinds["prefix"]:
        assert titles[i].startswith(text)


def test_measure_reports_latency_and_found_rates():
    r = measure(500, 40)
    assert r["size"] == 500 and r["vocabulary"] > 100
    for kind in ("prefix", "words", "typos"):
        assert 0 <= r[f"{kind}_p50"] <= r[f"{kind}_p99"]
    assert r["words_found"] >= 0.9 and r["typos_found"] >= 0.8
