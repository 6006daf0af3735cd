"""Where a cold ingest's time goes: analysis against storing, and what each search index costs.

    python -m bench.ingest [--articles 300] [--postgresql [URL]]

Analyses synthetic articles (bench/corpus.py) on one core, then stores the same analyses into a
fresh database several times: as the bot does, and with one full-text index left out each time.
The difference from the full store is that index's share of the writing. Figures are per article
and measured in the same run (each store the best of --repeat), so their ratios hold on a busy
machine. With --postgresql, the same store on PostgreSQL (a throwaway server, or the one at URL),
and the client's own CPU per article, the share of the store that is briefbot's Python.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.backends import PostgresDatabases, postgres_server
from bench.corpus import Corpus
from bot.analysis.engine import ANALYSIS_VERSION
from bot.analysis.parsing import article_id
from bot.core.models import Analysis, Article, RawArticle
from bot.core.text import slugify
from bot.library.ingest import analyse_raw
from bot.sources.files import parse_article_bytes
from bot.storage import articles as articles_module
from bot.storage.articles import ArticleRepository
from bot.storage.db import connect, migrate
from bot.storage.pairs import index_pairs

# What each variant leaves out: triggers dropped (the FTS5 indexes) or the word-pair indexer skipped.
VARIANTS: dict[str, tuple[tuple[str, ...], bool]] = {
    "as the bot stores": ((), True),
    "without passage full-text index": (("passages_fts_insert",), True),
    "without word-pair indexes": ((), False),
    "without quotation full-text index": (("quotes_fts_insert",), True),
    "without any search index": (("passages_fts_insert", "quotes_fts_insert"), False),
}


async def _store_all(repo: ArticleRepository, analysed: list[tuple[RawArticle, Article, Analysis]]) -> None:
    for start in range(0, len(analysed), 32):
        async with repo.batch():
            for raw, article, analysis in analysed[start : start + 32]:
                ident = article_id(article.content_hash)
                article = replace(article, id=ident, slug=f"{slugify(article.title)}-{ident[:6]}")
                await repo.save(article, analysis, ANALYSIS_VERSION, file_size=1, file_mtime_ns=1, raw=raw)


async def store_postgresql(
    analysed: list[tuple[RawArticle, Article, Analysis]], pg: PostgresDatabases
) -> tuple[float, float, float]:
    """Seconds per article to store everything on PostgreSQL, this process's CPU seconds per
    article, and the database's size in MB."""
    db = await connect(await pg.create(len(analysed)))
    try:
        await migrate(db)
        t, cpu = time.perf_counter(), time.process_time()
        await _store_all(ArticleRepository(db), analysed)
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    finally:
        await db.close()
    return seconds / len(analysed), cpu / len(analysed), await pg.size_mb(len(analysed))


async def store(
    analysed: list[tuple[RawArticle, Article, Analysis]], drop: tuple[str, ...], pairs: bool
) -> tuple[float, int]:
    """Seconds per article to store everything (with its raw text) in chunks of 32, and the database's size."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ingest.sqlite3"
        db = await connect(path)
        try:
            await migrate(db)
            for trigger in drop:
                await db.execute(f"DROP TRIGGER {trigger}")
            repo = ArticleRepository(db)
            if not pairs:

                async def no_pairs(db: object, where: str, params: tuple[object, ...], stems: object = None) -> None:
                    return None

                articles_module.index_pairs = no_pairs  # type: ignore[assignment]
            t = time.perf_counter()
            await _store_all(repo, analysed)
            seconds = (time.perf_counter() - t) / len(analysed)
        finally:
            articles_module.index_pairs = index_pairs
            await db.close()
        return seconds, path.stat().st_size if path.exists() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="store each variant this many times; the best counts")
    parser.add_argument(
        "--postgresql",
        nargs="?",
        const="",
        metavar="URL",
        help="also store on PostgreSQL: the server at URL, or a throwaway one (needs initdb and pg_ctl)",
    )
    args = parser.parse_args(argv)
    corpus = Corpus(seed=args.articles)
    raws = []
    for i in range(args.articles):
        name, text = corpus.article(i)
        raws.append(parse_article_bytes(text.encode(), ".txt", source_path=name))
    t = time.perf_counter()
    analysed = [analyse_raw(raw) for raw in raws]
    analyse_ms = (time.perf_counter() - t) / len(raws) * 1000  # once: the cache is not in play
    print(f"{args.articles} synthetic articles, {sum(a.words for a, _ in analysed) / len(analysed):.0f} words each")
    print(f"analysis (one core): {analyse_ms:.1f} ms an article")
    print()
    print("| storing (one transaction per 32) | ms an article | share of the full store | database per article |")
    print("|---|---|---|---|")
    full = None
    for name, (drop, pairs) in VARIANTS.items():
        with_raw = [(raw, a, b) for raw, (a, b) in zip(raws, analysed, strict=True)]
        seconds, size = min(asyncio.run(store(with_raw, drop, pairs)) for _ in range(args.repeat))
        full = full or seconds
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / full:.2f} | {size / len(analysed) / 1024:.0f} KB |")
    if args.postgresql is not None:
        with_raw = [(raw, a, b) for raw, (a, b) in zip(raws, analysed, strict=True)]
        with postgres_server(args.postgresql or None) as pg:
            seconds, cpu, mb = min(asyncio.run(store_postgresql(with_raw, pg)) for _ in range(args.repeat))
        print()
        print(
            "| storing on PostgreSQL (one transaction per 32) | ms an article | this process's CPU, ms an article "
            "| against SQLite's full store | database per article |"
        )
        print("|---|---|---|---|---|")
        print(
            f"| as the bot stores | {seconds * 1000:.1f} | {cpu * 1000:.1f} | × {seconds / full:.2f} "
            f"| {mb * 1024 / len(analysed):.0f} KB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
