"""Key phrases: runs of content words (RAKE-style candidates) scored by frequency and spread."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.summarise import stem
from bot.text import STOP_WORDS, fold

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’.-]*[^\W_])?|[.,;:!?()\"“”«»—–]|\s-\s")
MAX_PHRASE_WORDS = 3
MIN_KEYWORDS = 5
MAX_KEYWORDS = 8


def keywords(sentences: Sequence[str], limit: int = MAX_KEYWORDS) -> list[str]:
    """5 to 8 key phrases (fewer only when the text has fewer), most important first."""
    counts: Counter[tuple[str, ...]] = Counter()
    first_seen: dict[tuple[str, ...], int] = {}
    surfaces: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    spread: dict[tuple[str, ...], set[int]] = defaultdict(set)
    word_freq: Counter[str] = Counter()
    order = 0
    for si, sentence in enumerate(sentences):
        for run in _candidate_runs(sentence):
            stems = [stem(w) for w in run]
            word_freq.update(stems)
            for size in range(1, MAX_PHRASE_WORDS + 1):
                for start in range(0, len(run) - size + 1):
                    key = tuple(stems[start : start + size])
                    counts[key] += 1
                    spread[key].add(si)
                    surfaces[key][" ".join(run[start : start + size])] += 1
                    if key not in first_seen:
                        first_seen[key] = order
                        order += 1

    def score(key: tuple[str, ...]) -> float:
        freq = counts[key]
        words_score = sum(word_freq[w] for w in key) / len(key)
        multi = 1.0 + 0.6 * (len(key) - 1)
        return freq * multi * (1.0 + 0.1 * len(spread[key])) + 0.2 * words_score

    candidates = [k for k in counts if counts[k] >= (2 if len(k) > 1 else 1)]
    ranked = sorted(candidates, key=lambda k: (-score(k), first_seen[k]))
    chosen: list[tuple[str, ...]] = []
    for key in ranked:
        if any(_overlaps(key, c) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) >= limit:
            break
    return [_display(surfaces[k]) for k in chosen]


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
