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


async def _terminate(db: PostgresDatabase, held) -> None:
    """Kill the backend of a held lock's connection from another session (a process that died)."""
    pid = held._conn.get_server_pid()
    await db.execute("SELECT pg_terminate_backend(?)", (pid,))


async def test_a_named_lock_is_held_by_one_database_at_a_time_and_released_with_its_connection(database, caplog):
    """Two processes' databases on one PostgreSQL database: only one takes the lock; released, or its
    connection killed (the process died), the other takes it."""
    first, second = await connect(database), await connect(database)
    try:
        held = await first.try_lock("library-ingest")
        assert held is not None and held.held and await held.check()
        assert await second.try_lock("library-ingest") is None
        assert await first.try_lock("library-ingest") is None  # another connection: not re-entrant
        other = await second.try_lock("something-else")  # locks are by name
        assert other is not None
        await other.release()
        assert not other.held
        await held.release()
        taken = await second.try_lock("library-ingest")
        assert taken is not None
        await _terminate(first, taken)  # the holder's process dies: the server releases its locks
        assert not await taken.check() and not taken.held
        for _ in range(50):  # the server ends the backend asynchronously
            again = await first.try_lock("library-ingest")
            if again is not None:
                break
            await asyncio.sleep(0.05)
        assert again is not None and again.held
        await again.release()
    finally:
        await first.close()
        await second.close()
    assert "hunter2" not in caplog.text


async def test_lock_waits_for_the_holder_then_holds_for_its_block(database):
    first, second = await connect(database), await connect(database)
    try:
        held = await first.try_lock("feeds")
        order: list[str] = []

        async def waiter() -> None:
            async with second.lock("feeds") as lock:
                order.append("second has it")
                assert lock.held and await first.try_lock("feeds") is None
            order.append("second let go")

        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.3)
        assert order == []  # waiting for the first
        await held.release()
        await asyncio.wait_for(task, 10)
        assert order == ["second has it", "second let go"]
        again = await first.try_lock("feeds")
        assert again is not None
    finally:
        await first.close()  # releases what it holds
        await second.close()
    check = await connect(database)
    try:
        assert await check.try_lock("feeds") is not None  # closed: released
    finally:
        await check.close()


async def test_a_notification_is_heard_by_other_databases_only_once_its_transaction_commits(database):
    sender, receiver = await connect(database), await connect(database)
    heard: list[str | None] = []
    try:
        listener = await receiver.listen("briefbot_library", heard.append)
        async with transaction(sender):
            await sender.notify("briefbot_library", "one")
            await asyncio.sleep(0.3)
            assert heard == []  # not before the commit
        with pytest.raises(RuntimeError):
            async with transaction(sender):
                await sender.notify("briefbot_library", "rolled back")
                raise RuntimeError("boom")
        await sender.notify("briefbot_library", "two")  # outside a transaction: at once
        for _ in range(100):
            if len(heard) >= 2:
                break
            await asyncio.sleep(0.02)
        assert heard == ["one", "two"]
        await listener.close()
        await sender.notify("briefbot_library", "after close")
        await asyncio.sleep(0.3)
        assert heard == ["one", "two"]
    finally:
        await sender.close()
        await receiver.close()


async def test_a_listener_whose_connection_is_killed_listens_again_and_says_it_may_have_missed_some(database, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "listen-Secret-hunter2"  # the test server trusts any password
    sender, receiver = await connect(database), await connect(database.replace("briefbot@", f"briefbot:{secret}@"))
    heard: list[str | None] = []
    try:
        listener = await receiver.listen("briefbot_library", heard.append)
        await sender.execute("SELECT pg_terminate_backend(?)", (listener._conn.get_server_pid(),))
        for _ in range(200):
            if None in heard:
                break
            await asyncio.sleep(0.02)
        assert heard == [None]  # back, and told that notifications may have been missed
        await sender.notify("briefbot_library", "after")
        for _ in range(100):
            if "after" in heard:
                break
            await asyncio.sleep(0.02)
        assert heard == [None, "after"]
        assert "lost the connection listening on briefbot_library" in caplog.text
        assert "listening on briefbot_library again" in caplog.text
        assert secret not in caplog.text
    finally:
        await sender.close()
        await receiver.close()
