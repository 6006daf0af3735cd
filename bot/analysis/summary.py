"""Extractive summaries: rank an article's own sentences, show the best in article order.

Two rankings of the sentences are combined with equal weight (a Borda count: the sum of a
sentence's places in both, ties to the earlier sentence), so that no weight is fitted to any file:

- position: the lead of a news story states it; the n-th sentence is in place n;
- directed centrality (Zheng & Lapata 2019, "PacSum") over TF-IDF vectors:
  centrality(i) = λ_fwd · Σ_{j>i} sim(i, j) + λ_back · Σ_{j<i} sim(i, j), with the paper's
  weights for news (forward 1, backward -2): a sentence matters when what follows elaborates on
  it, and matters less when it repeats what came before. With cosine similarity on unit vectors
  both sums are dot products with running sums of the vectors, so the cost is linear in the
  article's length, not quadratic.

Before either, a sentence must stand alone as a statement. Each test it fails is a defect, and
sentences with fewer defects always come first (a page whose lines all fail one test, say a page
without sentence punctuation, is ranked as if none did); a summary shows only sentences with the
article's fewest defects (``rank_and_fit``), so a stray line never fills a short article's brief.
The tests are of form, in any language: it ends as a sentence does (. ! ? … 。, before any closing
quotation mark or bracket); it starts as one does (not with a lower-case letter or stray
punctuation); letters make at least half its characters (not a date, a code or a table row); it
has MIN_WORDS words or more (a Chinese or Japanese character counts as a word); it states rather
than asks or exclaims; it appears once in the article and not in the standfirst shown above it
(a line that recurs is the page's furniture: "Share this reaction with your friends!" under every
picture); and it shares a content word with
another sentence, where most sentences do (a line about nothing else in the article: "Submit your
letter to the editor via this form.").

A brief never opens on a sentence that leans back (``leans_back``: its subject is a function
word, "Third is ...", "He said ..."): such a sentence is ranked after the first sentence before it
that does not, so the first sentence of a summary of any length stands on its own.
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
MIN_WORDS = 6  # a clause with its subject, verb and object, and a little more

_CLOSERS = "\"'”’»)]」』）】"
_SENTENCE_END = re.compile(rf"[.!?…。！？｡؟۔।॥។៕။።։][{re.escape(_CLOSERS)}\s]*$")
_NOT_STATEMENT = re.compile(rf"[!?！？؟][{re.escape(_CLOSERS)}\s]*$")
_OPENERS = "\"'“‘«„¿¡([「『（【"


def content_terms(sentence: str, stops: frozenset[str] = STOP_WORDS) -> list[str]:
    return [stem(w) for w in term_words(sentence) if fold(w) not in stops and not w.isdigit() and len(w) > 1]


def rank_sentences(
    sentences: Sequence[str], shown: str | None = None, *, stops: frozenset[str] | None = None
) -> list[int]:
    """Indices of ``sentences``, best summary candidates first; every index appears once.
    ``shown`` is text the reader sees beside the summary (the standfirst): a sentence it already
    holds counts as recurring. ``stops``: the stop words of the text's language
    (bot.core.stopwords.stop_words_for, found here when not given)."""
    return rank_and_fit(sentences, shown, stops=stops)[0]


def rank_and_fit(
    sentences: Sequence[str],
    shown: str | None = None,
    *,
    stops: frozenset[str] | None = None,
    opens_paragraph: Sequence[bool] | None = None,
) -> tuple[list[int], int]:
    """The ranking of ``rank_sentences`` and how many of its first sentences are fit to show:
    those with the fewest defects in the article. A line with more defects than the article's
    best (a word left from a hidden widget, "Lorem", beside real sentences) never reaches a brief,
    however short the article; when every line has the same defects, all of them are fit.
    ``opens_paragraph``: whether each sentence is the first of its paragraph (by default, all are in
    one paragraph)."""
    n = len(sentences)
    if n == 0:
        return [], 0
    stops = stops if stops is not None else stop_words_for(sentences)
    term_lists = [content_terms(s, stops) for s in sentences]
    centrality = _centrality(term_lists)
    by_centrality = sorted(range(n), key=lambda i: (-round(centrality[i], 9), i))  # float noise is a tie
    place = [0] * n
    for rank, i in enumerate(by_centrality):
        place[i] = rank
    keys = [_line_key(s) for s in sentences]
    seen = Counter(keys)
    shown_key = f" {_line_key(shown)} " if shown else ""
    terms = [set(ts) for ts in term_lists]
    df: Counter[str] = Counter()
    for ts in terms:
        df.update(ts)
    # Off topic: no content word shared with any other sentence, where most sentences share one.
    alone = [not any(df[t] > 1 for t in ts) for ts in terms]
    lonely_is_odd = sum(alone) * 2 < n
    flaws = [
        defects(s, seen[k] + (f" {k} " in shown_key)) + (lonely_is_odd and a)
        for s, k, a in zip(sentences, keys, alone, strict=True)
    ]
    order = sorted(range(n), key=lambda i: (flaws[i], i + place[i], i))
    # Inside a paragraph, a sentence opening on function words takes up the one before it; a
    # paragraph's own first sentence mostly opens on a phrase ("The last 33 days ...").
    firsts = opens_paragraph if opens_paragraph is not None else [i == 0 for i in range(n)]
    # and it waits only for a sentence before it that a summary could show beside it.
    shown_before = [any(flaws[j] <= flaws[i] for j in range(max(0, i - 1), i)) for i in range(n)]
    leaning = [
        (i == 0 or (not firsts[i] and shown_before[i])) and leans_back(s, stops) for i, s in enumerate(sentences)
    ]
    # The article's first sentence has nothing before it to lean on: opening on function words it is
    # mostly a phrase ("A new species of ...", "Up to 100 ..."), held back only when the next sentence
    # does not take up any of its words either, as when the text starts in mid-argument (an excerpt).
    leaning[0] = leaning[0] and not (n > 1 and terms[0] & terms[1])
    order = _openers_first(order, leaning)
    best = flaws[order[0]]
    fit = next((k for k, i in enumerate(order) if flaws[i] != best), n)
    return order, fit


def leans_back(sentence: str, stops: frozenset[str] = STOP_WORDS) -> bool:
    """The sentence's subject is a function word ("Third is ...", "He said ...", "But it ..."): what
    it is about was named in an earlier sentence, so it cannot open a brief. Seen as two function
    words (the stop words of the text's language) opening it; when such an opening is a phrase
    with a content word set off by a comma ("For the United States, this implies ..."), the clause
    after the comma holds the subject and is tested instead. Digits are not function words ("More
    than 100 people ..."); a language written without spaces has no words to test."""
    if not _function_words_open(sentence, stops):
        return False
    comma = re.search(r"[,，、]\s", sentence)
    if comma and any(fold(w) not in stops for w in term_words(sentence[: comma.start()])):
        return _function_words_open(sentence[comma.end() :], stops)
    return True


def _function_words_open(text: str, stops: frozenset[str]) -> bool:
    opening = term_words(text)[:2]
    return len(opening) == 2 and all(fold(w) in stops for w in opening)


def _openers_first(order: list[int], leaning: list[bool]) -> list[int]:
    """``order`` with each sentence that leans back held until a sentence before it in the article
    is in, so that whatever the summary's length its first sentence (in article order) stands on
    its own. A sentence that nothing before it can introduce comes last."""
    out: list[int] = []
    held: list[int] = []
    first = len(order)  # the earliest sentence taken so far
    for i in order:
        if leaning[i] and i < first:
            held.append(i)
            continue
        out.append(i)
        if i < first:
            first = i
            out.extend(j for j in held if j > first)
            held = [j for j in held if j < first]
    return out + held


def directed_centrality(sentences: Sequence[str]) -> list[float]:
    """PacSum's directed centrality of each sentence, in linear time."""
    stops = stop_words_for(sentences)
    return _centrality([content_terms(s, stops) for s in sentences])


def _centrality(terms: list[list[str]]) -> list[float]:
    n = len(terms)
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
    return centrality


def defects(sentence: str, occurrences: int = 1) -> int:
    """How many of the module's tests of a stand-alone statement ``sentence`` fails;
    ``occurrences`` is how often it appears in its article."""
    s = sentence.strip()
    chars = [c for c in s if not c.isspace()]
    first = s[:1]
    return sum(
        (
            not _SENTENCE_END.search(s),
            not first or first.islower() or not (first.isalnum() or first in _OPENERS),
            sum(c.isalpha() for c in chars) * 2 < len(chars),
            sum(count_words(s)) < MIN_WORDS,
            bool(_NOT_STATEMENT.search(s)),
            occurrences > 1,
        )
    )


def _line_key(sentence: str) -> str:
    """The sentence's words, folded: the same line whatever its quotation marks and spacing."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(sentence)).split())


SIGNATURE_TERMS = 12


def signature(
    sentences: Sequence[str],
    title: str = "",
    size: int = SIGNATURE_TERMS,
    *,
    stops: frozenset[str] | None = None,
) -> list[tuple[str, float]]:
    """The ``size`` content-word stems that best characterise the text, weighted by frequency
    times spread (how many sentences use them), title words counted double; unit length."""
    stops = stops if stops is not None else stop_words_for(sentences)
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


def _tfidf(terms: list[str], idf: dict[str, float]) -> dict[str, float]:
    tf = Counter(terms)
    return {t: (1.0 + math.log(c)) * idf[t] for t, c in tf.items()}


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _dot(a: dict[str, float], b: Counter[str] | dict[str, float]) -> float:
    return sum(w * b.get(t, 0.0) for t, w in a.items())
