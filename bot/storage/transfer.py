"""Moving a SQLite database into an empty PostgreSQL one (`briefbot migrate-db`).

The copy is generic: the tables and their columns are read from the SQLite schema when it runs, so a
column or table a new migration adds is copied without a change here. In order:

1. the target is refused unless every table it has is empty (nothing is written then, the source
   included);
2. both are brought to the latest schema: the SQLite source is migrated first, as starting the bot
   on it would (the bot migrates its file at every start, so this is no new step for it), and the
   PostgreSQL target is migrated by the bot's own migrations;
3. in ONE PostgreSQL transaction, holding an exclusive lock on the target's tables, the target is
   checked empty again, and every table is copied in foreign-key order (``PRAGMA foreign_key_list``)
   with COPY (asyncpg's ``copy_records_to_table``) in batches, each value converted to its column's
   PostgreSQL type; the source is read in one read transaction (one snapshot). The rows of the
   tables PostgreSQL searches (quotations, passages) get their search vectors (bot.storage.pgsearch)
   in the same COPY, in its text form: one write a row, no UPDATE afterwards. The indexes no
   constraint needs (the GIN search indexes, the lookups) are dropped first and built again at the
   end, in the same transaction: one build each instead of an insert a row;
4. every identity sequence is set past the largest id copied, so the next insert gets a fresh id;
5. every table's row count is compared with the source's: any difference, or any error on the way,
   rolls the whole copy back, leaving the target as it was.

SQLite-only tables (FTS5 indexes and their shadow tables, sqlite_*) are skipped and named in the
report; tables only PostgreSQL has (schema_version) are its migrations' business. The address's
password is never part of a message (bot.storage.database.redact_url).
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from bot.storage.database import redact_url
from bot.storage.pgsearch import SEARCHED, search_vector
from bot.storage.postgres import PostgresDatabase
from bot.storage.sqlite import SqliteDatabase

BATCH = 1000  # rows per COPY and per read from SQLite
INDEX_MEMORY = "256MB"  # maintenance_work_mem while the indexes are built again, in the copy's transaction
PG_ONLY_TABLES = ("schema_version",)  # the target's own, written by its migrations
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
_INTEGERS = ("int2", "int4", "int8")
_FLOATS = ("float4", "float8", "numeric")

# (table, rows copied so far, rows in all): called after each batch, for a progress line.
Progress = Callable[[str, int, int], None]


class TransferError(Exception):
    """The copy did not happen; ``status`` is the exit status for the terminal: 2 when it was
    refused before anything was written, 1 when it failed on the way and was rolled back."""

    status = 1

    def __init__(self, message: str, report: TransferReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class TransferRefused(TransferError):
    status = 2


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    source: int
    target: int


@dataclass(slots=True)
class TransferReport:
    source: str
    target: str  # redacted
    source_version: tuple[int, int] = (0, 0)  # the source's schema version before and after
    tables: list[TableCount] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (table, why)
    vectors: dict[str, int] = field(default_factory=dict)  # search vectors built, by table
    seconds: float = 0.0

    @property
    def matches(self) -> bool:
        return all(t.source == t.target for t in self.tables)

    def summary(self) -> list[str]:
        """What the terminal prints after a copy: the counts, what was built and what was skipped."""
        lines = [f"Copied {self.source} into {self.target} in {self.seconds:.1f} s."]
        before, after = self.source_version
        if before != after:
            lines.append(f"The SQLite database was migrated first, from schema version {before} to {after}.")
        lines += self.table()
        if self.vectors:
            lines.append("Search vectors built: " + ", ".join(f"{t} {n:,}" for t, n in self.vectors.items()) + ".")
        indexes = [name for name, why in self.skipped if why.startswith("an FTS5 index")]
        storage = sum(why == "storage of an FTS5 index" for _, why in self.skipped)
        own = [name for name, why in self.skipped if why == "SQLite's own"]
        if indexes:
            lines.append(
                f"Not copied, SQLite only: the FTS5 indexes {', '.join(indexes)} and their {storage} storage tables "
                "(PostgreSQL searches the vectors built above)" + (f"; SQLite's own {', '.join(own)}." if own else ".")
            )
        if self.matches:
            lines.append(
                "Every table's row count matches. Set BRIEFBOT_DATABASE_URL to this address and start the bot."
            )
        else:
            lines.append("The row counts differ.")
        return lines

    def table(self) -> list[str]:
        """The per-table counts as lines of text, a mismatch marked."""
        width = max([len("table"), *(len(t.table) for t in self.tables)])
        lines = [f"{'table':{width}}  {'SQLite':>9}  {'PostgreSQL':>10}"]
        for t in self.tables:
            mark = "" if t.source == t.target else "  MISMATCH"
            lines.append(f"{t.table:{width}}  {t.source:>9,}  {t.target:>10,}{mark}")
        return lines


@dataclass(frozen=True, slots=True)
class SourceTable:
    name: str
    columns: tuple[str, ...]  # as SQLite has them
    key: tuple[str, ...]  # primary key columns (rowid when none), to name a bad row
    has_rowid: bool
    parents: frozenset[str]  # tables its foreign keys point to


async def transfer(
    source: Path, target_url: str, *, progress: Progress | None = None, batch: int = BATCH
) -> TransferReport:
    """Copy the SQLite database at ``source`` into the empty PostgreSQL database at ``target_url``."""
    started = time.perf_counter()
    report = TransferReport(str(source), redact_url(target_url))
    before = _user_version(source)  # read-only: nothing is changed before the target is known empty
    try:
        target = await PostgresDatabase.open_unmigrated(target_url, pool_size=2)
    except ConnectionError as exc:  # its message shows the address redacted
        raise TransferRefused(str(exc)) from None
    except ValueError:  # asyncpg's reading of the address: its message may quote it, password and all
        raise TransferRefused(f"{report.target} is not a PostgreSQL address asyncpg can read") from None
    try:
        async with target.pool.acquire() as conn:
            await _refuse_unless_empty(conn, report.target)
        try:
            src = await SqliteDatabase.open(source)  # migrated to the latest schema
        except (RuntimeError, sqlite3.Error) as exc:  # newer than this briefbot; locked; damaged
            raise TransferRefused(f"the SQLite database {source} cannot be opened: {exc}") from None
        try:
            report.source_version = (before, await src.schema_version())
            try:
                await target.migrate()
            except RuntimeError as exc:  # its schema is newer than this briefbot
                raise TransferRefused(f"the PostgreSQL database: {exc}") from None
            if await target.schema_version() != report.source_version[1]:
                raise TransferError("the two databases are not at the same schema version after migrating")
            tables, report.skipped = await _source_tables(src)
            await _copy_all(src, target, tables, report, progress, batch)
        finally:
            await src.close()
    finally:
        await target.close()
    report.seconds = time.perf_counter() - started
    return report


def _user_version(path: Path) -> int:
    """The schema version of the SQLite database at ``path`` (TransferRefused when there is none)."""
    if not path.is_file():
        raise TransferRefused(f"there is no SQLite database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise TransferRefused(f"{path} is not a SQLite database ({exc})") from None
    finally:
        conn.close()


async def _target_tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [r[0] for r in rows]


async def _refuse_unless_empty(conn: asyncpg.Connection, shown: str) -> None:
    """TransferRefused naming the tables that hold rows (schema_version aside), if any."""
    full = []
    for table in await _target_tables(conn):
        if table not in PG_ONLY_TABLES and await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {_quoted(table)})"):
            full.append(table)
    if full:
        raise TransferRefused(
            f"the PostgreSQL database at {shown} is not empty (rows in {', '.join(full)}); "
            "migrate-db copies into an empty database only: create a new one (createdb) and give its address"
        )


async def _source_tables(src: SqliteDatabase) -> tuple[list[SourceTable], list[tuple[str, str]]]:
    """The tables to copy, parents before children, and the SQLite-only ones skipped, with why."""
    async with src.raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid") as cur:
        entries = [(r[0], r[1] or "") for r in await cur.fetchall()]
    virtual = [name for name, sql in entries if sql.upper().startswith("CREATE VIRTUAL TABLE")]
    skipped: list[tuple[str, str]] = []
    tables: list[SourceTable] = []
    for name, sql in entries:
        if name.startswith("sqlite_"):
            skipped.append((name, "SQLite's own"))
        elif name in virtual:
            skipped.append((name, "an FTS5 index: PostgreSQL searches its own search vectors, rebuilt"))
        elif any(name == f"{v}{suffix}" for v in virtual for suffix in _SHADOW_SUFFIXES):
            skipped.append((name, "storage of an FTS5 index"))
        else:
            tables.append(await _describe(src, name, "WITHOUT ROWID" not in sql.upper()))
    return _in_dependency_order(tables), skipped


async def _describe(src: SqliteDatabase, name: str, has_rowid: bool) -> SourceTable:
    async with src.raw.execute(f"PRAGMA table_info({_quoted(name)})") as cur:
        info = await cur.fetchall()
    async with src.raw.execute(f"PRAGMA foreign_key_list({_quoted(name)})") as cur:
        parents = frozenset(r["table"] for r in await cur.fetchall())
    columns = tuple(r["name"] for r in info)
    key = tuple(r["name"] for r in sorted(info, key=lambda r: r["pk"]) if r["pk"]) or ("rowid",)
    return SourceTable(name, columns, key, has_rowid, parents - {name})


def _in_dependency_order(tables: list[SourceTable]) -> list[SourceTable]:
    """Every table after the tables its foreign keys point to (otherwise in creation order)."""
    names = {t.name for t in tables}
    done: list[SourceTable] = []
    placed: set[str] = set()
    pending = list(tables)
    while pending:
        ready = [t for t in pending if (t.parents & names) <= placed]
        if not ready:
            cycle = ", ".join(t.name for t in pending)
            raise TransferError(f"the foreign keys of {cycle} form a cycle: no order to copy them in")
        for t in ready:
            done.append(t)
            placed.add(t.name)
        pending = [t for t in pending if t.name not in placed]
    return done


async def _copy_all(
    src: SqliteDatabase,
    target: PostgresDatabase,
    tables: list[SourceTable],
    report: TransferReport,
    progress: Progress | None,
    batch: int,
) -> None:
    await src.raw.execute("BEGIN")  # one read snapshot of the source (WAL): counts and rows agree
    try:
        async with target.pool.acquire() as conn:
            try:
                async with conn.transaction():
                    pg_tables = await _target_tables(conn)
                    await conn.execute(f"LOCK TABLE {', '.join(map(_quoted, pg_tables))} IN EXCLUSIVE MODE")
                    await _refuse_unless_empty(conn, report.target)  # nobody wrote since the first look
                    types = await _column_types(conn)
                    # Indexes no constraint needs are built once at the end, not row by row (GIN above all).
                    indexes = await _drop_plain_indexes(conn, [t.name for t in tables])
                    counts: dict[str, int] = {}
                    for table in tables:
                        counts[table.name] = await _copy_table(src, conn, table, types, progress, batch, report)
                    await conn.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
                    for definition in indexes:
                        await conn.execute(definition)
                    await _reset_sequences(conn, [t.name for t in tables])
                    for table in tables:
                        copied = await conn.fetchval(f"SELECT COUNT(*) FROM {_quoted(table.name)}")
                        report.tables.append(TableCount(table.name, counts[table.name], copied))
                    if not report.matches:
                        raise TransferError("the row counts differ (above): nothing was kept", report)
            except asyncpg.PostgresError as exc:  # the server's message never holds the password
                raise TransferError(f"PostgreSQL refused the copy ({type(exc).__name__}: {exc})", report) from None
            except (asyncpg.InterfaceError, OSError, sqlite3.Error) as exc:  # a value asyncpg cannot send; a lost link
                raise TransferError(f"the copy failed ({type(exc).__name__}: {exc})", report) from None
    finally:
        await src.raw.execute("COMMIT")


async def _drop_plain_indexes(conn: asyncpg.Connection, tables: list[str]) -> list[str]:
    """Drop the indexes of ``tables`` that back no constraint (not a primary key, unique or exclusion
    constraint); returns the statements that create them again."""
    rows = await conn.fetch(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i "
        "JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_class AS t ON t.oid = i.indrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid)",
        tables,
    )
    for name, _ in rows:
        await conn.execute(f"DROP INDEX {_quoted(name)}")
    return [definition for _, definition in rows]


async def _column_types(conn: asyncpg.Connection) -> dict[str, dict[str, str]]:
    """Each target table's columns and their types (udt names: int8, float8, text, bytea, ...)."""
    rows = await conn.fetch(
        "SELECT table_name, column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        out.setdefault(r[0], {})[r[1]] = r[2]
    return out


async def _copy_table(
    src: SqliteDatabase,
    conn: asyncpg.Connection,
    table: SourceTable,
    types: dict[str, dict[str, str]],
    progress: Progress | None,
    batch: int,
    report: TransferReport,
) -> int:
    """Copy one table; returns the number of rows the source has. A table PostgreSQL searches
    (bot.storage.pgsearch.SEARCHED) gets each row's search vector in the same COPY."""
    target = types.get(table.name)
    if target is None:
        raise TransferError(f"table {table.name} of the SQLite database has no counterpart in PostgreSQL")
    missing = [c for c in table.columns if c not in target]
    if missing:
        raise TransferError(f"PostgreSQL's {table.name} has no column {', '.join(missing)}")
    columns = list(table.columns)
    # A PostgreSQL column named rowid stands for SQLite's implicit one (see migrations/README.md).
    if table.has_rowid and "rowid" in target and "rowid" not in columns:
        columns.append("rowid")
    convert = [_converter(table.name, c, target[c]) for c in columns]
    async with src.raw.execute(f"SELECT COUNT(*) FROM {_quoted(table.name)}") as cur:
        total = int((await cur.fetchone())[0])
    selected = ", ".join(map(_quoted, columns))
    searched = SEARCHED.get(table.name, ())
    vectors = bool(searched) and "search" in target and "search" not in columns and set(searched) <= set(columns)
    sources = [columns.index(c) for c in searched] if vectors else []
    stems: dict[str, str] = {}  # most words recur: each is stemmed once
    done = 0
    async with src.raw.execute(f"SELECT {selected} FROM {_quoted(table.name)}") as cur:
        while rows := await cur.fetchmany(batch):
            records = [_record(table, columns, row, convert) for row in rows]
            if vectors:  # COPY in text form: asyncpg has no binary encoder for tsvector
                text = b"".join(_copy_line((*r, search_vector(*(r[i] for i in sources), stems=stems))) for r in records)
                await conn.copy_to_table(
                    table.name, source=io.BytesIO(text), columns=[*columns, "search"], format="text"
                )
            else:
                await conn.copy_records_to_table(table.name, records=records, columns=columns)
            done += len(records)
            if progress:
                progress(table.name, done, total)
    if vectors:
        report.vectors[table.name] = done
    if progress and not total:
        progress(table.name, 0, 0)
    return total


def _record(table: SourceTable, columns: list[str], row: Sequence[Any], convert: list[Callable[[Any], Any]]) -> tuple:
    try:
        return tuple(f(v) for f, v in zip(convert, row, strict=True))
    except ValueError as exc:
        where = ", ".join(f"{k}={row[columns.index(k)]!r}"[:80] for k in table.key if k in columns)
        raise TransferError(f"{table.name} ({where or 'a row'}): {exc}") from None


def _converter(table: str, column: str, udt: str) -> Callable[[Any], Any]:
    """What turns a SQLite value into one PostgreSQL's column of type ``udt`` takes (None stays None);
    a value it cannot take raises ValueError naming the column."""

    def refuse(value: Any, why: str) -> ValueError:
        return ValueError(f"column {column} ({udt}): {why}: {str(value)[:60]!r}")

    def integer(v: Any) -> Any:
        if v is None or (isinstance(v, int) and not isinstance(v, bool)):
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)
        raise refuse(v, "not a whole number")

    def real(v: Any) -> Any:
        if v is None or isinstance(v, float):
            return v
        if isinstance(v, int):
            return float(v)
        raise refuse(v, "not a number")

    def text(v: Any) -> Any:
        if v is None:
            return v
        if isinstance(v, bytes):
            try:
                v = v.decode("utf-8")
            except UnicodeDecodeError:
                raise refuse(v, "bytes that are not UTF-8 text") from None
        v = v if isinstance(v, str) else str(v)
        if "\x00" in v:
            raise refuse(v, "a NUL character, which PostgreSQL's text cannot hold")
        return v

    def blob(v: Any) -> Any:
        return v.encode("utf-8") if isinstance(v, str) else v

    def boolean(v: Any) -> Any:
        return v if v is None else bool(v)

    if udt in _INTEGERS:
        return integer
    if udt in _FLOATS:
        return real
    if udt in ("text", "varchar", "bpchar"):
        return text
    if udt == "bytea":
        return blob
    if udt == "bool":
        return boolean
    return lambda v: v  # anything else as SQLite gave it; COPY says if it does not fit


async def _reset_sequences(conn: asyncpg.Connection, tables: Iterable[str]) -> None:
    """Each identity (or serial) column's sequence set so that the next id is one past the largest copied."""
    rows = await conn.fetch(
        "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])",
        list(tables),
    )
    for table, column, sequence in rows:
        if sequence is not None:
            await conn.execute(
                f"SELECT setval($1, COALESCE(MAX({_quoted(column)}), 0) + 1, false) FROM {_quoted(table)}",
                sequence,
            )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_line(values: Sequence[Any]) -> bytes:
    """One row in COPY's text format: tab-separated, \\N for NULL, backslashes and line breaks escaped."""
    fields = []
    for v in values:
        if v is None:
            fields.append("\\N")
        elif isinstance(v, bool):
            fields.append("t" if v else "f")
        elif isinstance(v, float):
            fields.append(repr(v))  # the shortest text that reads back as the same double
        elif isinstance(v, bytes):
            fields.append("\\\\x" + v.hex())
        else:
            fields.append(str(v).translate(_COPY_ESCAPES))
    return ("\t".join(fields) + "\n").encode("utf-8")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
