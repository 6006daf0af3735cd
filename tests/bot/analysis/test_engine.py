from __future__ import annotations

import json

from bot.analysis.engine import SUMMARY_LENGTHS, analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.core.models import RawArticle
from bot.core.text import split_sentences
from bot.sources.files import read_article_file
from tests.conftest import SEED_000, SEED_001

BRIEF_KEYS = {
    "id",
    "title",
    "standfirst",
    "source",
    "author",
    "summary",
    "quotes",
    "keywords",
    "words",
    "reading_minutes",
    "preview_only",
}


def brief_of(path, n=3):
    article = parse_article(read_article_file(path))
    return make_brief(article, analyse(article), n)


def test_brief_json_has_exactly_the_documented_keys():
    out = brief_of(SEED_000).to_json()
    assert set(out) == BRIEF_KEYS
    assert set(out["author"]) == {"name", "role", "bio"}
    assert all(set(q) == {"text", "speaker", "context", "key"} for q in out["quotes"])
    json.dumps(out)


def test_seed_000_brief():
    out = brief_of(SEED_000).to_json()
    assert out["author"]["name"] == "Joel Wuthnow"
    assert out["author"]["role"].startswith("Research Fellow")
    assert out["author"]["bio"].startswith("Joel Wuthnow is")
    quote = next(q for q in out["quotes"] if q["text"] == "no connection")
    assert quote["speaker"] == "Daniel Russel" and quote["key"]
    assert "“no connection”" in quote["context"]
    assert out["source"] is None and out["preview_only"] is False
    assert 5 <= len(out["keywords"]) <= 8


def test_seed_001_brief():
    out = brief_of(SEED_001).to_json()
    assert out["source"] == "World Politics Review"
    assert out["author"]["name"] is None
    assert out["preview_only"] is True
    text = json.dumps(out)
    for phrase in ("Keep reading", "Subscribe", "subscriber", "Log in", "ad-free", "More World"):
        assert phrase not in text


def test_summary_sentences_come_from_body_in_article_order():
    for seed in (SEED_000, SEED_001):
        article = parse_article(read_article_file(seed))
        body_sentences = [s for p in article.paragraphs for s in split_sentences(p)]
        for n in (1, 2, 3, 5):
            summary = list(make_brief(article, analyse(article), n).summary)
            assert len(summary) == min(n, len(body_sentences))
            positions = [body_sentences.index(s) for s in summary]
            assert positions == sorted(positions)
            assert article.title not in summary and article.standfirst not in summary


def test_summary_lengths():
    assert SUMMARY_LENGTHS == {"short": 2, "medium": 3, "long": 5}


def test_keywords_have_no_stop_words_or_boilerplate():
    for seed in (SEED_000, SEED_001):
        kws = brief_of(seed).keywords
        assert 5 <= len(kws) <= 8
        for k in kws:
            assert k.lower() not in {"the", "and", "subscribe", "subscription", "articles"}


def test_reading_time():
    text = "\n\n".join(["word " * 230] * 3)
    article = parse_article(RawArticle(text=text, title="T"))
    assert make_brief(article, analyse(article)).reading_minutes == 3


def test_key_quotes_at_most_three_and_attributed_first():
    paras = [
        f"“Point number {i} matters a great deal to the whole city,” said Person Number{i} Smith." for i in range(5)
    ]
    paras.append("“An unattributed remark that goes on for a while here.”")
    article = parse_article(RawArticle(text="\n\n".join(paras), title="Quotes"))
    quotes = analyse(article).quotes
    assert len(quotes) == 6
    key = [q for q in quotes if q.key]
    assert len(key) == 3 and all(q.speaker for q in key)
