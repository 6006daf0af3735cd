"""A topic across the library: how much each of its terms weighs, which articles speak to it, and
the one sentence of an article that speaks to it best.

A topic is a few search terms (bot.core.query: words, "phrases", prefixes*), each matched in the
articles' sentences by the full-text index. The scores are BM25's, with the article as the
document, so that nothing is fitted to any library:

- a term weighs its rarity across the live articles (BM25's idf, never negative): a word every
  article uses says little about which of them are on the topic;
- an article's relevance is BM25 over the terms, a term's frequency being how many of the
  article's sentences hold it (k1 1.2, b 0.75, length in words);
- an article is on the topic when the terms it holds make at least MIN_COVERAGE of the topic's
  whole weight (a term no article holds weighs most of all: "China zzqx" is not about China);
- its sentence that best speaks to the topic holds the largest weight of distinct terms; among
  equals, the one that stands alone as a statement (fewer of the summary's defects), then the
  earlier one. Only the article's body sentences are candidates: never its title.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bot.analysis.summary import defects

K1 = 1.2
B = 0.75
MIN_COVERAGE = 0.5


def term_weights(article_counts: Sequence[int], articles: int) -> list[float]:
    """Each term's weight from the number of articles holding it, out of ``articles``."""
    return [math.log(1.0 + (articles - n + 0.5) / (n + 0.5)) for n in article_counts]


def relevance(sentence_counts: Sequence[int], weights: Sequence[float], words: int, average_words: float) -> float:
    """BM25 of one article: ``sentence_counts[t]`` of its sentences hold term t."""
    norm = K1 * (1.0 - B + B * words / average_words) if average_words > 0 else K1
    return sum(w * c * (K1 + 1.0) / (c + norm) for c, w in zip(sentence_counts, weights, strict=True) if c)


def on_topic(sentence_counts: Sequence[int], weights: Sequence[float]) -> bool:
    """Whether the terms the article holds make at least MIN_COVERAGE of the topic's weight."""
    total = sum(weights)
    held = sum(w for c, w in zip(sentence_counts, weights, strict=True) if c)
    return total > 0 and held >= MIN_COVERAGE * total


def best_sentence(sentences: Sequence[str], matched: Mapping[int, set[int]], weights: Sequence[float]) -> int | None:
    """The index of the sentence that best speaks to the topic; ``matched`` maps a sentence's index
    to the terms (indices into ``weights``) it holds. None when no sentence holds any."""
    candidates = [i for i, terms in matched.items() if terms and 0 <= i < len(sentences)]
    if not candidates:
        return None

    def key(i: int) -> tuple[float, int, int]:
        held = sum(weights[t] for t in matched[i])
        return (-round(held, 9), defects(sentences[i]), i)

    return min(candidates, key=key)
