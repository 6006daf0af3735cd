"""The Library as the bot and the terminal build it: its parts composed, and what its sync does once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest


async def test_seeds_load(library):
    titles = {r.title for r in library.articles}
    assert titles == {
        "Warning: Is China Pivoting Back to North Korea?",
        "North Korea’s Defiance May Reshape China’s Strategic Calculus",
    }
    row = library.catalogue.resolve("warning-is-china-pivoting-back-to-north-korea")
    brief = await library.reading.brief(row, 3)
    assert brief.article.author.name == "Joel Wuthnow"


async def test_the_parts_share_one_catalogue_one_repository_and_one_pool(library):
    assert library.reading.catalogue is library.catalogue is library.ingest.catalogue is library.files.catalogue
    assert library.ingest.repo is library.catalogue.repo
    assert library.ingest.pages is library.pages
    assert library.articles is library.catalogue.articles


async def test_the_first_sync_backfills_pairs_and_reanalyses_once_per_process(db, articles_dir, monkeypatch):
    from bot.library.service import Library

    calls = []

    async def counting(db):
        calls.append("pairs")
        return 0

    monkeypatch.setattr("bot.library.service.backfill_pairs", counting)
    lib = Library(db, articles_dir)
    real = lib.ingest.reanalyse

    async def reanalyse(report):
        calls.append("reanalyse")
        await real(report)

    monkeypatch.setattr(lib.ingest, "reanalyse", reanalyse)
    try:
        await lib.sync()
        await lib.sync()
        assert calls == ["pairs", "reanalyse"]
    finally:
        lib.close()


async def test_a_file_added_is_queued_for_subscribers_by_the_library_the_terminal_builds(db, articles_dir):
    """The terminal and the bot build the same Library from the database: fan-out is not optional."""
    from bot.library.service import Library
    from bot.storage.subscriptions import SubscriptionRepository
    from tests.bot.library.conftest import ARTICLE

    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)
    lib = Library(db, articles_dir)
    try:
        await lib.sync()
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        report = await lib.sync()
        assert report.queued == 1
        assert await SubscriptionRepository(db).due(5) != []
    finally:
        lib.close()


# Several processes on one PostgreSQL database: each "process" here is a Database and a Library of its
# own (its own pool, lock and listening connections), as two bot processes would have.

SHARED = pytest.mark.parametrize("backend", ["postgresql"])


async def _eventually(check, seconds: float = 2.0) -> bool:
    """Whether ``check()`` becomes true within ``seconds`` (polled every 20 ms)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@contextlib.asynccontextmanager
async def _processes(database, articles_dir, n: int = 2):
    from bot.library.service import Library
    from bot.storage.db import connect

    dbs = [await connect(database) for _ in range(n)]
    libs = [Library(db, articles_dir) for db in dbs]
    try:
        yield libs
    finally:
        for lib in libs:
            lib.close()
        for db in dbs:
            await db.close()


@SHARED
async def test_one_process_ingests_and_another_sees_its_new_and_retired_articles_within_seconds(
    database, articles_dir, caplog
):
    from tests.bot.library.conftest import ARTICLE

    caplog.set_level(logging.INFO)
    async with _processes(database, articles_dir) as (a, b):
        first = await a.sync()
        assert len(first.added) == 2 and await a.ingesting()
        assert "took the lock library-ingest" in caplog.text
        skipped = await b.sync()  # the lock is a's: b reads what a stored, scans nothing
        assert not skipped.added and not skipped.changed and not await b.ingesting()
        assert {r.id for r in b.articles} == {r.id for r in a.articles}
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        b_syncs = 0
        real_sync = b.files.sync

        async def counted(settled=False):
            nonlocal b_syncs
            b_syncs += 1
            return await real_sync(settled)

        b.files.sync = counted
        added = await a.sync()
        [new_id] = added.added
        assert await _eventually(lambda: b.catalogue.by_id(new_id) is not None)  # heard, not scanned
        assert b.catalogue.resolve("Harbour Plan Approved").id == new_id
        assert [r.id for r in b.catalogue.suggest("harbour")] == [new_id]  # autocomplete too
        (articles_dir / "harbour.txt").unlink()
        retired = await a.sync()
        assert retired.retired == [new_id]
        assert await _eventually(lambda: b.catalogue.by_id(new_id) is None)
        assert b.catalogue.suggest("harbour") == []
        assert b_syncs == 0


