"""Extractive summaries: rank an article's own sentences, show the best in article order.

A sentence's score mixes three signals, each in [0, 1]:
- centrality: cosine similarity of its content-word vector (TF-IDF over the article's sentences)
  to the article's centroid; what the article is mostly about;
- position: earlier is better, decaying slowly, the strong signal on news;
- coverage: how many of the article's most frequent content words it holds.
Sentences that cannot stand alone (very short, questions, dangling openers) are held back.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.text import STOP_WORDS, fold, words

WEIGHT_CENTRALITY = 0.45
WEIGHT_POSITION = 0.40
WEIGHT_COVERAGE = 0.15
MIN_WORDS = 6
MAX_WORDS = 80

# Openers that lean on a previous sentence ("Third is ...", "But it ...") read badly out of context.
_DANGLING = re.compile(
    r"^(?:but|and|or|so|yet|also|this|that|these|those|it|he|she|they|such|first|second|third|fourth|fifth|"
    r"finally|lastly|moreover|furthermore|however|additionally|meanwhile|still|instead|then)\b",
    re.I,
)


def stem(word: str) -> str:
    """A light English stemmer: enough to conflate sanction/sanctions, talk/talked/talking."""
    w = fold(word)
    for suffix, min_len in (
        ("ational", 8),
        ("ization", 8),
        ("ingly", 7),
        ("ments", 7),
        ("ment", 6),
        ("ness", 6),
        ("ings", 6),
        ("ing", 5),
        ("edly", 6),
        ("ies", 5),
        ("ied", 5),
        ("ed", 4),
        ("es", 5),
        ("ly", 5),
        ("s", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len:
            w = w[: -len(suffix)]
            if suffix in {"ies", "ied"}:
                w += "y"
            break
    return w


def content_terms(sentence: str) -> list[str]:
    return [stem(w) for w in words(sentence) if fold(w) not in STOP_WORDS and not w.isdigit() and len(w) > 1]


def rank_sentences(sentences: Sequence[str]) -> list[int]:
    """Indices of ``sentences``, best summary candidates first; every index appears once."""
    n = len(sentences)
    if n == 0:
        return []
    terms = [content_terms(s) for s in sentences]
    df: Counter[str] = Counter()
    for ts in terms:
        df.update(set(ts))
    idf = {t: math.log((n + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
    vectors = [_tfidf(ts, idf) for ts in terms]
    centroid: Counter[str] = Counter()
    for v in vectors:
        centroid.update(v)
    top_terms = {t for t, _ in Counter({t: df[t] for t in df if df[t] > 1}).most_common(12)}

    scores: list[float] = []
    for i, (s, ts, v) in enumerate(zip(sentences, terms, vectors, strict=True)):
        centrality = _cosine(v, centroid)
        position = 1.0 / math.sqrt(1.0 + i)
        coverage = len(top_terms.intersection(ts)) / len(top_terms) if top_terms else 0.0
        score = WEIGHT_CENTRALITY * centrality + WEIGHT_POSITION * position + WEIGHT_COVERAGE * coverage
        score *= _fitness(s)
        scores.append(score)
    return sorted(range(n), key=lambda i: (-scores[i], i))


def _fitness(sentence: str) -> float:
    n_words = len(sentence.split())
    factor = 1.0
    if n_words < MIN_WORDS:
        factor *= 0.3
    elif n_words > MAX_WORDS:
        factor *= 0.6
    if sentence.rstrip("”\"’' ").endswith("?"):
        factor *= 0.5
    if _DANGLING.match(sentence):
        factor *= 0.8
    return factor


def _tfidf(terms: list[str], idf: dict[str, float]) -> dict[str, float]:
    tf = Counter(terms)
    return {t: (1.0 + math.log(c)) * idf[t] for t, c in tf.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0
