"""Typo-tolerant title lookup for autocomplete, fast at any library size.

Scanning every title with difflib costs time in proportion to the library (seconds at 100,000
articles). This index goes through the *vocabulary* of title words instead: each typed word is
matched to title words that start with it or share enough letter trigrams with it (so a typo or
two still matches), and the titles holding a match for every typed word are scored. The cost grows
with the vocabulary, which grows far more slowly than the number of articles.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from bot.text import fold

_WORD = re.compile(r"[^\W_]+")
MIN_SIMILARITY = 0.3  # Jaccard similarity of (padded) trigram sets for a typo match
MAX_WORD_MATCHES = 60  # vocabulary words kept per typed word


class Titled(Protocol):
    @property
    def title(self) -> str: ...


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class TitleIndex:
    def __init__(self, rows: Sequence[Titled]) -> None:
        """``rows`` newest first; results keep that order among equal scores."""
        self.rows = list(rows)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows):
            for word in set(_words(row.title)):
                postings[word].append(i)
        self.postings = dict(postings)
        self.vocabulary = sorted(self.postings)
        grams: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            for gram in _trigrams(word):
                grams[gram].append(word)
        self.grams = dict(grams)

    def _matches(self, typed: str, last: bool) -> dict[str, float]:
        """Vocabulary words for one typed word, with a similarity in (0, 1]."""
        found: dict[str, float] = {}
        if last:  # the word being typed: every word it begins
            start = bisect.bisect_left(self.vocabulary, typed)
            for word in self.vocabulary[start : start + MAX_WORD_MATCHES]:
                if not word.startswith(typed):
                    break
                found[word] = 1.0 if word == typed else 0.9
        if typed in self.postings:
            found[typed] = 1.0
        if found:  # the word is spelled as in some title: no need to look for typos
            return found
        mine = _trigrams(typed)
        shared: dict[str, int] = defaultdict(int)
        for gram in mine:
            for word in self.grams.get(gram, ()):
                shared[word] += 1
        for word, n in shared.items():
            similarity = n / (len(mine) + len(_trigrams(word)) - n)
            if similarity >= MIN_SIMILARITY and similarity > found.get(word, 0.0):
                found[word] = similarity * 0.85
        best = sorted(found.items(), key=lambda kv: -kv[1])[:MAX_WORD_MATCHES]
        return dict(best)

    def search(self, query: str, limit: int = 25) -> list[int]:
        """Indices of the best-matching titles: every typed word must match a title word."""
        typed = _words(query)
        if not typed:
            return list(range(min(limit, len(self.rows))))
        scores: dict[int, float] | None = None
        for n, word in enumerate(typed):
            per_title: dict[int, float] = {}
            for match, similarity in self._matches(word, last=n == len(typed) - 1).items():
                for i in self.postings[match]:
                    if similarity > per_title.get(i, 0.0):
                        per_title[i] = similarity
            scores = per_title if scores is None else {i: s + per_title[i] for i, s in scores.items() if i in per_title}
            if not scores:
                return []
        assert scores is not None
        return sorted(scores, key=lambda i: (-scores[i], i))[:limit]
