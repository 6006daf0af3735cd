from __future__ import annotations

import math
import random

from bot.analysis import summary as summarise
from bot.analysis.summary import content_terms, rank_sentences, signature
from bot.core.stem import stem

SENTENCES = [
    "The council approved the harbour plan on Monday after a long debate.",
    "The harbour plan adds new berths for ferries and fishing boats.",
    "Critics said the plan ignores the cost of dredging the harbour.",
    "The mayor said the berths would open next spring.",
    "Weather was mild.",
    "Ferries will run every hour once the new berths open.",
]


def quadratic_centrality(sentences):
    """The textbook definition: pairwise cosine similarities, summed before and after."""
    terms = [content_terms(s) for s in sentences]
    n = len(sentences)
    df = {}
    for ts in terms:
        for t in set(ts):
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log((n + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
    vecs = [summarise._unit(summarise._tfidf(ts, idf)) for ts in terms]

    def cos(a, b):
        return sum(w * b.get(t, 0.0) for t, w in a.items())

    return [
        summarise.LAMBDA_FORWARD * sum(cos(vecs[i], vecs[j]) for j in range(i + 1, n))
        + summarise.LAMBDA_BACKWARD * sum(cos(vecs[i], vecs[j]) for j in range(i))
        for i in range(n)
    ]


def test_linear_ranking_matches_the_pairwise_definition():
    rng = random.Random(7)
    words = "harbour plan council ferry berth dredging cost mayor spring boat critic vote budget".split()
    for _ in range(20):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "." for _ in range(rng.randint(2, 12))
        ]
        cen = quadratic_centrality(sentences)
        lo, hi = min(cen), max(cen)
        scores = [
            (
                (1 - summarise.WEIGHT_POSITION) * ((c - lo) / (hi - lo) if hi > lo else 0.0)
                + summarise.WEIGHT_POSITION * math.exp(-i / summarise.POSITION_DECAY)
            )
            * summarise._fitness(s)
            for i, (s, c) in enumerate(zip(sentences, cen, strict=True))
        ]
        expected = sorted(range(len(sentences)), key=lambda i: (-round(scores[i], 9), i))
        got = rank_sentences(sentences)
        assert [round(scores[i], 9) for i in got] == [round(scores[i], 9) for i in expected]


def test_every_index_ranked_once():
    assert sorted(rank_sentences(SENTENCES)) == list(range(len(SENTENCES)))
    assert rank_sentences([]) == []


def test_short_and_enumerated_sentences_held_back():
    ranking = rank_sentences(SENTENCES)
    assert ranking.index(4) >= 4  # "Weather was mild."
    first = ["Third is the question of cost, which the council has not settled at all.", *SENTENCES]
    assert rank_sentences(first)[0] != 0


def test_signature_is_unit_length_and_topical():
    sig = dict(signature(SENTENCES, "Harbour plan approved"))
    assert abs(sum(w * w for w in sig.values()) - 1.0) < 1e-3
    assert stem("harbour") in sig and stem("plan") in sig


def test_chinese_sentences_are_compared_by_pairs_of_characters():
    assert content_terms("台风登陆福建。") == ["台风", "风登", "登陆", "陆福", "福建"]
    # the sentence that shares most with the others leads; a whole clause as one term would share nothing
    sentences = [
        "今天天气很好。",
        "台风周三在福建沿海登陆，福建多地停课。",
        "气象部门说，台风登陆后福建将有强降雨。",
        "专家提醒福建居民防范台风带来的山洪。",
    ]
    assert rank_sentences(sentences)[0] == 1


def test_stop_words_of_the_articles_language_carry_no_weight():
    french = [
        "Le gouvernement a présenté mardi un projet de loi sur le renseignement.",
        "Les députés ont adopté le projet de loi à une large majorité.",
        "Le Sénat examinera le texte dans les prochaines semaines.",
    ]
    stems = {t for t, _ in signature(french)}
    assert not stems & {"le", "de", "les", "la", "un", "une", "dans", "sur"}
    assert {"projet", "loi"} <= stems


def test_the_signature_of_a_chinese_article_is_made_of_character_pairs():
    sentences = ["台风周三在福建沿海登陆。", "气象部门说，台风登陆后福建将有强降雨。", "专家提醒福建居民防范台风。"]
    stems = [t for t, _ in signature(sentences, "台风登陆福建")]
    assert stems[:3] and {"台风", "福建"} <= set(stems)
