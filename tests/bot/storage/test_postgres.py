"""The PostgreSQL backend against a real server (tests/support/postgres.py): placeholders, rows,
transactions on connections of their own, migrations once for processes started together, and an
address whose password is never shown."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.storage.database import migrations
from bot.storage.db import SCHEMA_VERSION, connect, transaction
from bot.storage.postgres import PostgresDatabase, numbered
from bot.storage.subscriptions import SubscriptionRepository


@pytest.fixture
def backend() -> str:
    return "postgresql"


def test_placeholders_are_numbered_outside_literals_names_and_comments():
    assert numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)") == "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
    assert numbered("SELECT '?', 'it''s ?', \"odd?name\" FROM t -- what?\nWHERE x = ?") == (
        "SELECT '?', 'it''s ?', \"odd?name\" FROM t -- what?\nWHERE x = $1"
    )


async def test_rows_by_position_and_name_rowcount_and_cursor(db):
    assert db.dialect == "postgresql"
    await db.executemany("INSERT INTO bot_state (key, value) VALUES (?, ?)", [("a", "1"), ("b", "2"), ("c", "3")])
    async with db.execute("SELECT key, value FROM bot_state WHERE key > ? ORDER BY key", ("a",)) as cur:
        first = await cur.fetchone()
        rest = await cur.fetchall()
        assert await cur.fetchone() is None
    assert (first[0], first["value"]) == ("b", "2") and [tuple(r) for r in rest] == [("c", "3")]
    assert (await db.execute("UPDATE bot_state SET value = 'x' WHERE key <> ?", ("a",))).rowcount == 2
    assert (await db.execute("DELETE FROM bot_state WHERE key = 'nothing'")).rowcount == 0


async def test_a_transaction_commits_or_rolls_back_and_takes_nested_ones_in(db):
    subs = SubscriptionRepository(db)
    await subs.subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3)
    with pytest.raises(RuntimeError):
        async with transaction(db):
            await db.execute("DELETE FROM subscriptions")
            async with transaction(db):  # part of the outer one
                await db.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
            raise RuntimeError("boom")
    assert [s.channel_id for s in await subs.active()] == [2]
    async with db.execute("SELECT COUNT(*) FROM bot_state") as cur:
        assert (await cur.fetchone())[0] == 0


async def test_transactions_run_side_by_side_and_see_only_what_is_committed(db):
    """Unlike SQLite's one connection, each transaction has a connection of its own: a command's
    transaction is not held up by a long one, and sees none of its rows until it commits."""
    subs = SubscriptionRepository(db)
    order: list[str] = []
    inside = asyncio.Event()

    async def long_batch() -> None:
        async with transaction(db):
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('batch', '1')")
            inside.set()
            await asyncio.sleep(0.3)
            order.append("batch committed")

    task = asyncio.create_task(long_batch())
    await inside.wait()
    await subs.subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3)
    async with db.execute("SELECT COUNT(*) FROM bot_state WHERE key = 'batch'") as cur:
        assert (await cur.fetchone())[0] == 0  # not committed yet
    order.append("subscribed")
    await task
    assert order == ["subscribed", "batch committed"]
    async with db.execute("SELECT COUNT(*) FROM bot_state WHERE key = 'batch'") as cur:
        assert (await cur.fetchone())[0] == 1


async def test_processes_started_together_migrate_once(postgres_server):
    async with postgres_server.database(template="template0") as url:
        opened = await asyncio.gather(*(connect(url) for _ in range(3)))
        try:
            assert [await d.schema_version() for d in opened] == [SCHEMA_VERSION] * 3
            async with opened[0].execute("SELECT COUNT(*) FROM schema_version") as cur:
                assert (await cur.fetchone())[0] == 1
        finally:
            for d in opened:
                await d.close()


async def test_a_failed_migration_leaves_nothing_and_a_newer_database_is_refused(postgres_server):
    from bot.storage.database import Migration

    async with postgres_server.database(template="template0") as url:
        db = await PostgresDatabase.open(url)
        try:
            broken = Migration(SCHEMA_VERSION + 1, "9999_broken.sql", "CREATE TABLE fine (x INT);\nTHIS IS NOT SQL;")
            with pytest.raises(Exception, match="syntax"):
                await db.migrate(found=[*migrations("postgresql"), broken])
            assert await db.schema_version() == SCHEMA_VERSION
            async with db.execute("SELECT to_regclass('fine') IS NULL") as cur:
                assert (await cur.fetchone())[0] is True
            await db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
        finally:
            await db.close()
        with pytest.raises(RuntimeError, match="newer than this briefbot"):
            await connect(url)


async def test_a_migration_of_comments_only_is_applied_as_nothing(postgres_server):
    # A placeholder migration (0011_reserved.sql) holds only comments, which asyncpg cannot run.
    from bot.storage.database import Migration

    async with postgres_server.database(template="template0") as url:
        db = await PostgresDatabase.open(url)
        try:
            empty = Migration(SCHEMA_VERSION + 1, "9999_reserved.sql", "-- a placeholder\n\n-- nothing yet\n")
            assert await db.migrate(found=[*migrations("postgresql"), empty]) == SCHEMA_VERSION + 1
            assert await db.schema_version() == SCHEMA_VERSION + 1
        finally:
            await db.close()


async def test_the_password_is_never_shown(postgres_server, caplog):
    """A server that cannot be reached: the error names the address without its password."""
    url = f"postgresql://briefbot:hunter2-secret@127.0.0.1:{postgres_server.port + 1}/nowhere"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ConnectionError) as raised:
        await connect(url)
    shown = str(raised.value) + repr(raised.value) + caplog.text
    assert "hunter2-secret" not in shown and "briefbot:***@127.0.0.1" in str(raised.value)
    async with postgres_server.database() as good:
        db = await connect(good.replace("briefbot@", "briefbot:hunter2-secret@"))  # trust auth: any password
        try:
            assert "hunter2-secret" not in repr(db) and "***" in repr(db)
        finally:
            await db.close()


async def test_every_earlier_version_migrates_to_current(postgres_server):
    """Each PostgreSQL migration applies on top of the ones before it (a database left at any
    version reaches the current one), with rows in the tables that exist at that version."""
    for version in range(SCHEMA_VERSION):
        async with postgres_server.database(template="template0") as url:
            db = await PostgresDatabase.open_unmigrated(url)
            try:
                assert await db.migrate(version) == version
                if version >= 1:
                    await db.execute(
                        "INSERT INTO articles (id, slug, content_hash, title, words, sort_time, added_at, updated_at) "
                        "VALUES ('a1', 'a-1', 'h1', 'T', 1, 't', 't', 't')"
                    )
                    await db.execute(
                        "INSERT INTO analyses (content_hash, engine_version, article_json, analysis_json, created_at) "
                        """VALUES ('h1', 'v', '{}', '{"sentences": ["One.", "Two."]}', 't')"""
                    )
                assert await db.migrate() == SCHEMA_VERSION
                async with db.execute("SELECT COUNT(*) FROM articles") as cur:
                    assert (await cur.fetchone())[0] == (1 if version >= 1 else 0)
                if 1 <= version < 4:  # migration 0004 fills passages from the cached analyses
                    async with db.execute("SELECT text FROM passages ORDER BY position") as cur:
                        assert [r[0] for r in await cur.fetchall()] == ["One.", "Two."]
            finally:
                await db.close()
