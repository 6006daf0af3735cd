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


def test_a_sentence_whose_subject_is_a_function_word_leans_back():
    assert summarise.leans_back("He said the berths would open next spring.")
    assert summarise.leans_back("Third is the cost of dredging the harbour every year.")
    assert summarise.leans_back("But it ignores the cost of dredging the harbour.")
    assert not summarise.leans_back("The council approved the harbour plan on Monday.")
    assert not summarise.leans_back("Ferries will run every hour once the new berths open.")
    # an opening phrase set off by a comma: the clause after it holds the subject
    assert not summarise.leans_back("For the harbour board, the plan is a relief after years of delays.")
    assert summarise.leans_back("For the harbour board, it is a relief after years of delays.")
    # in another language, by that language's stop words
    from bot.core.stopwords import stop_words_for

    french = ["Il a présenté mardi un projet de loi sur le renseignement.", "Le Sénat examinera le texte."]
    stops = stop_words_for(french * 3)
    assert summarise.leans_back(french[0], stops) and not summarise.leans_back(french[1], stops)


def test_a_brief_never_opens_on_a_sentence_that_leans_back():
    # Whatever its length, a summary's first sentence (in article order) stands on its own.
    page = [
        "The council approved the harbour plan on Monday after a long debate.",
        "It will add new berths for ferries and fishing boats in the harbour.",
        "They said the harbour plan ignores the cost of dredging the berths.",
        "The mayor said the ferry berths would open next spring.",
        "Ferries will run every hour once the new harbour berths open.",
    ]
    leaning = [summarise.leans_back(s) for s in page]
    assert leaning == [False, True, True, False, False]
    for opens in ([True, False, False, True, False], [True] * 5):
        order, _ = summarise.rank_and_fit(page, opens_paragraph=opens)
        for n in range(1, len(page) + 1):
            assert not leaning[min(order[:n])], (n, order)
    # the rule itself: a leaning sentence waits until a sentence before it is in
    assert summarise._openers_first([1, 2, 0, 3], [False, True, False, False]) == [2, 0, 1, 3]
    assert summarise._openers_first([0, 1], [True, False]) == [1, 0]


def test_an_excerpt_that_starts_in_mid_argument_does_not_open_the_brief():
    # The first sentence leans back and the next takes up none of its words: the text is an excerpt.
    excerpt = [
        "Third is the island's continuing preference for calm over reform.",
        "Like many observers, the government knows the cycle of threats and offers has changed little.",
        "Yet for the island, this outcome beats the collapse a harder line could bring.",
        "That collapse would bring refugees across the border and cost the government a buffer.",
    ]
    assert rank_sentences(excerpt)[0] == 1
    # A lead that opens on function words but is taken up by the next sentence stays the lead.
    lead = [
        "A new species of harbour seal has been found off the northern coast.",
        "The seal was spotted by divers near the harbour wall last spring.",
        "Scientists said the find surprised them after years of surveys.",
    ]
    assert summarise.leans_back(lead[0]) and rank_sentences(lead)[0] == 0


def test_only_sentences_with_the_articles_fewest_defects_are_fit_to_show():
    page = ["Lorem", *SENTENCES[:2]]
    ranking, fit = summarise.rank_and_fit(page)
    assert fit == 2 and 0 not in ranking[:fit]
    # every line with the same defects: all of them are fit
    labels = ["Test Case 1", "Test Case 2"]
    assert summarise.rank_and_fit(labels)[1] == 2
