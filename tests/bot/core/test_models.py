"""The shared dataclasses: how they are stored (to_dict/from_dict) and shown (to_json)."""

from __future__ import annotations

import json

import pytest

from bot.core.models import (
    WORDS_PER_MINUTE,
    Analysis,
    Article,
    Author,
    Brief,
    Feed,
    Quote,
    Subscription,
)


def article(**fields) -> Article:
    base = dict(
        id="abc",
        slug="harbour-ferries",
        title="Ferries return to the harbour",
        standfirst="A service cut in 2019 is back.",
        paragraphs=("The ferry runs again.", "Commuters are pleased, said the mayor."),
        authors=(Author("Ann Lee", role="a reporter at the Gazette", title="a reporter", affiliation="the Gazette"),),
        publication="The Gazette",
        url="https://example.org/ferries",
    )
    base.update(fields)
    return Article(**base)


QUOTE = Quote("We are pleased", "the mayor", "Commuters are pleased, said the mayor.", key=True, paragraph=1)


def test_article_round_trips_through_its_stored_dict():
    original = article()
    stored = json.loads(json.dumps(original.to_dict()))  # as the library stores it
    assert Article.from_dict(stored) == original


def test_article_from_an_old_stored_analysis_with_dek_reads_it_as_the_standfirst():
    stored = article().to_dict()
    stored["dek"] = stored.pop("standfirst")
    restored = Article.from_dict(stored)
    assert restored.standfirst == "A service cut in 2019 is back."
    assert restored == article()


def test_article_from_dict_fills_in_what_older_analyses_did_not_store():
    stored = article().to_dict()
    for key in ("id", "slug", "source_path"):
        del stored[key]
    restored = Article.from_dict(stored)
    assert (restored.id, restored.slug, restored.source_path) == ("", "", None)
    assert restored.paragraphs == article().paragraphs and isinstance(restored.paragraphs, tuple)


def test_article_properties():
    a = article()
    assert a.author == a.authors[0]
    assert a.body == "The ferry runs again.\n\nCommuters are pleased, said the mayor."
    assert a.words == 10
    assert article(authors=()).author is None


def test_analysis_round_trips_and_summarises_in_article_order():
    analysis = Analysis(
        sentences=("First.", "Second.", "Third."),
        ranking=(2, 0, 1),
        quotes=(QUOTE,),
        keywords=("ferry", "harbour"),
        signature=(("ferri", 0.8), ("harbour", 0.6)),
    )
    stored = json.loads(json.dumps(analysis.to_dict()))
    assert Analysis.from_dict(stored) == analysis
    assert analysis.summary(2) == ["First.", "Third."]  # the two best, in article order
    assert analysis.summary(0) == [] and analysis.summary(-1) == []
    assert analysis.summary(10) == ["First.", "Second.", "Third."]


def test_a_quote_keeps_its_speaker_kind_and_one_stored_without_it_loads_as_not_known():
    said = Quote("We will not", "the DNC", "“We will not,” the DNC said.", speaker_kind="organisation")
    analysis = Analysis(sentences=("A.",), ranking=(0,), quotes=(said,), keywords=())
    stored = json.loads(json.dumps(analysis.to_dict()))
    assert Analysis.from_dict(stored).quotes[0].speaker_kind == "organisation"
    del stored["quotes"][0]["speaker_kind"]  # an analysis stored before speaker kinds existed
    assert Analysis.from_dict(stored).quotes[0] == Quote("We will not", "the DNC", said.context)
    assert Analysis.from_dict(stored).quotes[0].speaker_kind is None


def test_a_summary_shows_only_the_sentences_fit_to_show():
    analysis = Analysis(sentences=("Lorem", "First.", "Second."), ranking=(1, 2, 0), quotes=(), keywords=(), fit=2)
    assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis
    assert analysis.summary(3) == ["First.", "Second."] and analysis.summary(1) == ["First."]
    stored = analysis.to_dict()
    del stored["fit"]  # an analysis stored before: every sentence is fit
    assert Analysis.from_dict(stored).summary(3) == ["Lorem", "First.", "Second."]


