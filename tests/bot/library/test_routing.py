"""Subscription rules: keyword filters, the delivery nonce, and which Discord answers are final."""

from __future__ import annotations

from bot.core.models import Analysis, RawArticle
from bot.library.ingest import analyse_raw
from bot.library.routing import (
    MAX_KEYWORD_CHARS,
    MAX_KEYWORDS,
    delivery_nonce,
    matches,
    parse_keywords,
    permanent_failure,
)

ARTICLE, ANALYSIS = analyse_raw(
    RawArticle(
        title="Harbour Plan Approved",
        standfirst="A vote at the Café du Port",
        text="The harbour board approved a new plan on Monday. Dredging starts in spring.",
    )
)


def test_keywords_are_trimmed_deduplicated_and_bounded():
    assert parse_keywords(" tosca ,  Ballet,TOSCA, ,  opera  house ") == ["tosca", "Ballet", "opera house"]
    assert parse_keywords(None) == [] and parse_keywords("") == []
    many = parse_keywords(",".join(f"k{i}" for i in range(MAX_KEYWORDS + 5)))
    assert len(many) == MAX_KEYWORDS
    assert parse_keywords("x" * 200) == ["x" * MAX_KEYWORD_CHARS]


def test_no_keywords_matches_everything():
    assert matches(ARTICLE, ANALYSIS, []) and matches(ARTICLE, ANALYSIS, ["  "])


def test_keywords_match_whole_words_in_title_standfirst_and_body_ignoring_case_and_accents():
    assert matches(ARTICLE, ANALYSIS, ["HARBOUR"])
    assert matches(ARTICLE, ANALYSIS, ["cafe du port"])  # the standfirst, accents folded
    assert matches(ARTICLE, ANALYSIS, ["opera", "dredging"])  # any keyword
    assert not matches(ARTICLE, ANALYSIS, ["harb"])  # not part of a word
    assert not matches(ARTICLE, ANALYSIS, ["opera"])


def test_key_phrases_count_too():
    with_phrase = Analysis(sentences=(), ranking=(), quotes=(), keywords=("maritime policy",))
    assert matches(ARTICLE, with_phrase, ["maritime"])


def test_the_nonce_is_stable_per_channel_and_article_and_fits_discord():
    nonce = delivery_nonce(10, "abc")
    assert nonce == delivery_nonce(10, "abc") and nonce.startswith("bb") and len(nonce) == 25
    assert nonce != delivery_nonce(11, "abc") and nonce != delivery_nonce(10, "abd")


def test_which_answers_are_final():
    assert "permissions" in permanent_failure(403)
    assert permanent_failure(403, 160005) == "the thread is locked: only its moderators may post in it"
    assert "permissions" in permanent_failure(403, 50013)
    assert "no longer exists" in permanent_failure(404)
    assert permanent_failure(400) == "Discord refused the post (400)"
    for status in (401, 429, 500, 502, 200):
        assert permanent_failure(status) is None