@SHARED
async def test_a_process_without_the_lock_stores_nothing_from_the_folder_or_the_feeds(database, articles_dir):
    """Would fail if the lock were ignored: b finds the new file first, yet a stores it."""
    from bot.library.feeds import FeedPoller
    from bot.sources.fetch import Fetcher
    from bot.storage.feeds import FeedRepository
    from tests.bot.library.conftest import ARTICLE

    async with _processes(database, articles_dir) as (a, b):
        await a.sync()
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        report = await b.sync()
        assert report.added == [] and report.queued == 0
        assert b.catalogue.resolve("Harbour Plan Approved") is None
        fetcher = Fetcher(allow_private=True)
        try:
            poller = FeedPoller(FeedRepository(b.db), b, fetcher)
            await poller.repo.add("http://127.0.0.1:9/feed.xml", 900)  # due now
            assert await poller.start_due() == []  # a polls the feeds, not b
        finally:
            await fetcher.close()
        added = (await a.sync()).added
        assert [a.catalogue.by_id(i).title for i in added] == ["Harbour Plan Approved"]


@SHARED
async def test_when_the_ingesting_process_dies_another_takes_the_lock_at_its_next_poll(database, articles_dir, caplog):
    from tests.bot.library.conftest import ARTICLE

    caplog.set_level(logging.INFO)
    async with _processes(database, articles_dir) as (a, b):
        await a.sync()
        await b.sync()
        assert not await b.ingesting()
        # a's process dies: its lock's connection is gone, and the server releases the lock.
        pid = a._lease._conn.get_server_pid()
        await b.db.execute("SELECT pg_terminate_backend(?)", (pid,))
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        for _ in range(100):  # the server ends the backend asynchronously
            report = await b.sync()
            if report.added:
                break
            await asyncio.sleep(0.05)
        assert [b.catalogue.by_id(i).title for i in report.added] == ["Harbour Plan Approved"]
        assert not await a.ingesting()  # a (still alive here) finds out at its next poll
        assert "lost the lock library-ingest" in caplog.text
        assert (await a.sync()).added == []
        assert await _eventually(lambda: a.catalogue.resolve("Harbour Plan Approved") is not None)


@SHARED
async def test_a_burst_of_notifications_makes_one_refresh_and_a_library_ignores_its_own(database, articles_dir):
    from bot.storage.articles import LIBRARY_CHANNEL
    from bot.storage.db import transaction

    async with _processes(database, articles_dir) as (a, b):
        await a.sync()
        await b.sync()
        refreshes = 0
        real = b.catalogue.refresh

        async def counted():
            nonlocal refreshes
            refreshes += 1
            await real()

        b.catalogue.refresh = counted
        async with transaction(a.db):  # twenty changes, heard together at the commit
            for i in range(20):
                await a.db.notify(LIBRARY_CHANNEL, f"elsewhere-{i}")
        assert await _eventually(lambda: refreshes >= 1)
        await asyncio.sleep(0.5)
        assert refreshes == 1
        b.coalesce_seconds = 1.5  # five changes a moment apart, within the window: one refresh
        for i in range(5):
            await a.db.notify(LIBRARY_CHANNEL, f"later-{i}")
            await asyncio.sleep(0.05)
        assert await _eventually(lambda: refreshes >= 2, 5.0)
        await asyncio.sleep(0.5)
        assert refreshes == 2
        b.coalesce_seconds = 0.2
        await a.db.notify(LIBRARY_CHANNEL, b.catalogue.repo.origin)  # b's own change: refreshed already
        await asyncio.sleep(0.6)
        assert refreshes == 2


@SHARED
async def test_a_missed_notification_is_made_up_for_by_the_next_poll(database, articles_dir):
    """The fallback: a process that did not hear a change (its listener was down) refreshes at its
    next poll, because the articles table changed; an unchanged table is not read again."""
    from tests.bot.library.conftest import ARTICLE

    async with _processes(database, articles_dir) as (a, b):
        await a.sync()
        await b.sync()
        await b._listener.close()  # deaf from now on
        refreshes = 0
        real = b.catalogue.refresh

        async def counted():
            nonlocal refreshes
            refreshes += 1
            await real()

        b.catalogue.refresh = counted
        await b.sync()
        assert refreshes == 0  # nothing changed
        (articles_dir / "harbour.txt").write_text(ARTICLE)
        [new_id] = (await a.sync()).added
        await asyncio.sleep(0.5)
        assert b.catalogue.by_id(new_id) is None  # not heard
        await b.sync()
        assert refreshes == 1 and b.catalogue.by_id(new_id) is not None
