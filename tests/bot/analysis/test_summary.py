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


def test_linear_centrality_matches_the_pairwise_definition():
    rng = random.Random(7)
    words = "harbour plan council ferry berth dredging cost mayor spring boat critic vote budget".split()
    for _ in range(20):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + "." for _ in range(rng.randint(2, 12))
        ]
        expected = quadratic_centrality(sentences)
        got = summarise.directed_centrality(sentences)
        assert [round(c, 9) for c in got] == [round(c, 9) for c in expected]


def test_ranking_is_the_borda_count_of_position_and_centrality():
    rng = random.Random(11)
    words = "harbour plan council ferry berth dredging cost mayor spring boat critic vote budget".split()
    for _ in range(20):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + "."
            for _ in range(rng.randint(2, 12))
        ]
        if len(set(sentences)) < len(sentences):
            continue
        cen = quadratic_centrality(sentences)
        by_centrality = sorted(range(len(sentences)), key=lambda i: (-round(cen[i], 9), i))
        borda = {i: i + by_centrality.index(i) for i in range(len(sentences))}
        got = rank_sentences(sentences)
        assert [borda[i] for i in got] == sorted(borda.values())


def test_every_index_ranked_once():
    assert sorted(rank_sentences(SENTENCES)) == list(range(len(SENTENCES)))
    assert rank_sentences([]) == []


def test_short_sentences_held_back():
    ranking = rank_sentences(SENTENCES)
    assert ranking.index(4) >= 4  # "Weather was mild."


def test_a_statement_has_no_defects():
    assert summarise.defects("The council approved the harbour plan on Monday after a long debate.") == 0
    assert summarise.defects("“We will open the berths next spring,” the mayor said on Monday.") == 0
    assert summarise.defects("Le conseil a approuvé le projet du port lundi soir.") == 0
    assert summarise.defects("肉をくわえたイヌが、橋を渡っていました。") == 0


def test_page_furniture_has_defects():
    assert summarise.defects("From the section US & Canada") >= 1  # no sentence end
    assert summarise.defects("posted on April 21, 2015, at 11:29 a.m.") >= 1  # starts lower-case
    assert summarise.defects(", there are two solutions to and they are") >= 2
    assert summarise.defects("2020-08-01 18:00:00+00 │ 200 │ 4084") >= 2  # mostly digits and symbols
    assert summarise.defects("Sign Up, it unlocks many cool features!") >= 1  # exclaims
    assert summarise.defects("What is your reaction to the new harbour plan today?") >= 1  # asks
    assert summarise.defects("The harbour plan adds new berths for ferries.", occurrences=2) == 1  # recurs
    assert summarise.defects("Weather was mild.") == 1  # too short to stand alone


def test_furniture_never_outranks_statements():
    page = [
        "From the section Europe",
        "Share this story with your friends!",
        *SENTENCES[:3],
        "Share this story with your friends!",
        *SENTENCES[3:],
        "Topics: harbour, ferries, council, plan",
    ]
    top = rank_sentences(page)[:3]
    assert all(page[i] in SENTENCES for i in top)


def test_lines_without_punctuation_are_ranked_among_themselves():
    # A page that never ends a sentence (a Chinese blog, a list) still has a summary.
    page = [
        "一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣",
        "GPS: N24 39 16.4 E121 18 19.5",
        "美樹美如其名偌大楓香樹早已呈現金黃 泛紅色彩也是愛攝人仕所喜愛造訪之地",
    ]
    assert 1 not in rank_sentences(page)[:2]


def test_signature_is_unit_length_and_topical():
    sig = dict(signature(SENTENCES, "Harbour plan approved"))
    assert abs(sum(w * w for w in sig.values()) - 1.0) < 1e-3
    assert stem("harbour") in sig and stem("plan") in sig


def test_a_sentence_the_standfirst_already_shows_is_held_back():
    standfirst = "The council approved the harbour plan on Monday after a long debate. It adds berths"
    ranking = rank_sentences(SENTENCES, shown=standfirst)
    assert ranking[0] != 0 and ranking.index(0) >= 4
    assert rank_sentences(SENTENCES)[0] == 0


def test_a_line_about_nothing_else_in_the_article_is_held_back():
    page = ["Updated on September 19 at 3:15 p.m.", *SENTENCES[:4], "Submit your letter to the editor via this form."]
    top = rank_sentences(page)[:4]
    assert 0 not in top and 5 not in top
    # Where most sentences share no word (a list of unrelated facts), sharing none is no defect.
    facts = [
        "Kangaroos can hop at more than fifty kilometres an hour.",
        "Honey found in ancient tombs is still safe to eat today.",
        "Octopuses have three hearts and blue blood in their bodies.",
    ]
    assert rank_sentences(facts) == [0, 1, 2]
