"""The stop words of the language a text is written in, for keywords and sentence ranking.

English keeps briefbot's own list (bot.core.text.STOP_WORDS). Other languages get the lists of the
``stop-words`` package (33 languages, shipped as text files with it: nothing is downloaded). The
language is the one whose list covers most of the text's words, as jusText and others tell languages
apart; an English text, or one no list covers well, gets the English list alone."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from bot.core.text import STOP_WORDS, fold, words

# The share of a text's words a language's list must cover before the text is taken to be in it
# (function words are a third to a half of running text in the languages listed).
MIN_SHARE = 0.1
# English news has 26% to 50% of its words in STOP_WORDS (the eval files), other languages under 2%.
ENGLISH_SHARE = 0.2
# and at least this many different ones: a text uses many of its language's function words, and a
# list of names or English words that happens to hold one ("mayor", Spanish for "greater") does not.
MIN_DISTINCT = 3
_SAMPLE_WORDS = 600
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Chinese and Japanese have their own keyword path (bot.analysis.keywords); the package's English list
# is too wide (it holds "computer", "fire") to measure English by.
_LEFT_OUT = frozenset({"chinese", "japanese"})


_MODERN_GREEK = frozenset(
    fold(w)
    for w in (
        "και το τα της του των τη την τον τις τους οι ο η ένα ένας μια μία να θα σε στο στη στην στον στα στις "
        "στους για με από ότι πως που είναι ήταν έχει έχουν αυτό αυτή αυτός αυτά δεν μην ή αλλά όπως μετά πριν "
        "πιο πολύ όλα όλοι κατά προς ως"
    ).split()
)


@lru_cache(maxsize=1)
def _languages() -> dict[str, frozenset[str]]:
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    lists = {"english": STOP_WORDS}
    for name in sorted(set(LANGUAGE_MAPPING.values()) - _LEFT_OUT - {"english"}):
        # (some of the package's files hold words as '"word",': quotation marks and commas come off)
        lists[name] = frozenset(f for w in get_stop_words(name) if (f := fold(w.strip().strip('",').strip())))
    lists["greek"] |= _MODERN_GREEK  # the package's Greek list is of ancient Greek
    return lists


def language_of(texts: Iterable[str]) -> str | None:
    """The language (the package's name for it: "french", "russian") whose stop words cover most of
    the words of ``texts``, or None when none covers MIN_SHARE of them."""
    sample: list[str] = []
    for text in texts:
        sample.extend(words(text))
        if len(sample) >= _SAMPLE_WORDS:
            break
    if not sample:
        return None
    if sum(1 for w in sample if _HANGUL.match(w)) * 2 > len(sample):
        return "korean"  # Hangul is written for Korean alone (and its particles hide its stop words)
    sample = [fold(w) for w in sample]
    if sum(1 for w in sample if w in STOP_WORDS) >= ENGLISH_SHARE * len(sample):
        return "english"  # without loading the other lists: a quarter to a half of English is its stop words
    cover: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    index = _index()
    for w, c in Counter(sample).items():
        for name in index.get(w, ()):
            cover[name] += c
            distinct[name] += 1
    if not cover:
        return None
    best = max(cover, key=lambda name: (cover[name], name == "english"))
    return best if cover[best] >= MIN_SHARE * len(sample) and distinct[best] >= MIN_DISTINCT else None


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """Each stop word with the languages that list it."""
    index: dict[str, list[str]] = {}
    for name, stops in _languages().items():
        for w in stops:
            index.setdefault(w, []).append(name)
    return {w: tuple(names) for w, names in index.items()}


def stop_words_for(texts: Iterable[str]) -> frozenset[str]:
    """STOP_WORDS, with the stop words of the texts' language when it is not English."""
    language = language_of(texts)
    if language is None or language == "english":
        return STOP_WORDS
    return _union(language)


@lru_cache(maxsize=64)
def _union(language: str) -> frozenset[str]:
    return STOP_WORDS | _languages()[language]
