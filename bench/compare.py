"""`/compare` on an honest proxy: what article A says that article B does not, by a human's account.

    python -m bench.compare /work/shared/eval/summaries.jsonl [--floor 0.1 0.15 0.2] [--pair A B]

There is no gold set of "what A says that B does not", so the benchmark builds one from summaries
written by people (a file with `article` and `reference_sentences`, like the CNN/DailyMail set):

- pairs: each article with the most similar other article of the file (cosine of TF-IDF vectors
  of stemmed content words, the IDF over the file's articles), when the cosine reaches ``--floor``
  (one table per floor: news files pair loosely at 0.1, and the higher floors keep the pairs that
  share a subject, where what B already says matters most);
- reference: the sentences of A's human summary whose content words are mostly (over half) absent
  from B's text: what A says that B does not, by the human's account. A pair whose summary has no
  such sentence is left out;
- score: ROUGE-1 (rouge-score, Porter stemming) recall and F1 of the method's chosen sentences of A
  (three) against that reference, averaged over the pairs.

Every method sees the same sentences (the bot's own splitting) and is printed in the same run, with
a first-three-sentences baseline and the summary's own top three, over all pairs and over the odd
and even pairs apart (a choice that wins on one half only is fitted, not general), with the paired
bootstrap interval of its difference with the method shipped before this benchmark and with the
one shipped now (contrast.distinct_points).

News summaries follow the article's order, so the reference favours any method that does. A second
set of tables, beyond the lead, leaves A's first ``LEAD`` sentences out of both sides: each method
chooses among A's later sentences only, against the reference sentences mostly absent from those
first sentences too; each table says how many of its reference sentences align best with A's
first three sentences it may choose from, against how many would if they were spread evenly.
``--pair A B`` also prints which sentences each method picks of two article files (the shipped
seeds, say), both ways. Needs the `bench` extra (rouge-score).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.quality import read_jsonl, summary_article
from bot.analysis import contrast
from bot.analysis.summary import content_terms, defects, rank_sentences
from bot.core.stopwords import stop_words_for
from bot.core.text import split_sentences

POINTS = 3
MOSTLY_ABSENT = 0.5
LEAD = 2  # beyond the lead: A's first two sentences left out of both choice and reference
BEFORE = "rank x max-sentence novelty, top 3 (before)"
SHIPPED = "contrast.distinct_points (this tree)"


@dataclass(frozen=True)
class Doc:
    sentences: list[str]
    ranking: list[int]
    terms: list[str]
    summary: list[str]


Method = Callable[[Sequence[str], Sequence[int], Sequence[str]], list[int]]


def load(record: dict) -> Doc:
    article = summary_article(record)
    sentences = [s for p in article.paragraphs for s in split_sentences(p)]
    stops = stop_words_for(sentences)
    terms = [t for s in sentences for t in content_terms(s, stops)]
    return Doc(sentences, rank_sentences(sentences, stops=stops), terms, list(record["reference_sentences"]))


def pairs(docs: list[Doc], floor: float) -> list[tuple[int, int, float]]:
    """(a, b, cosine): each article with its most similar other article, when similar enough."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d.terms))
    n = len(docs)
    vectors = []
    for d in docs:
        tf = Counter(d.terms)
        v = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vectors.append({t: w / norm for t, w in v.items()})
    out = []
    for a, va in enumerate(vectors):
        best, b = max((sum(w * vb.get(t, 0.0) for t, w in va.items()), j) for j, vb in enumerate(vectors) if j != a)
        if best >= floor:
            out.append((a, b, best))
    return out


def reference(a: Doc, b: Doc) -> list[str]:
    """The sentences of A's human summary whose content words are mostly absent from B."""
    stops = stop_words_for(a.sentences)
    theirs = set(b.terms)
    out = []
    for s in a.summary:
        ts = set(content_terms(s, stops))
        if ts and len(ts - theirs) > MOSTLY_ABSENT * len(ts):
            out.append(s)
    return out


# --- baselines -----------------------------------------------------------------------------------


