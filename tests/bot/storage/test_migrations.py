"""Every earlier schema version migrates to the current one without losing a row.

For each version k from 0 to the current one minus 1 (read from bot/storage/migrations, so a new
migration is covered without touching this file), a database is built at version k by applying
the first k migrations exactly as the bot does, filled with rows valid for that version's tables
(generated from the tables' own declarations, with realistic values where a migration reads the
data), then opened by the bot's ``connect`` (which migrates it). The rows must still be there, the
derived indexes must be built from them, and the schema must equal a fresh database's.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.storage.db import SCHEMA_VERSION, connect, migrate, schema_version

ROWS_PER_TABLE = 2
SENTENCES = ["Harbour officials approved the tariff plan.", "Fishermen protested outside the council."]

# Values for columns whose content a migration or the bot reads (JSON, hashes shared by tables,
# CHECK-constrained enums). Everything else is generated from the declared type.
OVERRIDES: dict[tuple[str, str], Callable[[int], Any]] = {
    ("articles", "id"): lambda i: f"article{i:011d}",
    ("articles", "content_hash"): lambda i: f"hash{i}",
    ("articles", "slug"): lambda i: f"article-{i}",
    ("articles", "retired_at"): lambda i: None,
    ("articles", "sort_time"): lambda i: f"2024-01-0{i + 1}T00:00:00+00:00",
    ("analyses", "content_hash"): lambda i: f"hash{i}",
    ("analyses", "article_json"): lambda i: json.dumps({"title": f"Article {i}", "paragraphs": [SENTENCES]}),
    ("analyses", "analysis_json"): lambda i: json.dumps({"sentences": SENTENCES, "quotes": [], "keywords": []}),
    ("requests", "command"): lambda i: ("brief", "summary")[i % 2],
    ("subscriptions", "keywords"): lambda i: json.dumps(["tariff"]),
    ("deliveries", "status"): lambda i: ("pending", "delivered")[i % 2],
    ("quotes", "text"): lambda i: f"We will rebuild the harbour number {i}",
    ("quotes", "speaker"): lambda i: f"Mayor Number{i}",
    ("digests", "mode"): lambda i: ("daily", "weekly")[i % 2],
    ("digests", "status"): lambda i: ("pending", "delivered")[i % 2],
    ("subscriptions", "digest"): lambda i: ("off", "daily")[i % 2],
}


@dataclass
class Column:
    name: str
    type: str
    notnull: bool
    default: str | None
    pk: int


async def _tables(db: aiosqlite.Connection) -> list[str]:
    """Ordinary tables the application owns (no sqlite_*, no virtual tables or their shadow tables)."""
    async with db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name") as cur:
        rows = await cur.fetchall()
    virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        name
        for name, _ in rows
        if not name.startswith("sqlite_") and name not in virtual and not any(name.startswith(f"{v}_") for v in virtual)
    ]


async def _columns(db: aiosqlite.Connection, table: str) -> list[Column]:
    async with db.execute(f"PRAGMA table_info({table})") as cur:
        return [Column(r[1], (r[2] or "").upper(), bool(r[3]), r[4], r[5]) for r in await cur.fetchall()]


async def _foreign_keys(db: aiosqlite.Connection, table: str) -> dict[str, tuple[str, str]]:
    async with db.execute(f"PRAGMA foreign_key_list({table})") as cur:
        return {r[3]: (r[2], r[4]) for r in await cur.fetchall()}


def _generated(table: str, column: Column, i: int) -> Any:
    if (table, column.name) in OVERRIDES:
        return OVERRIDES[(table, column.name)](i)
    if "INT" in column.type:
        return i + 1
    if any(t in column.type for t in ("REAL", "FLOA", "DOUB")):
        return 0.5 + i
    if column.name.endswith("_at") or column.name in ("published",):
        return f"2024-02-0{i + 1}T12:00:00+00:00"
    return f"{table} {column.name} {i}"


async def _fill(db: aiosqlite.Connection) -> dict[str, list[dict[str, Any]]]:
    """Insert ROWS_PER_TABLE rows into every table, parents before children; returns what was inserted."""
    tables = await _tables(db)
    fks = {t: await _foreign_keys(db, t) for t in tables}
    order: list[str] = []
    while len(order) < len(tables):
        ready = [t for t in tables if t not in order and all(p in order or p == t for p, _ in fks[t].values())]
        assert ready, f"foreign keys form a cycle among {set(tables) - set(order)}"
        order.extend(ready)
    inserted: dict[str, list[dict[str, Any]]] = {}
    for table in order:
        columns = await _columns(db, table)
        for i in range(ROWS_PER_TABLE):
            row: dict[str, Any] = {}
            for column in columns:
                if column.name in fks[table]:
                    parent, key = fks[table][column.name]
                    row[column.name] = inserted[parent][i % len(inserted[parent])][key]
                elif column.default is not None and (table, column.name) not in OVERRIDES:
                    continue  # the declared default is what the application relies on
                else:
                    row[column.name] = _generated(table, column, i)
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            await db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
            inserted.setdefault(table, []).append(row)
    return inserted


def _normalised(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


async def _schema(db: aiosqlite.Connection) -> list[tuple[str, str, str, str]]:
    async with db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name") as cur:
        return [(r[0], r[1], r[2], _normalised(r[3])) for r in await cur.fetchall()]


async def _fts_tables(db: aiosqlite.Connection) -> list[str]:
    async with db.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'") as cur:
        return [r[0] for r in await cur.fetchall()]


async def _fresh_schema(folder: Path) -> list[tuple[str, str, str, str]]:
    db = await connect(folder / "fresh.sqlite3")
    try:
        return await _schema(db)
    finally:
        await db.close()


def test_the_test_covers_every_migration():
    assert SCHEMA_VERSION >= 6  # 0001..0006 at least; new files are picked up by the parametrisation below


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
async def test_version_migrates_to_current_keeping_every_row(tmp_path: Path, version: int):
    path = tmp_path / f"v{version}.sqlite3"
    old = await aiosqlite.connect(path, isolation_level=None)
    try:
        await old.execute("PRAGMA foreign_keys = ON")
        assert await migrate(old, target=version) == version
        assert await schema_version(old) == version
        await old.execute("BEGIN")
        inserted = await _fill(old)
        await old.execute("COMMIT")
    finally:
        await old.close()
    if version > 0:
        assert inserted, "a database past version 0 has tables to fill"

    db = await connect(path)  # what the bot does at start: migrate to the current version
    try:
        assert await schema_version(db) == SCHEMA_VERSION
        current_tables = set(await _tables(db))
        for table, rows in inserted.items():
            if table not in current_tables:
                continue  # dropped by a later migration on purpose
            kept = {c.name for c in await _columns(db, table)}
            for row in rows:
                common = {k: v for k, v in row.items() if k in kept}
                where = " AND ".join(f"{k} IS ?" for k in common)
                async with db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", tuple(common.values())) as cur:
                    (found,) = await cur.fetchone()
                assert found == 1, f"v{version}: row {common} of {table} lost or duplicated by the migration"

        async with db.execute("PRAGMA integrity_check") as cur:
            assert [r[0] for r in await cur.fetchall()] == ["ok"]
        async with db.execute("PRAGMA foreign_key_check") as cur:
            assert await cur.fetchall() == []
        for fts in await _fts_tables(db):
            await db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")

        # What later migrations derive from older rows is there: quotations are searchable, and an
        # article stored before passage search has its sentences as passages.
        if "quotes" in inserted:
            async with db.execute("SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH 'rebuild'") as cur:
                assert (await cur.fetchone())[0] == ROWS_PER_TABLE
        if "articles" in inserted and "passages" not in inserted:
            async with db.execute("SELECT article_id, position, text FROM passages ORDER BY 1, 2") as cur:
                passages = [tuple(r) for r in await cur.fetchall()]
            expected = [(a["id"], n, s) for a in inserted["articles"] for n, s in enumerate(SENTENCES)]
            assert passages == expected
            async with db.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH 'tariff'") as cur:
                assert (await cur.fetchone())[0] == ROWS_PER_TABLE

        assert await _schema(db) == await _fresh_schema(tmp_path)
    finally:
        await db.close()


async def test_0012_a_quotation_stored_before_has_no_speaker_kind_and_only_known_kinds_are_accepted(tmp_path: Path):
    path = tmp_path / "v11.sqlite3"
    old = await aiosqlite.connect(path, isolation_level=None)
    try:
        await old.execute("PRAGMA foreign_keys = ON")
        await migrate(old, target=11)
        await old.execute("BEGIN")
        await _fill(old)
        await old.execute("COMMIT")
    finally:
        await old.close()
    db = await connect(path)
    try:
        async with db.execute("SELECT COUNT(*), COUNT(speaker_kind) FROM quotes") as cur:
            assert tuple(await cur.fetchone()) == (ROWS_PER_TABLE, 0)  # kept, kind not known
        await db.execute("UPDATE quotes SET speaker_kind = 'organisation'")
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("UPDATE quotes SET speaker_kind = 'someone'")
    finally:
        await db.close()
