from __future__ import annotations

import sqlite3

import aiosqlite
import pytest

from bot.storage import db as dbmod
from bot.storage.db import SCHEMA_VERSION, connect, migrate, migrations, schema_version


def test_migrations_are_numbered_without_gaps():
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert len(found) == SCHEMA_VERSION


async def test_connect_creates_folder_and_migrates(tmp_path):
    path = tmp_path / "nested" / "dir" / "b.sqlite3"
    conn = await connect(path)
    try:
        assert path.exists()
        assert await schema_version(conn) == SCHEMA_VERSION
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
    finally:
        await conn.close()


async def test_migrate_twice_is_a_no_op(tmp_path):
    conn = await connect(tmp_path / "b.sqlite3")
    try:
        assert await migrate(conn) == SCHEMA_VERSION
    finally:
        await conn.close()


async def test_failed_migration_rolls_back_everything(tmp_path, monkeypatch):
    good = migrations()
    broken = dbmod.Migration(len(good) + 1, "9999_broken.sql", "CREATE TABLE fine (x);\nTHIS IS NOT SQL;")
    monkeypatch.setattr(dbmod, "migrations", lambda *_: [*good, broken])
    conn = await aiosqlite.connect(tmp_path / "b.sqlite3", isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            await migrate(conn)
        assert await schema_version(conn) == 0
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
            assert await cur.fetchall() == []
    finally:
        await conn.close()


async def test_newer_database_is_refused(tmp_path):
    conn = await connect(tmp_path / "b.sqlite3")
    await conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    await conn.close()
    with pytest.raises(RuntimeError, match="newer than this briefbot"):
        await connect(tmp_path / "b.sqlite3")


async def test_every_earlier_version_migrates_to_current(tmp_path):
    for version in range(0, SCHEMA_VERSION):
        path = tmp_path / f"v{version}.sqlite3"
        conn = await aiosqlite.connect(path, isolation_level=None)
        assert await migrate(conn, target=version) == version
        await conn.close()
        conn = await connect(path)
        try:
            assert await schema_version(conn) == SCHEMA_VERSION
        finally:
            await conn.close()


@pytest.mark.parametrize("backend", ["sqlite"])  # one connection; PostgreSQL's run side by side (test_postgres.py)
async def test_transactions_on_the_shared_connection_take_turns(db):
    """A command's transaction begun while the library holds a batch open waits for it, instead
    of failing with "cannot start a transaction within a transaction"; an error rolls back."""
    import asyncio

    from bot.storage.articles import ArticleRepository
    from bot.storage.db import transaction
    from bot.storage.subscriptions import SubscriptionRepository

    repo, subs = ArticleRepository(db), SubscriptionRepository(db)
    order: list[str] = []

    async def library_chunk() -> None:
        async with repo.batch():
            order.append("batch begun")
            await asyncio.sleep(0.2)
            order.append("batch committed")

    chunk = asyncio.create_task(library_chunk())
    await asyncio.sleep(0.05)
    await subs.subscribe(guild_id=1, channel_id=2, keywords=[], user_id=3)
    order.append("subscribed")
    await chunk
    assert order == ["batch begun", "batch committed", "subscribed"]
    assert [s.channel_id for s in await subs.active()] == [2]

    with pytest.raises(RuntimeError):
        async with transaction(db):
            await db.execute("DELETE FROM subscriptions")
            raise RuntimeError("boom")
    assert [s.channel_id for s in await subs.active()] == [2]  # rolled back
    async with transaction(db):  # and the lock was released
        await db.execute("DELETE FROM subscriptions")
    assert await subs.active() == []


async def test_each_connection_has_its_own_writer_lock_and_no_module_keeps_them(tmp_path):
    """The writer lock is the connection's own state (issue 14): a transaction held open on one
    connection never holds up another's lock, and bot.storage.db keeps no registry of connections."""
    import asyncio

    from bot.storage import db as dbmod
    from bot.storage.db import connect, transaction

    one = await connect(tmp_path / "one.sqlite3")
    two = await connect(tmp_path / "two.sqlite3")
    try:
        async with transaction(one):
            async with asyncio.timeout(2):  # the other connection's lock is free
                async with transaction(two):
                    await two.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
        assert one.writer is not two.writer
        assert one.writer is one.writer
        from bot.storage import database, sqlite

        registries = [
            name
            for module in (dbmod, database, sqlite)
            for name, v in vars(module).items()
            if not name.startswith("__") and (isinstance(v, (dict, list, set)) or hasattr(v, "keyrefs"))
        ]
        assert registries == []
    finally:
        await one.close()
        await two.close()
