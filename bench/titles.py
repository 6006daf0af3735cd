"""Autocomplete's title index at library scale: build time, latency per kind of typing, typos found.

    python -m bench.titles [--sizes 10000 100000] [--queries 300]

Titles come from bench/corpus.py (the titles bench.library's articles carry: 4 to 9 Zipf-distributed
words). Each size gets the same kinds of typing, drawn from its own titles:

- prefix: the first 3 to 12 characters of a title, as bench.library types them;
- words: a title's first two or three words, spelled right;
- typos: the same words, each of four letters or more with one edit (two neighbouring letters
  swapped, a letter dropped, added or changed), and words of six letters or more with a second one
  half the time.

Latency is TitleIndex.search in this process (what article autocomplete calls, without the gateway
round trip bench.library adds); "found" is how often the title the words came from is among the 25
choices offered. Words typed right are the baseline the typos are compared with, in the same run.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass

from bench.corpus import Corpus
from bench.search import pct
from bot.library.titles import TitleIndex

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Row:
    title: str


def misspell(word: str, rng: random.Random) -> str:
    """One edit: two neighbouring letters swapped, or a letter dropped, added or changed."""
    letters = list(word)
    at = rng.randrange(len(letters) - 1)
    kind = rng.choice(("swap", "drop", "add", "change"))
    if kind == "swap":
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
    elif kind == "drop":
        del letters[at]
    elif kind == "add":
        letters.insert(at, rng.choice(LETTERS))
    else:
        letters[at] = rng.choice(LETTERS.replace(letters[at], ""))
    return "".join(letters)


def with_typos(words: list[str], rng: random.Random) -> list[str]:
    out = []
    for word in words:
        if len(word) >= 4:
            word = misspell(word, rng)
            if len(word) >= 6 and rng.random() < 0.5:
                word = misspell(word, rng)
        out.append(word)
    return out


def queries(titles: list[str], n: int, seed: int = 7) -> dict[str, list[tuple[str, int]]]:
    """For each kind of typing, ``n`` (typed text, index of the title it came from)."""
    rng = random.Random(seed)
    kinds: dict[str, list[tuple[str, int]]] = {"prefix": [], "words": [], "typos": []}
    for _ in range(n):
        i = rng.randrange(len(titles))
        words = titles[i].lower().split()[: rng.randint(2, 3)]
        kinds["prefix"].append((titles[i][: rng.randint(3, 12)], i))
        kinds["words"].append((" ".join(words), i))
        kinds["typos"].append((" ".join(with_typos(words, rng)), i))
    return kinds


def measure(size: int, n: int) -> dict[str, float]:
    corpus = Corpus()
    titles = [corpus.title() for _ in range(size)]
    started = time.perf_counter()
    index = TitleIndex([Row(t) for t in titles])
    result: dict[str, float] = {"size": size, "vocabulary": len(index.vocabulary)}
    result["build_s"] = time.perf_counter() - started
    for kind, typed in queries(titles, n).items():
        times, found = [], 0
        for text, wanted in typed:
            t = time.perf_counter()
            offered = index.search(text, 25)
            times.append((time.perf_counter() - t) * 1000)
            found += any(titles[i] == titles[wanted] for i in offered)
        result[f"{kind}_p50"] = pct(times, 50)
        result[f"{kind}_p99"] = pct(times, 99)
        result[f"{kind}_found"] = found / len(typed)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.titles", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    print(
        "| titles | vocabulary | build | prefix p50 / p99 | words p50 / p99 | typos p50 / p99 "
        "| found: prefix / words / typos |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        r = measure(size, args.queries)
        print(
            f"| {size:,} | {r['vocabulary']:,.0f} | {r['build_s']:.1f} s "
            f"| {r['prefix_p50']:.2f} / {r['prefix_p99']:.2f} ms | {r['words_p50']:.2f} / {r['words_p99']:.2f} ms "
            f"| {r['typos_p50']:.2f} / {r['typos_p99']:.2f} ms "
            f"| {r['prefix_found']:.2f} / {r['words_found']:.2f} / {r['typos_found']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
