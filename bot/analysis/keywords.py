"""Key phrases: runs of content words (RAKE-style candidates) scored by frequency and spread."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.core.stem import stem
from bot.core.text import STOP_WORDS, fold

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’.-]*[^\W_])?|[.,;:!?()\"“”«»—–]|\s-\s")
MAX_PHRASE_WORDS = 3
MIN_KEYWORDS = 5
MAX_KEYWORDS = 8


def keywords(sentences: Sequence[str], limit: int = MAX_KEYWORDS) -> list[str]:
    """5 to 8 key phrases (fewer only when the text has fewer), most important first."""
    counts: Counter[tuple[str, ...]] = Counter()
    spread: Counter[tuple[str, ...]] = Counter()  # how many sentences use the phrase
    word_freq: Counter[str] = Counter()
    runs_by_sentence: list[list[tuple[list[str], list[str]]]] = []
    for sentence in sentences:
        runs = [(run, [stem(w) for w in run]) for run in _candidate_runs(sentence)]
        runs_by_sentence.append(runs)
        keys: list[tuple[str, ...]] = []
        for _run, stems in runs:
            word_freq.update(stems)
            n = len(stems)
            for size in range(1, min(MAX_PHRASE_WORDS, n) + 1):
                keys.extend(tuple(stems[i : i + size]) for i in range(n - size + 1))
        counts.update(keys)
        spread.update(set(keys))

    def score(key: tuple[str, ...]) -> float:
        words_score = sum(word_freq[w] for w in key) / len(key)
        multi = 1.0 + 0.6 * (len(key) - 1)
        return counts[key] * multi * (1.0 + 0.1 * spread[key]) + 0.2 * words_score

    # Counter keeps first-insertion order, so ties go to the phrase that appears first.
    candidates = [k for k, c in counts.items() if c >= (2 if len(k) > 1 else 1)]
    order = {k: i for i, k in enumerate(candidates)}
    ranked = sorted(candidates, key=lambda k: (-score(k), order[k]))
    chosen: list[tuple[str, ...]] = []
    for key in ranked:
        if any(_overlaps(key, c) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) >= limit:
            break
    return [_display(_surfaces(key, runs_by_sentence)) for key in chosen]


def _surfaces(key: tuple[str, ...], runs_by_sentence: list[list[tuple[list[str], list[str]]]]) -> Counter[str]:
    """How a chosen phrase is written in the text, form by form."""
    forms: Counter[str] = Counter()
    size = len(key)
    for runs in runs_by_sentence:
        for run, stems in runs:
            for i in range(len(stems) - size + 1):
                if tuple(stems[i : i + size]) == key:
                    forms[" ".join(run[i : i + size])] += 1
    return forms


def _candidate_runs(sentence: str) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    for m in _TOKEN.finditer(sentence):
        tok = m.group(0)
        is_word = tok[0].isalpha()
        if not is_word or fold(tok) in STOP_WORDS or len(tok) < 2 or fold(tok).rstrip("’'s") in STOP_WORDS:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(tok.rstrip("’'").removesuffix("’s").removesuffix("'s"))
    if current:
        runs.append(current)
    return runs


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(set(a) & set(b))


def _display(surfaces: Counter[str]) -> str:
    """The commonest written form, lower-cased unless it is always capitalised (a name)."""
    form, _ = surfaces.most_common(1)[0]
    if all(any(c.isupper() for c in w[:1]) for s in surfaces for w in s.split()):
        return form
    return form.lower() if not any(w.isupper() and len(w) > 1 for w in form.split()) else form
