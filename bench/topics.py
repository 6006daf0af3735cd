"""`/brief topic:` and `/compare` at library sizes: the library's work for each, p50 and p99.

    python -m bench.topics [--sizes 1000 10000] [--rounds 3]

For each size a fresh database (the bot's own schema and migrations) is filled with synthetic
articles (bench/corpus.py: Zipf-distributed words, 10 to 60 sentences each), stored as the library
stores them: the article, its analysis and its sentences (the passages and their full-text index).
Then, through the same ``Library`` the bot builds, ``topics.brief`` runs a fixed set of topics
(common words, rare words, mixed, a phrase, a prefix) and ``topics.compare`` random pairs. The
times are the library's (search, scoring, loading the analyses), without Discord's round trip.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import PHRASES, Corpus
from bench.search import pct
from bot.analysis.engine import ANALYSIS_VERSION
from bot.core.models import Analysis, Article
from bot.library.service import Library
from bot.storage.db import connect

BATCH = 500


def topic_set(corpus: Corpus) -> dict[str, list[str]]:
    w = corpus.words
    return {
        "common words": [f"{w[i]} {w[i + 1]} {w[i + 2]}" for i in range(0, 30, 3)],
        "rare words": [f"{w[20_000 + i]} {w[20_100 + i]}" for i in range(10)],
        "mixed": [f"{w[i]} {w[5_000 + i]} {w[i + 20]}" for i in range(10)],
        "phrase": [f'"{p}"' for p in PHRASES],
        "prefix": [w[100 + i][:3] + "*" for i in range(5)],
    }


async def build(path: Path, size: int, corpus: Corpus) -> Library:
    db = await connect(path)
    rng = random.Random(7)
    for start in range(0, size, BATCH):
        await db.execute("BEGIN")
        for n in range(start, min(size, start + BATCH)):
            ident = f"{n:016x}"
            sentences = [corpus.sentence() for _ in range(rng.randint(10, 60))]
            article = Article(
                id=ident, slug=ident, title=corpus.title(), standfirst=None, paragraphs=(" ".join(sentences),)
            )
            analysis = Analysis(tuple(sentences), tuple(range(len(sentences))), (), ())
            stored = article.to_dict()
            for key in ("id", "slug", "source_path"):
                stored.pop(key)
            when = f"20{10 + n % 15:02d}-01-01T00:00:{n % 60:02d}+00:00"
            await db.execute(
                "INSERT INTO analyses (content_hash, engine_version, article_json, analysis_json, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (ident, ANALYSIS_VERSION, json.dumps(stored), json.dumps(analysis.to_dict()), when),
            )
            await db.execute(
                "INSERT INTO articles (id, slug, content_hash, title, words, sort_time, added_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (ident, ident, ident, article.title, sum(len(s.split()) for s in sentences), when, when, when),
            )
            await db.executemany(
                "INSERT INTO passages (article_id, position, text) VALUES (?, ?, ?)",
                [(ident, i, s) for i, s in enumerate(sentences)],
            )
        await db.execute("COMMIT")
    await db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")
    library = Library(db, path.parent)
    await library.catalogue.refresh()
    return library


async def measure(size: int, rounds: int) -> dict[str, list[float]]:
    corpus = Corpus()
    topics = topic_set(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        library = await build(Path(tmp) / "topics.sqlite3", size, corpus)
        print(f"  {size:,} articles built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        times: dict[str, list[float]] = {kind: [] for kind in [*topics, "compare"]}
        rng = random.Random(3)
        rows = library.articles
        try:
            for _ in range(rounds):
                for kind, texts in topics.items():
                    for text in texts:
                        t = time.perf_counter()
                        await library.topics.brief(library.topics.check(text))
                        times[kind].append((time.perf_counter() - t) * 1000)
                for _ in range(10):
                    a, b = rng.sample(rows, 2)
                    t = time.perf_counter()
                    await library.topics.compare(a, b)
                    times["compare"].append((time.perf_counter() - t) * 1000)
        finally:
            library.close()
            await library.catalogue.repo.db.close()
    return times


async def main_async(sizes: list[int], rounds: int) -> None:
    print(
        "| articles | "
        + " | ".join(["topic p50", "topic p99", "compare p50", "compare p99"])
        + " | slowest topic kind |"
    )
    print("|---|---|---|---|---|---|")
    for size in sizes:
        times = await measure(size, rounds)
        topic = [x for k, xs in times.items() if k != "compare" for x in xs]
        slowest = max((k for k in times if k != "compare"), key=lambda k: pct(times[k], 99))
        print(
            f"| {size:,} | {pct(topic, 50):.0f} ms | {pct(topic, 99):.0f} ms | {pct(times['compare'], 50):.0f} ms | "
            f"{pct(times['compare'], 99):.0f} ms | {slowest} (p99 {pct(times[slowest], 99):.0f} ms) |",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.topics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    asyncio.run(main_async(args.sizes, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
