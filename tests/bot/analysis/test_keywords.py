"""Key phrases: 5 to 8 (fewer only for a short text), most important first, no stop words, no two
sharing a word, names as written and common words in lower case."""

from __future__ import annotations

from bot.analysis.keywords import MAX_KEYWORDS, keywords
from bot.analysis.parsing import parse_article
from bot.core.stopwords import stop_words_for
from bot.core.text import STOP_WORDS, fold, split_sentences
from bot.sources.files import read_article_file
from tests.conftest import SEED_000
from tests.support.languages import sentences

HARBOUR = [
    "The harbour board approved a new harbour plan on Monday.",
    "Harbour board members said the harbour plan would add a ferry terminal.",
    "Maria Lindqvist, the board chair, said the ferry terminal opens in 2027.",
    "Maria Lindqvist said residents were divided over the harbour plan.",
]


def sentences_of(path) -> list[str]:
    article = parse_article(read_article_file(path))
    return [s for p in article.paragraphs for s in split_sentences(p)]


def test_keywords_of_a_seed():
    kws = keywords(sentences_of(SEED_000))
    assert kws[:4] == ["Beijing", "China", "North Korea", "U.S."]
    assert "sanctions" in kws and 5 <= len(kws) <= MAX_KEYWORDS


def test_the_most_frequent_phrases_first_names_as_written_the_rest_lower_case():
    kws = keywords(HARBOUR)
    assert kws[:3] == ["harbour", "board", "plan"]
    assert "ferry terminal" in kws  # a repeated phrase of two words is one keyword
    assert "Maria Lindqvist" in kws  # always capitalised: a name keeps its capitals
    assert "Harbour" not in kws


def test_no_stop_words_no_numbers_and_no_two_keywords_share_a_word():
    kws = keywords(HARBOUR)
    words = [w for k in kws for w in fold(k).split()]
    assert len(words) == len(set(words))
    assert not any(w in STOP_WORDS for w in words)
    assert "2027" not in words


def test_limit_and_empty_text():
    assert keywords(HARBOUR, limit=2) == ["harbour", "board"]
    assert keywords([]) == []
    assert keywords(["Ferries."]) == ["Ferries"]  # only ever seen capitalised: kept as written


LIBRARY_JA = [
    "駅前の図書館が月曜日に再開した。",
    "図書館は一年かけて改修された。",
    "館長は、図書館の新しい閲覧室を市民に紹介した。",
    "閲覧室にはパソコンが二十台置かれ、パソコンは無料で使える。",
]
LIBRARY_ZH = [
    "车站旁的图书馆星期一重新开放。",
    "图书馆经过一年的改建，新的阅览室很受市民欢迎。",
    "馆长说，阅览室每天开放到晚上九点。",
    "市民可以在阅览室免费使用电脑。",
]


def test_chinese_and_japanese_keywords_are_words_not_clauses():
    ja = keywords(LIBRARY_JA)
    assert ja[:3] == ["図書館", "パソコン", "閲覧室"]  # the most frequent first, the longer at equal counts
    zh = keywords(LIBRARY_ZH)
    assert zh[:4] == ["阅览室", "图书馆", "开放", "市民"]
    for kws in (ja, zh):
        assert all(len(k) <= 5 for k in kws)
        assert not any(a in b for a in kws for b in kws if a != b)  # none inside another
    assert "的图书" not in zh and not any(k[0] in "的是在" for k in zh)


def test_keywords_of_other_languages_have_none_of_their_stop_words():
    for lang in ("de", "es", "ru", "el", "ar", "hi", "he"):
        kws = keywords(sentences(lang))
        stops = stop_words_for(sentences(lang))
        assert len(kws) >= 5, lang
        assert not [k for k in kws if any(fold(w) in stops for w in k.split())], lang


def test_hindi_keywords_are_whole_words():
    kws = keywords(sentences("hi"))
    tokens = {w for s in sentences("hi") for w in s.replace("।", " ").replace("?", " ").split()}
    assert "योजना" in kws and "किसानों" in kws
    assert set(kws) <= tokens  # no word cut at its vowel signs ("जन", "कर")


def test_thai_keywords_are_words_found_without_a_dictionary():
    kws = keywords(sentences("th"))
    assert {"น้ำท่วม", "ภาคใต้", "รถไฟ", "จังหวัด"} <= set(kws)
    assert not any(k.startswith(("และ", "ที่", "ใน")) for k in kws)


def test_korean_keywords_without_particles():
    kws = keywords(sentences("ko"))
    assert kws[:3] == ["정부", "정책", "지원"]


def test_french_elided_stop_words_are_stop_words():
    french = [
        "Le projet de loi sur le renseignement a été adopté d’une large majorité.",
        "Selon l’un des rapporteurs, le projet de loi encadre d’un texte unique la surveillance.",
        "Le Conseil constitutionnel examinera d’une manière approfondie le projet de loi.",
    ]
    kws = keywords(french)
    assert not {"d’une", "d’un", "l’un"} & set(kws)
    assert "projet de loi" in kws or "projet" in kws
