"""A SQLite library moved into PostgreSQL (bot.storage.transfer, `briefbot migrate-db`): every table
copied, read back as the same domain objects, ids fresh afterwards; a non-empty target refused and a
failure rolled back, leaving the target empty."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import asyncpg
import pytest

from bot.core.periods import DAILY
from bot.library.service import Library
from bot.storage import transfer as transfer_module
from bot.storage.clock import utcnow
from bot.storage.db import SCHEMA_VERSION, connect, migrate, transaction
from bot.storage.digests import DigestRepository
from bot.storage.feeds import FeedRepository
from bot.storage.links import LinkRepository
from bot.storage.outbox import queue
from bot.storage.refusals import RefusalRepository
from bot.storage.requests import RequestRepository
from bot.storage.subscriptions import SubscriptionRepository
from bot.storage.transfer import TransferError, TransferRefused, transfer
from tests.support.clock import FakeClock

USER = 42


async def make_source_library(path: Path, articles_dir: Path) -> None:
    """A SQLite library with a row in every table: articles and their analyses, quotes and passages
    (the seeds), /history records, subscriptions with pending and delivered posts, a digest and the
    posts it holds, a feed and its item, a member's link and a refused page."""
    db = await connect(path)
    library = Library(db, articles_dir)
    try:
        await library.sync()
        ids = [r.id for r in library.articles]
        requests = RequestRepository(db)
        for command in ("brief", "quotes", "author"):
            await requests.record(user_id=USER, guild_id=1, channel_id=10, article_id=ids[0], command=command)
        subs = SubscriptionRepository(db)
        await subs.subscribe(guild_id=1, channel_id=10, keywords=["china"], user_id=USER, backfill=ids)
        [first] = await subs.claim(1, lease=60)
        assert await subs.delivered(first.id, message_id=777)  # one delivered, one still pending
        clock = FakeClock("2026-11-27T10:00:00+00:00")
        digest_subs = SubscriptionRepository(db, clock=clock)
        await digest_subs.subscribe(guild_id=1, channel_id=20, keywords=[], user_id=USER, digest=DAILY)
        async with transaction(db):
            await queue(db, [20], ids, utcnow(clock))
        clock.advance(86400)
        assert await DigestRepository(db, clock=clock).close() == 1
        feeds = FeedRepository(db)
        feed, _ = await feeds.add("https://example.org/feed.xml", 900)
        async with transaction(db):
            await feeds.record_item(
                feed.id, guid="g1", link="https://example.org/a", content_hash="h", article_id=ids[1]
            )
            await LinkRepository(db).record("https://example.org/b", ids[1], fetched_at=1_790_000_000.0)
        await RefusalRepository(db).refuse("file:huge.html", "over its time budget", now=1_790_000_000.0, base=60)
    finally:
        library.close()
        await db.close()
    with sqlite3.connect(path) as conn:  # what COPY's text form must escape, in the rows that have search vectors
        tricky = "a\tb\\c\nd\r\\N \\. 'quoted' é"
        conn.execute("UPDATE quotes SET context = context || ? WHERE id = (SELECT MIN(id) FROM quotes)", (tricky,))
        conn.execute("UPDATE passages SET text = ? || text WHERE id = (SELECT MIN(id) FROM passages)", (tricky,))


