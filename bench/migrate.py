"""Time to move a SQLite library into PostgreSQL (`briefbot migrate-db`, bot.storage.transfer).

    python -m tests.support.postgres python -m bench.migrate --articles 10000   # a throwaway server
    python -m bench.migrate --articles 10000 --url postgresql://user@host/empty_db

A synthetic library of ``--articles`` articles is stored in SQLite: ``--analysed`` of them
(bench/corpus.py, default 500) through the bot's own ingest (Library.sync: analyses, quotes,
passages, terms, raw text), the rest as copies of those with ids, slugs and hashes of their own
(the same rows and sizes: analysing 10,000 articles would take most of an hour on two cores), and a
delivered outbox row and a /history record per article besides. Then it is copied into the empty
PostgreSQL database at ``--url`` (default BRIEFBOT_DATABASE_URL) as `briefbot migrate-db` copies it.
Printed: the time to build the library (not part of the figure), then the copy's time per step,
each until its last batch (the first includes connecting and migrating), and in all.
``--workdir DIR`` keeps the SQLite library there and reuses it on the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import Corpus
from bot.library.service import Library
from bot.storage.db import connect
from bot.storage.transfer import transfer


def write_corpus(folder: Path, articles: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed=articles)
    for i in range(articles):
        name, text = corpus.article(i)
        (folder / name).write_text(text, encoding="utf-8")


# Columns that name an article (or its content) in the tables each article has rows in: a clone's
# values get a suffix there, so it is an article of its own.
CLONED = {
    "articles": ("id", "slug", "source_path", "content_hash"),
    "analyses": ("content_hash",),
    "raw_articles": ("content_hash",),
    "article_terms": ("article_id",),
    "quotes": ("article_id",),
    "passages": ("article_id",),
}


def clone(path: Path, copies: int) -> None:
    """Every article stored ``copies`` more times, as articles of their own (ids, slugs, hashes with a
    suffix), rows and all: a big library without analysing every article of it."""
    with sqlite3.connect(path) as conn:
        for table, renamed in CLONED.items():
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id" or table == "articles"]
            key = renamed[0]
            for k in range(1, copies + 1):
                picked = ", ".join(f"{c} || '~{k}'" if c in renamed else c for c in columns)
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picked} FROM {table} "
                    f"WHERE {key} NOT LIKE '%~%'"
                )


async def build(folder: Path, path: Path) -> None:
    """The SQLite library at ``path`` from the articles in ``folder``, through the bot's ingest."""
    db = await connect(path)
    library = Library(db, folder)
    try:
        await library.sync()
    finally:
        library.close()
        await db.close()


def add_outbox_and_history(path: Path) -> None:
    """A delivered post and a /history record for every article: the outbox of a library in use."""
    with sqlite3.connect(path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        conn.execute(
            "INSERT INTO subscriptions (channel_id, guild_id, created_by, created_at) "
            "VALUES (1000, 1, 7, '2026-11-28T00:00:00+00:00')"
        )
        conn.executemany(
            "INSERT INTO deliveries (channel_id, article_id, status, message_id, created_at, delivered_at) "
            "VALUES (1000, ?, 'delivered', ?, '2026-11-28T00:00:00+00:00', '2026-11-28T00:00:01+00:00')",
            [(a, n) for n, a in enumerate(ids)],
        )
        conn.executemany(
            "INSERT INTO requests (user_id, guild_id, channel_id, article_id, command, created_at) "
            "VALUES (?, 1, 1000, ?, 'brief', '2026-11-28T00:00:00+00:00')",
            [(n % 97, a) for n, a in enumerate(ids)],
        )


async def copy(path: Path, url: str) -> int:
    finished: dict[str, float] = {}
    started = time.perf_counter()

    def progress(table: str, done: int, total: int) -> None:
        if done == total:
            finished[table] = time.perf_counter()

    cpu = time.process_time()
    report = await transfer(path, url, progress=progress)
    cpu = time.process_time() - cpu
    print(f"{'step':24} {'rows':>10} {'seconds':>8}")
    last = started
    for step, at in finished.items():
        rows = next((t.source for t in report.tables if t.table == step), None)
        if rows is None:
            rows = report.vectors.get(step.split()[0], 0)
        print(f"{step:24} {rows:>10,} {at - last:>8.2f}")
        last = at
    rows = sum(t.source for t in report.tables)
    print(f"migrate-db: {rows:,} rows in {report.seconds:.1f} s ({rows / report.seconds:,.0f} rows/s), counts match")
    print(f"CPU time of this process (reading SQLite, converting, search vectors): {cpu:.1f} s")
    return 0 if report.matches else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.migrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the library (default 10000)")
    parser.add_argument(
        "--url",
        default=os.environ.get("BRIEFBOT_DATABASE_URL"),
        help="an empty PostgreSQL database (postgresql://...; default: BRIEFBOT_DATABASE_URL)",
    )
    parser.add_argument(
        "--analysed",
        type=int,
        default=500,
        help="articles analysed by the bot's ingest; the rest are copies of them (default 500)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the SQLite library here, and reuse it")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("give --url or BRIEFBOT_DATABASE_URL (python -m tests.support.postgres python -m bench.migrate)")
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return measure(args.url, args.articles, args.workdir, args.analysed)
    with tempfile.TemporaryDirectory() as tmp:
        return measure(args.url, args.articles, Path(tmp), args.analysed)


def measure(url: str, articles: int, workdir: Path, analysed: int) -> int:
    path = workdir / f"library-{articles}.sqlite3"
    built = 0.0
    if not path.exists():
        analysed = min(analysed, articles)
        write_corpus(workdir / f"articles-{articles}", analysed)
        started = time.perf_counter()
        asyncio.run(build(workdir / f"articles-{articles}", path))
        clone(path, -(-articles // analysed) - 1)
        add_outbox_and_history(path)
        built = time.perf_counter() - started
    print(f"SQLite library of {articles:,} articles ({analysed:,} analysed, the rest copies of them): ", end="")
    print(f"{path.stat().st_size / 2**20:,.0f} MB", end="")
    print(f", built in {built:,.0f} s" if built else " (reused)", flush=True)
    return asyncio.run(copy(path, url))


if __name__ == "__main__":
    sys.exit(main())
