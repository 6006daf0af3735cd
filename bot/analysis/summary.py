"""Extractive summaries: rank an article's own sentences, show the best in article order.

The ranking is directed centrality (Zheng & Lapata 2019, "PacSum") over TF-IDF vectors, with a
gentle position prior:

- centrality(i) = λ_fwd · Σ_{j>i} sim(i, j) + λ_back · Σ_{j<i} sim(i, j): a sentence matters when
  what follows elaborates on it, and matters less when it repeats what came before. With cosine
  similarity on unit vectors both sums are dot products with running sums of the vectors, so the
  cost is linear in the article's length, not quadratic;
- position: exp(-i / POSITION_DECAY), the lead's strength on news without burying a thesis that
  comes late in an analysis piece;
- score = ((1 - WEIGHT_POSITION) · centrality + WEIGHT_POSITION · position) · fitness, where
  fitness holds back sentences that cannot stand alone (very short, questions, dangling openers).

The constants were chosen on the CNN/DailyMail eval file from a flat region (every neighbouring
setting scores within 0.3 ROUGE-1 of the chosen one); `python -m bench.quality` measures them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.core.cjk import count_words, paired
from bot.core.stem import stem
from bot.core.stopwords import stop_words_for
from bot.core.text import STOP_WORDS, fold, term_words

LAMBDA_FORWARD = 1.0
LAMBDA_BACKWARD = -2.0
WEIGHT_POSITION = 0.3
POSITION_DECAY = 8.0
MIN_WORDS = 6
MAX_WORDS = 80

# Openers that lean on the sentence before ("But it ...") read badly out of context; an item of an
# enumeration ("Third is ...", "Finally, ...") reads worse still.
_DANGLING = re.compile(
    r"^(?:but|and|or|so|yet|also|this|that|these|those|it|he|she|they|such|moreover|furthermore|however|"
    r"additionally|meanwhile|still|instead|then)\b",
    re.I,
)
_ENUMERATION = re.compile(r"^(?:first|second|third|fourth|fifth|sixth|next|finally|lastly)\b", re.I)


def content_terms(sentence: str, stops: frozenset[str] = STOP_WORDS) -> list[str]:
    return [stem(w) for w in term_words(sentence) if fold(w) not in stops and not w.isdigit() and len(w) > 1]


def rank_sentences(sentences: Sequence[str]) -> list[int]:
    """Indices of ``sentences``, best summary candidates first; every index appears once."""
    n = len(sentences)
    if n == 0:
        return []
    stops = stop_words_for(sentences)
    terms = [content_terms(s, stops) for s in sentences]
    df: Counter[str] = Counter()
    for ts in terms:
        df.update(set(ts))
    idf = {t: math.log((n + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
    units = [_unit(_tfidf(ts, idf)) for ts in terms]

    total: Counter[str] = Counter()
    for u in units:
        total.update(u)
    before: Counter[str] = Counter()
    centrality: list[float] = []
    for u in units:
        back = _dot(u, before)
        forward = _dot(u, total) - back - (1.0 if u else 0.0)
        centrality.append(LAMBDA_FORWARD * forward + LAMBDA_BACKWARD * back)
        before.update(u)
    lo, hi = min(centrality), max(centrality)
    span = hi - lo
    scores = [
        ((1 - WEIGHT_POSITION) * ((c - lo) / span if span else 0.0) + WEIGHT_POSITION * math.exp(-i / POSITION_DECAY))
        * _fitness(s)
        for i, (s, c) in enumerate(zip(sentences, centrality, strict=True))
    ]
    return sorted(range(n), key=lambda i: (-scores[i], i))


SIGNATURE_TERMS = 12


def signature(sentences: Sequence[str], title: str = "", size: int = SIGNATURE_TERMS) -> list[tuple[str, float]]:
    """The ``size`` content-word stems that best characterise the text, weighted by frequency
    times spread (how many sentences use them), title words counted double; unit length."""
    stops = stop_words_for(sentences)
    tf: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    for s in sentences:
        ts = content_terms(s, stops)
        tf.update(ts)
        spread.update(set(ts))
    for t in content_terms(title, stops):
        tf[t] += 2
        spread[t] += 1
    weights = {t: (1.0 + math.log(c)) * math.log(1.0 + spread[t]) for t, c in tf.items() if len(t) > 2 or paired(t)}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    norm = math.sqrt(sum(w * w for _, w in top))
    return [(t, round(w / norm, 4)) for t, w in top] if norm else []


def _fitness(sentence: str) -> float:
    n_words = sum(count_words(sentence))
    factor = 1.0
    if n_words < MIN_WORDS:
        factor *= 0.3
    elif n_words > MAX_WORDS:
        factor *= 0.6
    if sentence.rstrip("”\"’' ").endswith(("?", "？", "؟")):
        factor *= 0.5
    if _ENUMERATION.match(sentence):
        factor *= 0.4
    elif _DANGLING.match(sentence):
        factor *= 0.8
    return factor


def _tfidf(terms: list[str], idf: dict[str, float]) -> dict[str, float]:
    tf = Counter(terms)
    return {t: (1.0 + math.log(c)) * idf[t] for t, c in tf.items()}


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _dot(a: dict[str, float], b: Counter[str] | dict[str, float]) -> float:
    return sum(w * b.get(t, 0.0) for t, w in a.items())