@pytest.fixture
async def source(tmp_path: Path, articles_dir: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    await make_source_library(path, articles_dir)
    return path


@pytest.fixture
async def target(postgres_server):
    """An empty database, not migrated (as `createdb` leaves it)."""
    async with postgres_server.database(template="template0") as url:
        yield url


def sqlite_tables(path: Path) -> set[str]:
    """The tables of the SQLite schema that hold data of their own (PRAGMA table_list: neither
    virtual nor an FTS5 shadow table, nor SQLite's own)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("PRAGMA table_list").fetchall()
    return {r[1] for r in rows if r[0] == "main" and r[2] == "table" and not r[1].startswith("sqlite_")}


async def pg_count(url: str, table: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(f'SELECT COUNT(*) FROM "{table}"')
    finally:
        await conn.close()


async def pg_rows_everywhere(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        names = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE'"
        )
        return {r[0]: await conn.fetchval(f'SELECT COUNT(*) FROM "{r[0]}"') for r in names if r[0] != "schema_version"}
    finally:
        await conn.close()


async def pg_indexes(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        return {r[0] for r in await conn.fetch("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()")}
    finally:
        await conn.close()


async def test_every_table_is_copied_row_for_row(source, target, postgres_server):
    report = await transfer(source, target)
    async with postgres_server.database() as migrated:  # the indexes, dropped for the copy, are all back
        assert await pg_indexes(target) == await pg_indexes(migrated)
    assert any("USING gin (search)" in d for d in await pg_indexes(target))
    tables = sqlite_tables(source)
    assert {t.table for t in report.tables} == tables  # none left out
    assert report.matches
    # The FTS5 indexes and their shadow tables are skipped, and named.
    skipped = {name for name, _ in report.skipped}
    assert {"quotes_fts", "passages_fts", "quote_pairs", "passage_pairs", "quotes_fts_data"} <= skipped
    assert not skipped & tables
    conn = await asyncpg.connect(target)
    try:
        with sqlite3.connect(source) as lite:
            for table in sorted(tables):
                columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
                cols = ", ".join(f'"{c}"' for c in columns)
                mine = sorted(map(tuple, lite.execute(f"SELECT {cols} FROM {table}")), key=repr)
                theirs = sorted((tuple(r) for r in await conn.fetch(f"SELECT {cols} FROM {table}")), key=repr)
                assert mine, f"the test library has no {table} row: add one to make_source_library"
                assert theirs == mine, table
            # SQLite's implicit rowid of analyses is PostgreSQL's rowid column (insertion order).
            rowids = sorted(r[0] for r in lite.execute("SELECT rowid FROM analyses"))
        assert sorted(r[0] for r in await conn.fetch("SELECT rowid FROM analyses")) == rowids
        # Every search vector built.
        assert await conn.fetchval("SELECT COUNT(*) FROM quotes WHERE search IS NULL") == 0
        assert await conn.fetchval("SELECT COUNT(*) FROM passages WHERE search IS NULL") == 0
        assert report.vectors["quotes"] == await conn.fetchval("SELECT COUNT(*) FROM quotes") > 0
    finally:
        await conn.close()


async def test_postgresql_reads_the_same_library(source, target, articles_dir):
    await transfer(source, target)
    lite, pg = await connect(source), await connect(target)
    old, new = Library(lite, articles_dir), Library(pg, articles_dir)
    try:
        for lib in (old, new):
            await lib.catalogue.refresh()
        assert new.articles == old.articles and len(new.articles) == 2
        for row in old.articles:
            assert await new.reading.brief(row, 3) == await old.reading.brief(row, 3)
        for keyword in ("connection", '"north korea"', "sanction*", "beijing"):
            found_old = await old.reading.search_quotes(keyword, limit=20)
            found_new = await new.reading.search_quotes(keyword, limit=20)
            assert found_new.total == found_old.total, keyword
            assert {h.quote for _, h in found_new.hits} == {h.quote for _, h in found_old.hits}, keyword
        assert (await new.reading.search_quotes("connection")).total >= 1
        assert await RequestRepository(pg).history(USER, 10) == await RequestRepository(lite).history(USER, 10)
        for repo in (SubscriptionRepository, DigestRepository):
            assert await repo(pg).counts() == await repo(lite).counts()
        assert await SubscriptionRepository(pg).for_guild(1) == await SubscriptionRepository(lite).for_guild(1)
        pending = await SubscriptionRepository(pg).due(10)
        assert pending == await SubscriptionRepository(lite).due(10) and len(pending) == 1
        assert await DigestRepository(pg).due(10) == await DigestRepository(lite).due(10)
        assert await FeedRepository(pg).all() == await FeedRepository(lite).all()
        # Sequences were reset: new rows get fresh ids past the copied ones.
        await RequestRepository(pg).record(user_id=USER, guild_id=1, channel_id=10, article_id="x", command="brief")
        feed, new_feed = await FeedRepository(pg).add("https://example.org/other.xml", 900)
        assert new_feed and feed.id == 2
        async with pg.execute("SELECT MAX(id), COUNT(DISTINCT id) FROM requests") as cur:
            assert tuple(await cur.fetchone()) == (4, 4)
    finally:
        old.close()
        new.close()
        await lite.close()
        await pg.close()


async def test_a_target_with_rows_is_refused_and_nothing_written(source, postgres_server):
    async with postgres_server.database() as url:  # migrated, as a bot started on it leaves it
        db = await connect(url)
        try:
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('mine', 'keep')")
        finally:
            await db.close()
        before = source.read_bytes()
        with pytest.raises(TransferRefused, match=r"not empty.*bot_state") as caught:
            await transfer(source, url)
        assert caught.value.status == 2
        assert await pg_rows_everywhere(url) == {**dict.fromkeys(await pg_rows_everywhere(url), 0), "bot_state": 1}
        assert source.read_bytes() == before


async def test_a_migrated_empty_target_is_accepted(source, postgres_server):
    async with postgres_server.database() as url:
        report = await transfer(source, url)
        assert report.matches and await pg_count(url, "articles") == 2


async def test_a_bad_row_midway_rolls_everything_back(source, target):
    with sqlite3.connect(source) as lite:  # a NUL in a text column: SQLite keeps it, PostgreSQL cannot
        lite.execute("UPDATE refused_pages SET reason = 'over' || char(0) || 'budget'")
    with pytest.raises(TransferError, match=r"refused_pages \(key='file:huge.html'\).*NUL") as caught:
        await transfer(source, target)
    assert caught.value.status == 1
    counts = await pg_rows_everywhere(target)
    assert counts["articles"] == 0 and set(counts.values()) == {0}  # articles were copied first, then rolled back


async def test_a_count_that_differs_rolls_back(source, target, monkeypatch):
    copy = transfer_module._copy_table

    async def loses_a_feed(src, conn, table, *args):
        total = await copy(src, conn, table, *args)
        if table.name == "feed_items":
            await conn.execute("DELETE FROM feed_items")
        return total

    monkeypatch.setattr(transfer_module, "_copy_table", loses_a_feed)
    with pytest.raises(TransferError, match="row counts differ") as caught:
        await transfer(source, target)
    report = caught.value.report
    assert report is not None and not report.matches
    assert any("feed_items" in line and "MISMATCH" in line for line in report.table())
    assert set((await pg_rows_everywhere(target)).values()) == {0}


async def test_an_older_source_is_migrated_first(tmp_path, target):
    path = tmp_path / "old.sqlite3"
    conn = await aiosqlite.connect(path)
    try:
        assert await migrate(conn, target=5) == 5  # as a briefbot of migration 0005 left it
        await conn.execute(
            "INSERT INTO articles (id, slug, content_hash, title, words, sort_time, added_at, updated_at) "
            "VALUES ('a1', 'a1', 'h1', 'Old', 3, 't', 't', 't')"
        )
        await conn.commit()
    finally:
        await conn.close()
    report = await transfer(path, target)
    assert report.source_version == (5, SCHEMA_VERSION) and report.matches
    assert await pg_count(target, "articles") == 1


async def test_a_missing_source_or_unreachable_target_is_refused(tmp_path, source):
    with pytest.raises(TransferRefused, match="no SQLite database"):
        await transfer(tmp_path / "nowhere.sqlite3", "postgresql://u:pw@127.0.0.1:1/db")
    assert not (tmp_path / "nowhere.sqlite3").exists()
    with pytest.raises(TransferRefused, match="cannot connect") as caught:
        await transfer(source, "postgresql://someone:hunter2-secret@127.0.0.1:1/db")
    assert "hunter2-secret" not in str(caught.value) and "***" in str(caught.value)


async def test_tables_are_ordered_parents_first(source):
    from bot.storage.sqlite import SqliteDatabase

    db = await SqliteDatabase.open(source)
    try:
        tables, _ = await transfer_module._source_tables(db)
    finally:
        await db.close()
    order = [t.name for t in tables]
    for child, parent in [("quotes", "articles"), ("feed_items", "feeds"), ("deliveries", "digests")]:
        assert order.index(parent) < order.index(child)
