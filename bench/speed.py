"""Engine speed: articles briefed per second on one core, and peak memory.

    python -m bench.speed ../shared/eval/summaries.jsonl [--repeat 5]

Each article is parsed and analysed (sentences, ranking, quotes, keywords) from its raw text, as
the library does for a new file. The baseline, measured in the same run on the same texts, is
sentence splitting alone (what Lead-3 costs), so the ratio says what the rest of the engine adds
whatever the machine's load. Rates are the best of --repeat passes: on a shared machine the best
pass is the one least disturbed by other work.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from bench.quality import quote_article, read_jsonl, summary_article
from bot.analysis.engine import analyse
from bot.core.text import normalise, paragraphs, split_sentences


def texts(paths: list[Path]) -> list[dict]:
    records: list[dict] = []
    for path in paths:
        records.extend(read_jsonl(path))
    return records


def brief_all(records: list[dict]) -> None:
    for r in records:
        article = summary_article(r) if "article" in r else quote_article(r)
        analyse(article)


def split_all(records: list[dict]) -> None:
    for r in records:
        for p in paragraphs(normalise(r.get("article") or r.get("text") or "")):
            split_sentences(p)


def best_rate(fn, records: list[dict], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(records)
        best = min(best, time.perf_counter() - start)
    return len(records) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    records = texts(args.files)
    words = sum(len((r.get("article") or r.get("text") or "").split()) for r in records)
    brief_all(records[:5])  # warm caches and imports
    engine = best_rate(brief_all, records, args.repeat)
    baseline = best_rate(split_all, records, args.repeat)
    tracemalloc.start()
    brief_all(records)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(records)} articles, {words / len(records):.0f} words on average, one core, best of {args.repeat}")
    print("| measure | value |")
    print("|---|---|")
    print(f"| briefs (parse + analyse) per second | {engine:.0f} |")
    print(f"| baseline: sentence splitting alone, per second | {baseline:.0f} |")
    print(f"| brief time / splitting time | {baseline / engine:.2f} |")
    print(f"| peak Python allocations while briefing all | {peak / 1e6:.1f} MB |")
    print(f"| peak resident memory of this process | {rss_mb:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
