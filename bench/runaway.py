"""Runaway pages: what hostile pages cost, and what ordinary HTML files cost to ingest.

    python -m bench.runaway [--pages 200] [--limit 60] [--skip-attacks] [--skip-memory]

1. Attacks, each page extracted once in a process of its own (killed after --limit seconds, shown
   as "over N s"): a page with thousands of distinct JSON-LD authors, one meta tag with 16,000
   names, and a page of links (trafilatura's own time grows faster than the page).
2. Memory: four 5 MB article pages at once through the feed poller, from a local HTTP server; the
   peak resident memory of this process (the bot's) and, where pages are extracted in workers, the
   largest worker's.
3. Cold ingest of --pages ordinary HTML article files (bench/corpus.py text in a news page): a first
   sync into an empty database, pages per second.

Run it in two checkouts one after the other to compare code before and after a change; each
figure is the best of --repeat.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import Corpus

PARAGRAPH = (
    "The harbour board approved a new plan on Monday that will reshape the waterfront over the next decade, "
    "with new quays, a ferry terminal and a public park where the old warehouses now stand."
)


def names(n: int) -> list[str]:
    firsts = ["Anna", "Ben", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugo", "Ivy", "Jon", "Kai", "Lea"]
    letters = "bcdfghklmnprstvz"
    return [
        f"{firsts[i % len(firsts)]} "
        + "".join(letters[(i // 16**k) % 16] + "aeiou"[(i + k) % 5] for k in range(4)).title()
        for i in range(n)
    ]


def news_page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{head}</head>"
        f"<body><nav><a href='/'>Home</a></nav><main><article><h1>{html.escape(title)}</h1>{body}</article></main>"
        "<footer>Harbour Times</footer></body></html>"
    )


def jsonld_page(n: int) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour plan",
            "author": [{"@type": "Person", "name": x} for x in names(n)]}  # fmt: skip
    return news_page("Harbour plan", [PARAGRAPH] * 5, f'<script type="application/ld+json">{json.dumps(data)}</script>')


def meta_page(n: int) -> str:
    return news_page("Harbour plan", [PARAGRAPH] * 5, f'<meta name="author" content="{", ".join(names(n))}">')


def links_page(size: int) -> str:
    row = "<p>" + "<span>harbour</span> <a href='/x'>plan</a> " * 5 + "</p>\n"
    return (
        "<html><head><title>Links</title></head><body><article><h1>Harbour</h1>"
        + row * (size // len(row))
        + "</article></body></html>"
    )


def _extract(page: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from bot.sources.pages import raw_from_html

    started = time.perf_counter()
    try:
        raw_from_html(page.encode())
        outcome = "ok"
    except Exception as exc:  # the page may be refused: that is an outcome too
        outcome = f"refused ({exc})"[:80]
    out.put((time.perf_counter() - started, outcome))


def attack(page: str, limit: float) -> str:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    process = ctx.Process(target=_extract, args=(page, out))
    process.start()
    process.join(limit + 10)  # imports included
    if process.is_alive():
        process.kill()
        process.join()
        return f"over {limit:.0f} s"
    seconds, outcome = out.get()
    return f"{seconds:.2f} s ({outcome})"


async def memory(pages: int, size: int) -> tuple[float, float, float, str]:
    """(resident MB before, peak resident MB of this process, peak MB of the largest worker)."""
    from aiohttp import web

    from bot.library.feeds import FeedPoller
    from bot.library.service import Library
    from bot.sources.fetch import Fetcher
    from bot.storage.db import connect
    from bot.storage.feeds import FeedRepository

    corpus = Corpus(seed=7)
    bodies = {}
    for i in range(pages):
        paragraphs: list[str] = []
        while sum(len(p) for p in paragraphs) < size * 0.97:
            paragraphs.append(" ".join(corpus.sentence() for _ in range(8)))
        bodies[f"/p{i}"] = news_page(f"Long story {i}", paragraphs).encode()[:size]
    items = "".join(
        f"<item><title>Long story {i}</title><link>{{base}}/p{i}</link><guid>p{i}</guid></item>" for i in range(pages)
    )

    async def handle(request: web.Request) -> web.Response:
        if request.path == "/feed.xml":
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
            return web.Response(body=feed.replace("{base}", base).encode(), content_type="application/rss+xml")
        return web.Response(body=bodies[request.path], content_type="text/html")

    app = web.Application(client_max_size=0)
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        db = await connect(Path(tmp) / "db.sqlite3")
        library = Library(db, folder)
        await library.sync()
        import trafilatura  # noqa: F401

        import bot.sources.pages  # noqa: F401 - what the bot has loaded before its first feed page

        before = _rss("VmRSS:")
        fetcher = Fetcher(allow_private=True, timeout=120)
        poller = FeedPoller(FeedRepository(db), library, fetcher, max_page_bytes=size + 1)
        await poller.repo.add(base + "/feed.xml", 900)
        peaks: list[float] = []
        watching = True

        async def watch() -> None:
            while watching:
                peaks.append(_workers_rss())
                await asyncio.sleep(0.02)

        watcher = asyncio.create_task(watch())
        [result] = await poller.poll_due()
        watching = False
        await watcher
        outcome = f"{len(result.added)} added" + (
            f", {len(result.skipped)} refused: {result.skipped[0][1]}" if result.skipped else ""
        )
        peak = _rss("VmHWM:")
        if hasattr(library, "close"):
            library.close()
        await fetcher.close()
        await db.close()
    await runner.cleanup()
    return before, peak, max(peaks, default=0.0), outcome


def _rss(field: str, pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers_rss() -> float:
    """The largest resident memory among this process's children, in MB."""
    import os

    best = 0.0
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                best = max(best, _rss("VmRSS:", child))
            except OSError:
                continue
    return best


async def ingest(pages: int) -> float:
    """Seconds for a first sync of ``pages`` HTML files into an empty database."""
    from bot.library.service import Library
    from bot.storage.db import connect

    corpus = Corpus(seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(pages):
            _name, text = corpus.article(i)
            title, *paragraphs = [p for p in text.split("\n\n") if p.strip()]
            (folder / f"{i:05d}.html").write_text(news_page(title, paragraphs))
        db = await connect(Path(tmp) / "db.sqlite3")
        library = Library(db, folder)
        started = time.perf_counter()
        report = await library.sync()
        seconds = time.perf_counter() - started
        assert len(report.added) == pages, report.skipped[:3]
        if hasattr(library, "close"):
            library.close()
        await db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200, help="HTML files for the cold ingest")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds an attack may take before it is stopped")
    parser.add_argument("--skip-attacks", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not args.skip_attacks:
        for label, page in (
            ("JSON-LD, 1,000 distinct authors", jsonld_page(1_000)),
            ("JSON-LD, 3,000 distinct authors", jsonld_page(3_000)),
            ("one meta tag, 16,000 names", meta_page(16_000)),
            ("links, 500 KB", links_page(500_000)),
        ):
            print(f"attack: {label} ({len(page) / 1000:,.0f} KB): {attack(page, args.limit)}", flush=True)
    if not args.skip_memory:
        before, peak, worker, outcome = asyncio.run(memory(4, 5_000_000))
        print(
            f"memory: four 5 MB pages at once: this process {before:.0f} MB before, peak {peak:.0f} MB; "
            f"largest worker {worker:.0f} MB; {outcome}",
            flush=True,
        )
    best = min(asyncio.run(ingest(args.pages)) for _ in range(args.repeat))
    print(
        f"cold ingest: {args.pages} HTML files in {best:.2f} s, {args.pages / best:.1f} files/s (best of {args.repeat})"
    )
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
