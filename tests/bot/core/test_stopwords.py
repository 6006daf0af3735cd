"""The stop words of a text's language: English keeps briefbot's list, other languages get the stop-words
package's, the language being the one whose list covers most of the text."""

from __future__ import annotations

import pytest

from bot.core.stopwords import language_of, stop_words_for
from bot.core.text import STOP_WORDS, fold
from tests.support.languages import ARTICLES, sentences


@pytest.mark.parametrize(
    ("lang", "language"),
    [
        ("ar", "arabic"),
        ("he", "hebrew"),
        ("hi", "hindi"),
        ("ru", "russian"),
        ("el", "greek"),
        ("de", "german"),
        ("es", "spanish"),
        ("ko", "korean"),
    ],
)
def test_language_of(lang, language):
    assert language_of(sentences(lang)) == language


def test_english_keeps_briefbots_own_list():
    text = ["The harbour board approved a new plan on Monday after a long debate about the cost of it."]
    assert language_of(text) == "english"
    assert stop_words_for(text) is STOP_WORDS


def test_no_language_when_no_list_covers_the_text():
    # English content words only, one of them a Spanish stop word ("mayor"): no language, the English list
    assert language_of(["harbour plan council ferry berth mayor mayor spring boat critic vote budget"]) is None
    assert stop_words_for(["台风登陆福建"]) is STOP_WORDS
    assert language_of([]) is None


def test_the_lists_are_clean_and_of_the_modern_language():
    hebrew = stop_words_for(sentences("he"))
    assert "של" in hebrew and not any('"' in w or "," in w for w in hebrew)
    greek = stop_words_for(sentences("el"))
    assert {fold(w) for w in ("θα", "της", "για", "και")} <= greek
    assert stop_words_for(sentences("de")) >= STOP_WORDS


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_every_article_is_told_apart_from_english(lang):
    assert language_of(sentences(lang)) != "english"


def test_english_is_told_without_loading_the_other_lists(monkeypatch):
    import bot.core.stopwords as module

    def refuse():
        raise AssertionError("the package's lists were loaded for an English text")

    monkeypatch.setattr(module, "_index", refuse)
    assert language_of(["The council said on Monday that it would approve the plan for the harbour."]) == "english"
