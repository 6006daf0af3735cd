"""Quote search at scale: index build rate, database size, and search latency p50/p99.

    python -m bench.search [--sizes 10000 100000 1000000] [--queries 200]

For each size a fresh database (the bot's own schema and migrations) is filled with synthetic
quotations in batches of 1,000 quotations per article, through the same tables and triggers the
library writes, then the fixed query set runs through ``Reading.search_quotes`` (count, bm25
ranking, highlighting, the page's rows): common words, rare words, phrases and prefixes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import PHRASES, Corpus
from bot.library.service import Library
from bot.storage.db import connect
from bot.storage.pairs import index_pairs

BATCH = 1_000


def query_set(corpus: Corpus) -> dict[str, list[str]]:
    return {
        "common word": corpus.words[:10],
        "rare word": corpus.words[20_000:20_010],
        "phrase": [f'"{p}"' for p in PHRASES] + [f'"{corpus.words[i]} {corpus.words[i + 1]}"' for i in range(7)],
        "prefix": [w[:3] + "*" for w in corpus.words[100:110]],
        "two words": [f"{corpus.words[i]} {corpus.words[i + 40]}" for i in range(10)],
    }


async def build(path: Path, size: int, corpus: Corpus) -> tuple[float, Library]:
    db = await connect(path)

    start = time.perf_counter()
    done = 0
    article = 0
    while done < size:
        n = min(BATCH, size - done)
        ident = f"{article:016x}"
        published = f"20{10 + article % 15:02d}-01-01T00:00:00+00:00"
        await db.execute("BEGIN")
        await db.execute(
            "INSERT INTO articles (id, slug, content_hash, title, words, sort_time, added_at, updated_at) "
            "VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
            (ident, ident, ident, f"Synthetic {article}", published, published, published),
        )
        await db.executemany(
            "INSERT INTO quotes (article_id, position, text, speaker, context) VALUES (?, ?, ?, ?, ?)",
            [(ident, i, q.text, q.speaker, q.context) for i, q in enumerate(corpus.quotes(n))],
        )
        await index_pairs(db, "article_id = ?", (ident,))
        await db.execute("COMMIT")
        done += n
        article += 1
    await db.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")
    await db.execute("INSERT INTO quote_pairs (quote_pairs) VALUES ('optimize')")
    elapsed = time.perf_counter() - start
    library = Library(db, path.parent)
    await library.catalogue.refresh()
    return size / elapsed, library


async def measure(size: int, queries: dict[str, list[str]], corpus: Corpus, rounds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.sqlite3"
        rate, library = await build(path, size, corpus)
        await library.catalogue.repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6  # noqa: ASYNC240
        latencies: dict[str, list[float]] = {kind: [] for kind in queries}
        for _ in range(rounds):
            for kind, texts in queries.items():
                for text in texts:
                    t = time.perf_counter()
                    await library.reading.search_quotes(text, limit=5)
                    latencies[kind].append((time.perf_counter() - t) * 1000)
        await library.catalogue.repo.db.close()
    every = [x for xs in latencies.values() for x in xs]
    return {"size": size, "rate": rate, "db_mb": db_mb, "all": every, **latencies}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main_async(sizes: list[int], rounds: int) -> None:
    corpus = Corpus()
    queries = query_set(corpus)
    n_queries = sum(len(v) for v in queries.values()) * rounds
    print(f"{n_queries} searches per size ({rounds} rounds of {sum(len(v) for v in queries.values())} queries)")
    print(
        "| quotations | index build (quotations/s) | database | p50 all | p99 all | "
        + " | ".join(f"p99 {k}" for k in queries)
        + " |"
    )
    print("|---|---|---|---|---|" + "---|" * len(queries))
    for size in sizes:
        r = await measure(size, queries, Corpus(), rounds)
        cells = " | ".join(f"{pct(r[k], 99):.1f} ms" for k in queries)  # type: ignore[arg-type]
        print(
            f"| {size:,} | {r['rate']:,.0f} | {r['db_mb']:,.0f} MB | {pct(r['all'], 50):.1f} ms | "  # type: ignore[arg-type]
            f"{pct(r['all'], 99):.1f} ms | {cells} |",
            flush=True,
        )  # type: ignore[arg-type]
        del r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    asyncio.run(main_async(args.sizes, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
