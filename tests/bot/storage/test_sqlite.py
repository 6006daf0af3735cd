"""The SQLite backend: one connection, transactions taking turns, migrations split into statements."""

from __future__ import annotations

from bot.storage.sqlite import SqliteDatabase, statements


def test_statements_split_a_migration_keeping_triggers_whole():
    sql = (
        "-- a comment\nCREATE TABLE t (x);\n"
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n  INSERT INTO u VALUES (new.x);\nEND;\n"
        "INSERT INTO t VALUES ('a;b');"
    )
    assert statements(sql) == [
        "CREATE TABLE t (x);",
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n  INSERT INTO u VALUES (new.x);\nEND;",
        "INSERT INTO t VALUES ('a;b');",
    ]


async def test_rows_by_position_and_name_and_rowcount(tmp_path):
    db = await SqliteDatabase.open(tmp_path / "x.sqlite3")
    try:
        assert db.dialect == "sqlite"
        async with db.transaction():
            await db.executemany("INSERT INTO bot_state (key, value) VALUES (?, ?)", [("a", "1"), ("b", "2")])
        async with db.execute("SELECT key, value FROM bot_state ORDER BY key") as cur:
            rows = await cur.fetchall()
        assert [(r[0], r["value"]) for r in rows] == [("a", "1"), ("b", "2")]
        cur = await db.execute("DELETE FROM bot_state WHERE key = ?", ("a",))
        assert cur.rowcount == 1
    finally:
        await db.close()


async def test_named_locks_are_this_process_asyncio_locks_and_notifications_reach_no_one(tmp_path):
    """One process per SQLite file: a named lock is held once within the process; notify and listen
    do nothing (there is no other process to tell)."""
    import asyncio

    db = await SqliteDatabase.open(tmp_path / "db.sqlite3")
    try:
        assert not db.shared
        held = await db.try_lock("library-ingest")
        assert held is not None and held.held and await held.check()
        assert await db.try_lock("library-ingest") is None
        assert await db.try_lock("feeds") is not None
        order: list[str] = []

        async def waiter() -> None:
            async with db.lock("library-ingest"):
                order.append("waited")

        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.05)
        assert order == []
        await held.release()
        assert not held.held
        await task
        assert order == ["waited"]
        heard: list[str | None] = []
        listener = await db.listen("briefbot_library", heard.append)
        await db.notify("briefbot_library", "x")
        await listener.close()
        assert heard == []
    finally:
        await db.close()
