"""What one article says that another does not, in its own sentences.

Each sentence of an article scores its salience within the article times its novelty against the
other article, and the best few are shown in article order. Nothing is fitted to any pair:

- salience: the sentence's place in the summary ranking (bot.analysis.summary.rank_sentences,
  position and centrality, stand-alone statements first), as 1 - place / sentences;
- novelty: 1 - its greatest similarity to any sentence of the other article, the cosine of their
  TF-IDF vectors of stemmed content words (stop words of the texts' language), the IDF taken over
  the sentences of both articles, so that the words both articles keep using (their shared
  subject) count for little and a sentence is new when what it is about is new.

A sentence scoring nothing (it repeats the other article, or it is the least salient) is never
shown; nor is one with the summary's defects when the article has statements enough without them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.analysis.summary import content_terms, defects
from bot.core.stopwords import stop_words_for

POINTS = 3


def _vectors(term_lists: list[list[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for ts in term_lists:
        df.update(set(ts))
    n = len(term_lists)
    out = []
    for ts in term_lists:
        tf = Counter(ts)
        v = {t: (1.0 + math.log(c)) * math.log((n + 1) / (df[t] + 0.5)) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in v.values()))
        out.append({t: w / norm for t, w in v.items()} if norm else {})
    return out


def _greatest_similarity(vector: dict[str, float], postings: dict[str, list[tuple[int, float]]]) -> float:
    """The greatest cosine between ``vector`` and the other article's sentences, through an index of
    their terms (only the sentences sharing a term are visited: linear, not quadratic, in length)."""
    dots: Counter[int] = Counter()
    for term, weight in vector.items():
        for j, w in postings.get(term, ()):
            dots[j] += weight * w
    return max(dots.values(), default=0.0)


def distinct_points(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str], n: int = POINTS) -> list[int]:
    """Indices of the (at most ``n``) sentences of ``mine`` that best say what ``theirs`` does not,
    in article order. ``ranking`` is ``mine``'s summary ranking (best first)."""
    if not mine:
        return []
    stops = stop_words_for([*mine, *theirs])
    vectors = _vectors([content_terms(s, stops) for s in [*mine, *theirs]])
    own = vectors[: len(mine)]
    postings: dict[str, list[tuple[int, float]]] = {}
    for j, u in enumerate(vectors[len(mine) :]):
        for term, w in u.items():
            postings.setdefault(term, []).append((j, w))
    place = {i: p for p, i in enumerate(ranking)}
    sound = [i for i in range(len(mine)) if defects(mine[i]) == 0]
    allowed = set(sound) if len(sound) >= n else set(range(len(mine)))
    scores = []
    for i, v in enumerate(own):
        if i not in allowed or not v:
            continue
        salience = 1.0 - place.get(i, len(mine)) / len(mine)
        novelty = 1.0 - _greatest_similarity(v, postings)
        score = round(salience * novelty, 9)
        if score > 0:
            scores.append((-score, i))
    return sorted(i for _, i in sorted(scores)[:n])