def lead(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
    return list(range(min(POINTS, len(mine))))


def summary_top(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
    return sorted(ranking[:POINTS])


def shipped(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
    """bot.analysis.contrast as it is in this tree."""
    return contrast.distinct_points(mine, ranking, theirs)


# --- candidates ----------------------------------------------------------------------------------


def _allowed(mine: Sequence[str]) -> list[int]:
    sound = [i for i in range(len(mine)) if defects(mine[i]) == 0]
    return sound if len(sound) >= POINTS else list(range(len(mine)))


def zscores(mine_terms: list[str], theirs_terms: list[str], prior: float | None) -> dict[str, float]:
    """Fightin' Words (Monroe, Colaresi & Quinn 2008): the z-score of each term's log-odds ratio,
    mine against theirs, with a Dirichlet prior proportional to the pooled counts; ``prior`` is the
    prior's total (None: the pooled size, i.e. one pseudo-count per observed occurrence)."""
    ya, yb = Counter(mine_terms), Counter(theirs_terms)
    pooled = ya + yb
    total = sum(pooled.values())
    a0 = float(total if prior is None else prior)
    na, nb = sum(ya.values()), sum(yb.values())
    out = {}
    for t in ya:
        alpha = a0 * pooled[t] / total
        d = math.log((ya[t] + alpha) / (na + a0 - ya[t] - alpha)) - math.log(
            (yb[t] + alpha) / (nb + a0 - yb[t] - alpha)
        )
        out[t] = d / math.sqrt(1 / (ya[t] + alpha) + 1 / (yb[t] + alpha))
    return out


def _terms(sentences: Sequence[str], stops: frozenset[str]) -> list[list[str]]:
    return [content_terms(s, stops) for s in sentences]


def _unit(terms: list[str], idf: dict[str, float]) -> dict[str, float]:
    tf = Counter(terms)
    v = {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in tf.items()}
    norm = math.sqrt(sum(w * w for w in v.values()))
    return {t: w / norm for t, w in v.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _pick(scores: dict[int, float], n: int = POINTS) -> list[int]:
    best = sorted((-round(s, 9), i) for i, s in scores.items() if s > 0)[:n]
    return sorted(i for _, i in best)


def _mmr(scores: dict[int, float], units: list[dict[str, float]], lam: float = 0.7, n: int = POINTS) -> list[int]:
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return []
    chosen: list[int] = []
    left = {i for i, s in scores.items() if s > 0}
    while left and len(chosen) < n:
        i = max(
            left,
            key=lambda i: (
                round(
                    lam * scores[i] / top - (1 - lam) * max((_dot(units[i], units[j]) for j in chosen), default=0), 9
                ),
                -i,
            ),
        )
        chosen.append(i)
        left.discard(i)
    return sorted(chosen)


def fightin(agg: str = "mean", prior: float | None = None, central: bool = False, mmr: bool = False) -> Method:
    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        stops = stop_words_for([*mine, *theirs])
        mt, tt = _terms(mine, stops), _terms(theirs, stops)
        z = zscores([t for ts in mt for t in ts], [t for ts in tt for t in ts], prior)
        allowed = _allowed(mine)
        scores = {}
        for i in allowed:
            ts = mt[i]
            if not ts:
                continue
            pos = [max(z.get(t, 0.0), 0.0) for t in ts]
            scores[i] = sum(pos) / len(pos) if agg == "mean" else sum(pos)
        units = _units(mt)
        if central:
            total: Counter[str] = Counter()
            for u in units:
                total.update(u)
            for i in scores:
                scores[i] *= max(_dot(units[i], total) - 1.0, 0.0) if units[i] else 0.0
        return _mmr(scores, units) if mmr else _pick(scores)

    return method


def _units(term_lists: list[list[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for ts in term_lists:
        df.update(set(ts))
    n = len(term_lists)
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    return [_unit(ts, idf) for ts in term_lists]


def whole_novelty(salience: str = "rank") -> Method:
    """Novelty against B's whole text (one TF-IDF vector), times salience (summary place or centrality)."""

    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        stops = stop_words_for([*mine, *theirs])
        mt, tt = _terms(mine, stops), _terms(theirs, stops)
        all_lists = [*mt, *tt]
        df: Counter[str] = Counter()
        for ts in all_lists:
            df.update(set(ts))
        n = len(all_lists)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        units = [_unit(ts, idf) for ts in mt]
        other = _unit([t for ts in tt for t in ts], idf)
        place = {i: p for p, i in enumerate(ranking)}
        total: Counter[str] = Counter()
        for u in units:
            total.update(u)
        scores = {}
        for i in _allowed(mine):
            if not units[i]:
                continue
            novelty = 1.0 - _dot(units[i], other)
            if salience == "rank":
                sal = 1.0 - place.get(i, len(mine)) / len(mine)
            else:
                sal = max(_dot(units[i], total) - 1.0, 0.0)
            scores[i] = sal * novelty
        return _pick(scores)

    return method


def borda(agg: str = "mean", mmr: bool = False) -> Method:
    """The summary's ranking and the Fightin' Words ranking (mean or sum of positive z) combined by
    their places (a Borda count, as the summary combines position and centrality)."""

    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        stops = stop_words_for([*mine, *theirs])
        mt, tt = _terms(mine, stops), _terms(theirs, stops)
        z = zscores([t for ts in mt for t in ts], [t for ts in tt for t in ts], None)
        allowed = _allowed(mine)
        fw = {}
        for i in allowed:
            pos = [max(z.get(t, 0.0), 0.0) for t in mt[i]]
            fw[i] = (sum(pos) / len(pos) if agg == "mean" else sum(pos)) if pos else 0.0
        by_fw = sorted(allowed, key=lambda i: (-round(fw[i], 9), i))
        place_fw = {i: p for p, i in enumerate(by_fw)}
        place = {i: p for p, i in enumerate(ranking)}
        n = len(mine)
        scores = {i: 2 * n - place.get(i, n) - place_fw[i] for i in allowed if fw[i] > 0}
        if mmr:
            return _mmr({i: float(s) for i, s in scores.items()}, _units(mt))
        return _pick({i: float(s) for i, s in scores.items()})

    return method


def product() -> Method:
    """Summary salience (1 - place / n) times the mean positive z, over its greatest."""

    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        stops = stop_words_for([*mine, *theirs])
        mt, tt = _terms(mine, stops), _terms(theirs, stops)
        z = zscores([t for ts in mt for t in ts], [t for ts in tt for t in ts], None)
        place = {i: p for p, i in enumerate(ranking)}
        scores = {}
        for i in _allowed(mine):
            pos = [max(z.get(t, 0.0), 0.0) for t in mt[i]]
            if pos:
                scores[i] = (1.0 - place.get(i, len(mine)) / len(mine)) * sum(pos) / len(pos)
        return _pick(scores)

    return method


def salience_novelty(base: str, mmr: bool) -> Method:
    """Summary salience (1 - place / n) times novelty against B, 1 - the greatest cosine to one of
    B's sentences (``base`` "max") or to B's whole text ("whole"); the top three or MMR."""

    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        stops = stop_words_for([*mine, *theirs])
        mt, tt = _terms(mine, stops), _terms(theirs, stops)
        vectors = contrast._vectors([*mt, *tt])
        own, other = vectors[: len(mine)], vectors[len(mine) :]
        place = {i: p for p, i in enumerate(ranking)}
        whole: Counter[str] = Counter()
        for u in other:
            whole.update(u)
        norm = math.sqrt(sum(w * w for w in whole.values())) or 1.0
        scores = {}
        for i in _allowed(mine):
            if not own[i]:
                continue
            sal = 1.0 - place.get(i, len(mine)) / len(mine)
            if base == "max":
                nov = 1.0 - max((_dot(own[i], u) for u in other), default=0.0)
            else:
                nov = 1.0 - _dot(own[i], whole) / norm
            scores[i] = sal * nov
        return _mmr(scores, own) if mmr else _pick(scores)

    return method


# --- issue 17, second attempt: the brief's three general combinations ------------------------------


@dataclass(frozen=True)
class Signals:
    """Per sentence of A: summary salience (1 - place / n), place in the summary ranking, the mean and
    sum of its positive Fightin' Words z against B, its share of idf-weighted content terms absent
    from B's whole text, and its centrality within A (the sum of its cosines with A's other
    sentences); with the sentences' unit vectors for MMR. The idf is over both articles' sentences."""

    allowed: list[int]
    salience: dict[int, float]
    place: dict[int, int]
    fw_mean: dict[int, float]
    fw_sum: dict[int, float]
    absent: dict[int, float]
    centrality: dict[int, float]
    units: list[dict[str, float]]


def signals(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> Signals:
    stops = stop_words_for([*mine, *theirs])
    mt, tt = _terms(mine, stops), _terms(theirs, stops)
    z = zscores([t for ts in mt for t in ts], [t for ts in tt for t in ts], None)
    df: Counter[str] = Counter()
    for ts in [*mt, *tt]:
        df.update(set(ts))
    n_all = len(mt) + len(tt)
    idf = {t: math.log((n_all + 1) / (c + 0.5)) for t, c in df.items()}
    units = contrast._vectors([*mt, *tt])[: len(mine)]
    total: Counter[str] = Counter()
    for u in units:
        total.update(u)
    theirs_terms = {t for ts in tt for t in ts}
    n = len(mine)
    place = {i: p for p, i in enumerate(ranking)}
    out = Signals([i for i in _allowed(mine) if mt[i]], {}, {}, {}, {}, {}, {}, units)
    for i in out.allowed:
        pos = [max(z.get(t, 0.0), 0.0) for t in mt[i]]
        weight = sum(idf[t] for t in set(mt[i]))
        out.place[i] = place.get(i, n)
        out.salience[i] = 1.0 - out.place[i] / n
        out.fw_mean[i] = sum(pos) / len(pos)
        out.fw_sum[i] = sum(pos)
        out.absent[i] = sum(idf[t] for t in set(mt[i]) if t not in theirs_terms) / weight if weight else 0.0
        out.centrality[i] = max(_dot(units[i], total) - 1.0, 0.0)
    return out


def combined(score: Callable[[Signals, int], float], mmr: bool = True) -> Method:
    def method(mine: Sequence[str], ranking: Sequence[int], theirs: Sequence[str]) -> list[int]:
        sig = signals(mine, ranking, theirs)
        scores = {i: score(sig, i) for i in sig.allowed}
        return _mmr(scores, sig.units) if mmr else _pick(scores)

    return method


def _discount(rank: int) -> float:
    """The position discount of DCG (Järvelin & Kekäläinen 2002): 1 / log2(rank + 2)."""
    return 1.0 / math.log2(rank + 2)


CANDIDATES: dict[str, Callable[[Signals, int], float]] = {
    # (a) summary rank x distinctive-term weight (log-odds z against B, prior from both articles)
    "(a) summary salience x FW mean z+, MMR": lambda s, i: s.salience[i] * s.fw_mean[i],
    "(a) summary salience x FW sum z+, MMR": lambda s, i: s.salience[i] * s.fw_sum[i],
    # (b) novelty as the share of idf-weighted terms absent from B's whole text, x centrality in A
    "(b) share absent from B x centrality, top 3": lambda s, i: s.absent[i] * s.centrality[i],
    "(b) share absent from B x centrality, MMR": lambda s, i: s.absent[i] * s.centrality[i],
    "(b') share absent from B x summary salience, MMR": lambda s, i: s.absent[i] * s.salience[i],
    # (c) position-discounted: the summary place (or article order) discounted as in DCG
    "(c) share absent from B / log2(summary place + 2), MMR": lambda s, i: s.absent[i] * _discount(s.place[i]),
    "(c) FW mean z+ / log2(summary place + 2), MMR": lambda s, i: s.fw_mean[i] * _discount(s.place[i]),
    "(c) share absent x centrality / log2(sentence index + 2), MMR": lambda s, i: (
        s.absent[i] * s.centrality[i] * _discount(i)
    ),
}


def methods() -> dict[str, Method]:
    out: dict[str, Method] = {
        "first 3 sentences": lead,
        "summary top 3 (no contrast)": summary_top,
        BEFORE: salience_novelty("max", mmr=False),
        SHIPPED: shipped,
        "rank x novelty vs B's whole text": whole_novelty("rank"),
        "centrality x novelty vs B's whole text": whole_novelty("central"),
        "FW mean z+ (prior = pooled)": fightin("mean"),
        "FW sum z+ (prior = pooled)": fightin("sum"),
        "FW mean z+ (prior 100)": fightin("mean", prior=100),
        "FW mean z+ x centrality": fightin("mean", central=True),
        "FW mean z+ + MMR": fightin("mean", mmr=True),
        "FW mean z+ x centrality + MMR": fightin("mean", central=True, mmr=True),
        "FW sum z+ + MMR": fightin("sum", mmr=True),
        "rank x novelty vs B's whole text + MMR": salience_novelty("whole", mmr=True),
        "Borda(summary rank, FW mean z+)": borda(),
        "Borda(summary rank, FW mean z+) + MMR": borda(mmr=True),
        "Borda(summary rank, FW sum z+) + MMR": borda("sum", mmr=True),
        "summary salience x FW mean z+": product(),
    }
    for name, score in CANDIDATES.items():
        out[name] = combined(score, mmr=not name.endswith("top 3"))
    return out


def beyond_lead(a: Doc, b: Doc) -> list[str]:
    """The reference without what A's lead already says: the sentences of A's human summary mostly
    absent from B and mostly absent from A's first ``LEAD`` sentences too."""
    stops = stop_words_for(a.sentences)
    lead_terms = {t for s in a.sentences[:LEAD] for t in content_terms(s, stops)}
    out = []
    for s in reference(a, b):
        ts = set(content_terms(s, stops))
        if len(ts - lead_terms) > MOSTLY_ABSENT * len(ts):
            out.append(s)
    return out


def aligned_places(a: Doc, summary: Sequence[str]) -> list[int]:
    """For each sentence of ``summary``, the index of the sentence of A sharing the largest share of
    its content terms (ties go to the later sentence, so that the lead is never favoured by them)."""
    stops = stop_words_for(a.sentences)
    own = [set(content_terms(s, stops)) for s in a.sentences]
    out = []
    for s in summary:
        ts = set(content_terms(s, stops))
        if ts and own:
            out.append(max(range(len(own)), key=lambda i: (len(ts & own[i]), i)))
    return out


def after_lead(d: Doc) -> tuple[list[str], list[int]]:
    """A's sentences after its first ``LEAD``, with its summary ranking of them (renumbered)."""
    return d.sentences[LEAD:], [i - LEAD for i in d.ranking if i >= LEAD]


def evaluate(docs: list[Doc], chosen: list[tuple[int, int, float]], ms: dict[str, Method], lead: bool = False) -> dict:
    """Each method's ROUGE-1 (recall, F) per pair; with ``lead`` True, beyond the lead: every method
    chooses among A's sentences after its first ``LEAD`` only, against the reference without what
    those first sentences say (news summaries follow the lead, which favours any method that does)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    ref = beyond_lead if lead else reference
    cases = [(a, b, ref(docs[a], docs[b])) for a, b, _ in chosen]
    cases = [c for c in cases if c[2] and (not lead or len(docs[c[0]].sentences) > LEAD)]
    results: dict[str, list[tuple[float, float]]] = {}
    for name, m in ms.items():
        rows = []
        for a, b, ref_sentences in cases:
            da, db = docs[a], docs[b]
            mine, ranking = after_lead(da) if lead else (da.sentences, da.ranking)
            picked = m(mine, ranking, db.sentences)
            s = scorer.score("\n".join(ref_sentences), "\n".join(mine[i] for i in picked))["rouge1"]
            rows.append((s.recall, s.fmeasure))
        results[name] = rows
    kept = sum(len(r) for _, _, r in cases)
    whole = sum(len(docs[a].summary) for a, _, _ in cases)
    start = LEAD if lead else 0
    early = sum(start <= p < start + POINTS for a, _, r in cases for p in aligned_places(docs[a], r))
    even = sum(len(r) * POINTS / (len(docs[a].sentences) - start) for a, _, r in cases)
    return {"cases": len(cases), "results": results, "kept": kept, "summary": whole, "early": early, "even": even}


def mean(xs: list[float]) -> float:
    return 100 * sum(xs) / len(xs) if xs else float("nan")


def interval(deltas: list[float], rounds: int = 1000) -> tuple[float, float]:
    """95% paired bootstrap interval of the mean of ``deltas`` (x100), resampling the pairs."""
    if not deltas:
        return float("nan"), float("nan")
    rng = random.Random(0)
    means = sorted(mean(rng.choices(deltas, k=len(deltas))) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def table(docs: list[Doc], floor: float, ms: dict[str, Method], lead: bool = False) -> None:
    chosen = pairs(docs, floor)
    out = evaluate(docs, chosen, ms, lead)
    where = f"A's sentences after its first {LEAD}" if lead else "A"
    print(f"\n{len(docs)} articles, {len(chosen)} pairs with cosine >= {floor}, {out['cases']} with a reference")
    print(
        f"reference: {out['kept']} of the {out['summary']} summary sentences of those pairs' A are mostly absent from B"
        + (f" and from A's first {LEAD} sentences" if lead else "")
    )
    first = f"sentences {LEAD + 1} to {LEAD + POINTS}" if lead else f"first {POINTS} sentences"
    print(
        f"lead bias: {out['early']} of those {out['kept']} align best (most content terms shared) with one of A's "
        f"{first} ({out['even']:.0f} if spread evenly over its sentences{' after the lead' if lead else ''})"
    )
    print(f"ROUGE-1 x100 of {POINTS} sentences of {where} against that reference;")
    print(
        "halves: the pairs of even and odd index; ΔF: paired difference with the method before and with the one "
        "shipped, 95% bootstrap"
    )
    print(
        "| method | R-1 recall | R-1 F | recall even | recall odd | F even | F odd "
        "| ΔF vs before [95%] | ΔF vs shipped [95%] |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    before = [f for _, f in out["results"][BEFORE]]
    now = [f for _, f in out["results"][SHIPPED]]
    for name, rows in out["results"].items():
        r, f = [x for x, _ in rows], [y for _, y in rows]
        cells = []
        for base in (before, now):
            delta = [a - b for a, b in zip(f, base, strict=True)]
            lo, hi = interval(delta)
            cells.append(f"{mean(delta):+.2f} [{lo:+.2f}, {hi:+.2f}]")
        print(
            f"| {name} | {mean(r):.2f} | {mean(f):.2f} | {mean(r[0::2]):.2f} | {mean(r[1::2]):.2f} "
            f"| {mean(f[0::2]):.2f} | {mean(f[1::2]):.2f} | {' | '.join(cells)} |"
        )


def show_pair(first: Path, second: Path, ms: dict[str, Method]) -> None:
    """Each method's sentences of the newer-first pair of article files, both ways, by index."""
    from bot.analysis.engine import analyse
    from bot.analysis.parsing import parse_article
    from bot.sources.files import parse_article_bytes

    a, b = (analyse(parse_article(parse_article_bytes(f.read_bytes(), f.suffix))) for f in (first, second))
    print(f"\nsentences chosen, A = {first.name} ({len(a.sentences)}), B = {second.name} ({len(b.sentences)})")
    print("| method | of A against B | of B against A |")
    print("|---|---|---|")
    for name, m in ms.items():
        ab = m(list(a.sentences), list(a.ranking), list(b.sentences))
        ba = m(list(b.sentences), list(b.ranking), list(a.sentences))
        print(f"| {name} | {', '.join(map(str, ab))} | {', '.join(map(str, ba))} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--floor", type=float, nargs="+", default=[0.1, 0.15, 0.2], help="least cosine for a pair, one table each"
    )
    parser.add_argument(
        "--pair", type=Path, nargs=2, metavar=("A", "B"), help="also show each method's sentences of two article files"
    )
    args = parser.parse_args(argv)
    docs = [load(r) for r in read_jsonl(args.file)]
    ms = methods()
    for lead in (False, True):
        for floor in args.floor:
            table(docs, floor, ms, lead)
    if args.pair:
        show_pair(*args.pair, ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