def test_analysis_stored_without_a_signature_reads_as_an_empty_one():
    stored = {"sentences": ["A."], "ranking": [0], "quotes": [], "keywords": []}
    assert Analysis.from_dict(stored).signature == ()


def test_brief_to_json_has_the_documented_keys():
    brief = Brief(article(), summary=("The ferry runs again.",), quotes=(QUOTE,), keywords=("ferry",))
    data = brief.to_json()
    assert list(data) == [
        "id",
        "title",
        "standfirst",
        "source",
        "author",
        "authors",
        "summary",
        "quotes",
        "keywords",
        "words",
        "reading_minutes",
        "preview_only",
    ]
    assert data["standfirst"] == "A service cut in 2019 is back."
    assert data["source"] == "The Gazette"
    assert data["author"] == {"name": "Ann Lee", "role": "a reporter at the Gazette", "bio": None}
    assert data["authors"] == [data["author"]]
    assert data["quotes"] == [
        {"text": "We are pleased", "speaker": "the mayor", "speaker_kind": None, "context": QUOTE.context, "key": True}
    ]
    assert (data["words"], data["reading_minutes"], data["preview_only"]) == (10, 1, False)
    json.dumps(data)  # plain JSON


def test_brief_without_an_author_shows_empty_author_fields():
    data = Brief(article(authors=()), summary=(), quotes=(), keywords=()).to_json()
    assert data["author"] == {"name": None, "role": None, "bio": None}
    assert data["authors"] == []


def test_brief_json_lists_every_author():
    two = (Author("Ann Lee", role="a reporter"), Author("Bo Chen", bio="Bo Chen covers transport."))
    data = Brief(article(authors=two), summary=(), quotes=(), keywords=()).to_json()
    assert data["author"]["name"] == "Ann Lee"  # the first, kept for compatibility
    assert data["authors"] == [
        {"name": "Ann Lee", "role": "a reporter", "bio": None},
        {"name": "Bo Chen", "role": None, "bio": "Bo Chen covers transport."},
    ]


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (WORDS_PER_MINUTE, 1), (WORDS_PER_MINUTE + 1, 2), (3 * WORDS_PER_MINUTE, 3)],
)
def test_reading_minutes_round_up_and_are_at_least_one(words, minutes):
    brief = Brief(article(paragraphs=("w " * words,) if words else ()), summary=(), quotes=(), keywords=())
    assert brief.words == words
    assert brief.reading_minutes == minutes


def test_key_quotes_are_the_quotes_marked_key():
    plain = Quote("Fine", "Bo", "ctx")
    brief = Brief(article(), summary=(), quotes=(plain, QUOTE), keywords=())
    assert brief.key_quotes == (QUOTE,)


def test_feed_and_subscription_states():
    feed = Feed(
        1, "https://example.org/rss", "cli", 900.0, None, None, None, 0.0, 0, None, None, None, False, None, None, "now"
    )
    assert not feed.disabled
    assert Feed(**{**_fields(feed), "disabled_at": "then"}).disabled
    sub = Subscription(1, 2, ("ferry",), 3, "now", None, None)
    assert not sub.paused
    assert Subscription(1, 2, (), 3, "now", "later", "channel gone").paused


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def test_chinese_and_japanese_characters_count_as_words_and_read_at_their_own_rate():
    from bot.core.cjk import CJK_WORDS_PER_MINUTE

    text = "駅前の図書館が再開した。" * 100  # 1,100 characters, no spaces
    brief = Brief(article(paragraphs=(text,)), summary=(), quotes=(), keywords=())
    assert brief.words == 1100
    assert brief.reading_minutes == -(-1100 // CJK_WORDS_PER_MINUTE) == 3  # not 1100 / WORDS_PER_MINUTE = 5
    mixed = Brief(article(paragraphs=(text, "w " * WORDS_PER_MINUTE)), summary=(), quotes=(), keywords=())
    assert (mixed.words, mixed.reading_minutes) == (1100 + WORDS_PER_MINUTE, 4)
