"""Runaway pages: extraction in killable worker processes with a time and memory budget, refusals
recorded and retried with backoff, and a bot that starts and stops whatever its folder holds.

The hostile pages here are real: trafilatura's time grows faster than the page on markup made of
links (400 KB takes several seconds, 5 MB over ten minutes), and a large plain page needs memory in
proportion. Budgets are set small through constructor parameters, so the tests stay fast."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from bot.library.ingest import page_pool
from bot.library.service import Library
from bot.library.workers import KillablePool, PoolClosed, TaskRefused
from bot.storage.refusals import RefusalRepository

PARAGRAPH = (
    "The harbour board approved a new plan on Monday that will reshape the waterfront over the next decade, "
    "with new quays, a ferry terminal and a public park where the old warehouses now stand."
)


def slow_page(size: int = 400_000) -> str:
    """A page of links that trafilatura takes seconds over (time grows faster than its size)."""
    row = "<p>" + "<span>harbour</span> <a href='/x'>plan</a> " * 5 + "</p>\n"
    return (
        "<html><head><title>Links</title></head><body><article><h1>Harbour links</h1>"
        + row * (size // len(row))
        + "</article></body></html>"
    )


def big_page(size: int) -> str:
    """A plain article page of about ``size`` bytes (memory grows with it: 5 MB needs ~130 MB)."""
    row = f"<p>{PARAGRAPH}</p>\n"
    return (
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour plan</h1>"
        + row * (size // len(row))
        + "</article></body></html>"
    )


def spin() -> None:
    while True:
        pass


def allocate(size: int) -> int:
    return len(bytearray(size))


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


# --- the pool -------------------------------------------------------------------------------------


async def test_a_task_over_its_time_is_killed_and_the_next_gets_a_fresh_worker():
    pool = KillablePool(1)
    try:
        first = await pool.run(os.getpid, seconds=30)
        started = time.monotonic()
        with pytest.raises(TaskRefused, match=r"took more than 0\.3 s"):
            await pool.run(spin, seconds=0.3)
        assert time.monotonic() - started < 3
        assert pool.killed == 1
        second = await pool.run(os.getpid, seconds=30)
        assert second != first  # the spinning worker is gone
    finally:
        pool.close()


async def test_a_task_over_its_memory_is_refused():
    pool = KillablePool(1, memory_bytes=50_000_000)
    try:
        with pytest.raises(TaskRefused, match="needed more than 50 MB"):
            await pool.run(allocate, 200_000_000, seconds=30)
        assert await pool.run(allocate, 20_000_000, seconds=30) == 20_000_000
    finally:
        pool.close()


async def test_concurrent_tasks_are_bounded_by_the_pool_size():
    pool = KillablePool(2)
    try:
        await asyncio.gather(*(pool.run(os.getpid, seconds=30) for _ in range(2)))  # start both workers
        started = time.monotonic()
        pids = await asyncio.gather(*(pool.run(pid_after, 0.3, seconds=30) for _ in range(4)))
        elapsed = time.monotonic() - started
        assert len(set(pids)) == 2 and elapsed >= 0.6  # two at a time, never four
    finally:
        pool.close()


async def test_close_kills_a_running_task_at_once():
    pool = KillablePool(1)
    task = asyncio.ensure_future(pool.run(spin, seconds=600))
    await asyncio.sleep(1.5)  # the worker starts and spins
    assert pool.workers == 1
    started = time.monotonic()
    pool.close()
    with pytest.raises(PoolClosed, match="stopping"):
        await task
    assert time.monotonic() - started < 2
    assert pool.workers == 0


# --- the library ----------------------------------------------------------------------------------


async def test_a_page_over_its_time_is_refused_recorded_and_retried_later(db, articles_dir, caplog):
    """A hostile .html in the folder costs one budget, not one per poll or per restart; it is tried
    again after its backoff, and at once when the file changes."""
    (articles_dir / "links.html").write_text(slow_page())
    library = Library(db, articles_dir, page_seconds=1.0, retry_base=3600)
    try:
        started = time.monotonic()
        report = await library.sync()
        assert time.monotonic() - started < 8  # the page alone takes several seconds more than its budget
        [(path, reason)] = report.skipped
        assert path == "links.html" and "took more than 1 s" in reason and "next try in 3600 s" in reason
        assert len(library.articles) == 2  # the seeds
        assert "skipped links.html: page refused" in caplog.text
        refusal = await RefusalRepository(db).get("file:links.html")
        assert refusal is not None and refusal.failures == 1

        library.files._last_full_scan = float("-inf")  # the next poll compares every file
        assert (await library.sync()).skipped == []  # not read again at the next poll
        assert library.pages.killed == 1
    finally:
        library.close()

    again = Library(db, articles_dir, page_seconds=1.0, retry_base=3600)  # a restart
    try:
        assert (await again.sync()).skipped == []
        assert again.pages.killed == 0
        await db.execute("UPDATE refused_pages SET retry_at = 0")  # its retry time has come
        again.files._refused = None
        again.files._last_full_scan = float("-inf")
        [(_, reason)] = (await again.sync()).skipped
        assert "refusal 2; next try in 7200 s" in reason  # the backoff doubles
        (articles_dir / "links.html").write_text(big_page(20_000))  # the file changes: read at once, and fine
        report = await again.sync()
        assert report.skipped == [] and len(report.added) == 1
        assert await RefusalRepository(db).get("file:links.html") is None
    finally:
        again.close()


async def test_a_page_over_its_memory_is_refused(db, articles_dir):
    (articles_dir / "big.html").write_text(big_page(3_000_000))
    (articles_dir / "small.html").write_text(big_page(20_000))
    library = Library(db, articles_dir, pages=page_pool(memory_bytes=60_000_000), max_bytes=4_000_000)
    try:
        report = await library.sync()
        assert [(p, r) for p, r in report.skipped if "needed more than 60 MB of memory" not in r] == []
        assert [p for p, _ in report.skipped] == ["big.html"]
        assert library.catalogue.resolve("small.html") is not None
    finally:
        library.close()


async def test_html_files_are_never_extracted_in_the_bots_own_process(db, articles_dir, monkeypatch):
    """Even one page (a small sync, where files are read in threads): in a worker that can be killed."""
    from bot.sources import pages as web

    def not_here(*args, **kwargs):
        raise AssertionError("a page was extracted in the bot's own process")

    monkeypatch.setattr(web, "read_page", not_here)  # the spawned workers have the real one
    (articles_dir / "small.html").write_text(big_page(20_000))
    library = Library(db, articles_dir)
    try:
        report = await library.sync()
        assert not report.skipped and library.catalogue.resolve("small.html") is not None
    finally:
        library.close()
