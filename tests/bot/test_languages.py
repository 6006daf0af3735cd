"""Any language in briefs: news in Chinese, Japanese, Thai, Khmer, Myanmar, Korean, Arabic, Hebrew, Hindi,
Russian, Greek, German and Spanish (tests/support/languages.py) read as files and pages, parsed and
briefed. Words and reading time make sense, sentences end at the language's own marks, a summary of
three sentences is three of the article's sentences, keywords are words (not clauses, not stop words),
short articles are accepted, stray NULs go and binaries are still refused."""

from __future__ import annotations

import unicodedata

import pytest

from bot.analysis.engine import analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.core.cjk import CJK_CHAR, SEA_RUN, clusters
from bot.core.errors import ArticleFileError
from bot.core.stopwords import stop_words_for
from bot.core.text import fold
from bot.sources.files import parse_article_bytes
from bot.sources.pages import read_page
from tests.support.languages import ARTICLES, WORDS, sentences, text

LANGUAGES = sorted(ARTICLES)
WRITTEN_WITHOUT_SPACES = {"zh", "ja", "th", "km"}


def brief_of(lang: str, n: int = 3):
    raw = parse_article_bytes(f"A headline\n\n{text(lang)}".encode(), ".txt")
    article = parse_article(raw)
    analysis = analyse(article)
    return article, analysis, make_brief(article, analysis, n)


def nfc(items: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", s) for s in items]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sentences_end_at_the_languages_own_marks(lang):
    article, analysis, _ = brief_of(lang)
    expected = nfc(sentences(lang))
    body = [s for s in expected if s not in (article.standfirst or "")]
    assert list(analysis.sentences) == body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_three_sentence_summary_is_three_of_the_articles_sentences(lang):
    _, analysis, brief = brief_of(lang)
    assert len(brief.summary) == 3
    assert all(s in analysis.sentences for s in brief.summary)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keywords_are_words_not_clauses_nor_stop_words(lang):
    _, analysis, _ = brief_of(lang)
    kws = analysis.keywords
    assert len(kws) >= (2 if lang in {"km", "my"} else 5)
    stops = stop_words_for(analysis.sentences)
    for k in kws:
        assert not any(fold(w) in stops for w in k.split()), k
        if lang in WRITTEN_WITHOUT_SPACES:
            assert " " not in k
            assert len(CJK_CHAR.findall(k)) <= 4 or len(clusters("".join(SEA_RUN.findall(k)))) <= 12, k
        else:
            assert len(k.split()) <= 3


def test_stop_words_of_other_languages_are_no_keywords():
    for lang, common in {"de": "die der das und", "es": "de la el que", "ru": "что на в", "el": "οι θα ότι"}.items():
        _, analysis, _ = brief_of(lang)
        assert not set(common.split()) & {w for k in analysis.keywords for w in k.lower().split()}, lang


def test_korean_keywords_lose_their_particles():
    _, analysis, _ = brief_of("ko")
    assert {"정부", "정책", "지원"} <= set(analysis.keywords)
    assert not {"정부는", "정부의", "정책을"} & set(analysis.keywords)


def test_thai_keywords_are_thai_words():
    _, analysis, _ = brief_of("th")
    assert {"น้ำท่วม", "ภาคใต้", "รถไฟ"} <= set(analysis.keywords)


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_words_of_scripts_without_spaces_are_near_a_dictionarys_count(lang):
    _, _, brief = brief_of(lang)
    words = brief.words - 2  # the headline's
    assert 0.75 * WORDS[lang] <= words <= 1.25 * WORDS[lang]
    assert brief.reading_minutes == 1


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_chinese_and_japanese_words_are_characters(lang):
    _, _, brief = brief_of(lang)
    chars = len(CJK_CHAR.findall("A headline" + text(lang)))
    assert chars <= brief.words <= chars + 5
    assert brief.reading_minutes == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reading_time_of_a_long_article(lang):
    """Twenty times the article (1,000 to 3,000 words) reads in minutes, not seconds nor hours."""
    raw = parse_article_bytes(("A headline\n\n" + "\n\n".join([text(lang)] * 20)).encode(), ".txt")
    article = parse_article(raw)
    brief = make_brief(article, analyse(article))
    assert 2 <= brief.reading_minutes <= 15, brief.words


@pytest.mark.parametrize(
    "sentence",
    [
        "ฝนตกหนักทั้งคืนในกรุงเทพฯ ทำให้น้ำท่วมหลายถนน",
        "台风登陆福建，学校停课。",
        "東京都は給食費を無償化する。",
        "ផ្លូវថ្មីនឹងតភ្ជាប់ភ្នំពេញទៅសៀមរាប។",
    ],
)
def test_short_articles_are_accepted(sentence):
    raw = parse_article_bytes(f"Headline\n\n{sentence}".encode(), ".txt")
    assert parse_article(raw).body == sentence
    page = read_page(
        f"<html><head><title>Headline</title></head><body><article><p>{sentence}</p></article></body></html>"
    )
    assert sentence in page.raw.text


def test_stray_nuls_are_dropped_and_binaries_refused():
    data = f"Titular\n\n{text('es')}".encode()
    raw = parse_article_bytes(data[:40] + b"\x00" + data[40:200] + b"\x00" + data[200:], ".txt")
    assert "\x00" not in raw.text and "Gobierno de España" in raw.text
    with pytest.raises(ArticleFileError, match="binary"):
        parse_article_bytes(b"Titular\n\n" + b"\x00\x01\x02\x03" * 64, ".txt")
    with pytest.raises(ArticleFileError):
        parse_article_bytes(bytes(range(256)) * 4, ".txt")
