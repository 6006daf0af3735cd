"""Typo-tolerant title lookup for autocomplete, fast at any library size.

Scanning every title with difflib costs time in proportion to the library (seconds at 100,000
articles). This index goes through the *vocabulary* of title words instead: each typed word is
matched to title words that start with it or, when no title has it as typed, to title words within
one edit (words of up to five letters) or two edits (longer words), an edit being a letter added,
dropped, changed, or two neighbouring letters swapped ("koera" finds "korea"): the optimal string
alignment distance, computed by rapidfuzz, among the title words of a near length only. The titles
holding a match for every typed word are then scored. The cost grows with the vocabulary, which
grows far more slowly than the number of articles.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.text import fold

_WORD = re.compile(r"[^\W_]+")
MAX_WORD_MATCHES = 60  # vocabulary words kept per typed word
TYPO_DISCOUNT = 0.85  # a word matched despite a typo scores below one typed right


def edits_forgiven(word: str) -> int:
    """How many edits a typed word may be from a title word: none under three letters (too many
    short words are one edit apart), one up to five letters, two beyond."""
    return 0 if len(word) < 3 else 1 if len(word) <= 5 else 2


class Titled(Protocol):
    @property
    def title(self) -> str: ...


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class TitleIndex:
    def __init__(self, rows: Sequence[Titled]) -> None:
        """``rows`` newest first; results keep that order among equal scores."""
        self.rows = list(rows)
        postings: dict[str, list[int]] = defaultdict(list)
        self.words: list[tuple[str, ...]] = []  # each title's distinct words
        for i, row in enumerate(self.rows):
            words = tuple(dict.fromkeys(_words(row.title)))
            self.words.append(words)
            for word in words:
                postings[word].append(i)
        self.postings = dict(postings)
        self.vocabulary = sorted(self.postings)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            by_length[len(word)].append(word)
        self.by_length = dict(by_length)  # typo candidates are looked for among words of a near length

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
        edits = edits_forgiven(typed)
        for length in range(len(typed) - edits, len(typed) + edits + 1):
            words = self.by_length.get(length)
            if not words:
                continue
            for word, distance, _ in process.extract(
                typed, words, scorer=OSA.distance, score_cutoff=edits, limit=MAX_WORD_MATCHES
            ):
                found[word] = (1 - distance / max(len(word), len(typed))) * TYPO_DISCOUNT
        best = sorted(found.items(), key=lambda kv: -kv[1])[:MAX_WORD_MATCHES]
        return dict(best)

    def search(self, query: str, limit: int = 25) -> list[int]:
        """Indices of the best-matching titles: every typed word must match a title word.

        A title scores, for each typed word, its best similarity among its own words, summed over
        the typed words; ties go to the lower index (the newer title). The cost is bounded by the
        rarest typed word, not by the library: candidates come from that word's postings (and, for
        a single word, only from the first ``limit`` titles of each posting list, which is enough)
        and the other words are checked against each candidate's own few words."""
        typed = _words(query)
        if not typed:
            return list(range(min(limit, len(self.rows))))
        wanted = [self._matches(word, last=n == len(typed) - 1) for n, word in enumerate(typed)]
        if not all(wanted):
            return []
        if len(wanted) == 1:
            # The best ``limit`` titles holding a match word w are among the first ``limit`` of
            # w's postings: any later one has ``limit`` better-or-equal, newer titles before it.
            candidates: Iterable[int] = sorted({i for match in wanted[0] for i in self.postings[match][:limit]})
        else:
            rarest = min(wanted, key=lambda m: sum(len(self.postings[w]) for w in m))
            candidates = heapq.merge(*(self.postings[match] for match in rarest))
        # Candidates come newest first, so once ``limit`` titles reach the highest possible score
        # no later title can displace them.
        ceiling = sum(max(matches.values()) for matches in wanted) - 1e-9
        scores: dict[int, float] = {}
        perfect = 0
        for i in candidates:
            if i in scores:
                continue
            words = self.words[i]
            total = 0.0
            for matches in wanted:
                best = max((matches.get(w, 0.0) for w in words), default=0.0)
                if best == 0.0:
                    break
                total += best
            else:
                scores[i] = total
                if total >= ceiling:
                    perfect += 1
                    if perfect >= limit:
                        break
        return sorted(scores, key=lambda i: (-scores[i], i))[:limit]
