"""Quotation search on SQLite (FTS5, bm25) and on PostgreSQL (tsvector, GIN, ts_rank) compared.

    python -m bench.ranking --url postgresql://user@host/empty_db [--generated 200] [--limit 5]
    python -m tests.support.postgres python -m bench.ranking   # on a throwaway server

One library (the shipped seeds and ``--generated`` synthetic articles from bench/corpus.py) is
stored on both backends through the bot's own ingest (Library.sync), then the same queries run
through Reading.search_quotes on each: common, mid-frequency and rare words, two words, prefixes and
phrases. For each kind of query it prints the median number of quotations matched, how often both
backends count the same matches, how
often their first result is the same, and the mean share of SQLite's top ``--limit`` that
PostgreSQL's top ``--limit`` holds too. The PostgreSQL database at ``--url`` must be empty (it is
migrated and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.corpus import PHRASES, Corpus
from bot.core.query import COUNT_CAP
from bot.library.service import Library
from bot.storage.db import connect

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_QUERIES = ["china", "korea", "nuclear", "north korea", '"north korea"', "pivot*", "kim", "strategic", "said"]


def write_library(folder: Path, generated: int) -> Corpus:
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    corpus = Corpus(seed=7)
    for i in range(generated):
        name, text = corpus.article(i)
        (folder / name).write_text(text, encoding="utf-8")
    return corpus


def query_set(corpus: Corpus) -> dict[str, list[str]]:
    words = corpus.words  # most frequent first
    return {
        "seeds": SEED_QUERIES,
        "common word": words[:10],
        "mid word": words[300:310],
        "rare word": words[1500:1510],
        "two words": [f"{words[i]} {words[i + 300]}" for i in range(10)],
        "prefix": [w[:3] + "*" for w in words[100:110]],
        "phrase": [f'"{p}"' for p in PHRASES],
    }


async def stored(target: str | Path, folder: Path) -> Library:
    db = await connect(target)
    library = Library(db, folder)
    await library.sync()
    return library


async def compare(url: str, generated: int, limit: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        corpus = write_library(folder, generated)
        lite = await stored(Path(tmp) / "bench.sqlite3", folder)
        pg = await stored(url, folder)
        try:
            print(f"{len(lite.articles)} articles on SQLite, {len(pg.articles)} on PostgreSQL; top {limit} compared")
            print(f"{'queries':12} {'n':>3} {'matches':>9} {'same count':>11} {'same first':>11} {'top overlap':>12}")
            for kind, queries in query_set(corpus).items():
                same_count = same_first = answered = 0
                overlap = 0.0
                totals: list[int] = []
                for q in queries:
                    a = await lite.reading.search_quotes(q, limit=limit)
                    b = await pg.reading.search_quotes(q, limit=limit)
                    ids_a = [(h.article_id, h.quote.text) for _, h in a.hits]
                    ids_b = [(h.article_id, h.quote.text) for _, h in b.hits]
                    same_count += a.total == b.total and a.passage_total == b.passage_total
                    totals.append(a.total)
                    if ids_a or ids_b:
                        answered += 1
                        same_first += bool(ids_a and ids_b and ids_a[0] == ids_b[0])
                        overlap += len(set(ids_a) & set(ids_b)) / max(len(ids_a), len(ids_b))
                n = len(queries)
                first = f"{same_first}/{answered}" if answered else "-"
                shared = f"{overlap / answered:.0%}" if answered else "-"
                shown = "1,000+" if statistics.median(totals) > COUNT_CAP else f"{statistics.median(totals):g}"
                print(f"{kind:12} {n:>3} {shown:>9} {same_count:>8}/{n:<2} {first:>11} {shared:>12}")
        finally:
            for library in (lite, pg):
                library.close()
                await library.catalogue.repo.db.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ranking", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("BRIEFBOT_DATABASE_URL"),
        help="an empty PostgreSQL database (postgresql://...; default: BRIEFBOT_DATABASE_URL)",
    )
    parser.add_argument("--generated", type=int, default=200, help="synthetic articles besides the seeds")
    parser.add_argument("--limit", type=int, default=5, help="results compared per query")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("give --url or BRIEFBOT_DATABASE_URL")
    return asyncio.run(compare(args.url, args.generated, args.limit))


if __name__ == "__main__":
    sys.exit(main())
