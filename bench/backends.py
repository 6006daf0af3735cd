"""Where bench.library's bot keeps its data: a SQLite file, or a PostgreSQL database; and the setups
it compares (a backend and a number of bot processes).

PostgreSQL is either a server the caller names (``--database-url postgresql://user@host:5432/db``:
a database ``db_<size>`` is created next to ``db`` for each library size, so the user needs CREATEDB)
or, by default, a throwaway server started from PostgreSQL's own binaries by the tests' helper
(tests/support/postgres.py: initdb and pg_ctl in a temporary folder, fsync off, gone afterwards).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class Setup:
    """One row of the comparison: ``backend`` with ``processes`` bot processes (shards 0..N-1 of N)."""

    backend: str
    processes: int

    @property
    def label(self) -> str:
        name = "SQLite" if self.backend == "sqlite" else "PostgreSQL"
        return f"{name}, {self.processes} process{'es' if self.processes > 1 else ''}"

    @classmethod
    def parse(cls, text: str) -> Setup:
        """``sqlite``, ``postgresql:2``: a backend and (default 1) a number of processes."""
        backend, _, n = text.partition(":")
        backend = {"pg": "postgresql", "postgres": "postgresql"}.get(backend, backend)
        if backend not in BACKENDS:
            raise ValueError(f"{text}: the backend is one of {', '.join(BACKENDS)}")
        processes = int(n) if n else 1
        if processes < 1:
            raise ValueError(f"{text}: at least one process")
        if backend == "sqlite" and processes > 1:
            raise ValueError(f"{text}: one process per SQLite file (several processes need PostgreSQL)")
        return cls(backend, processes)


class PostgresDatabases:
    """Databases for the benchmark on one PostgreSQL server: ``url(size)`` addresses the one for a size."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        parts = urlsplit(server_url)
        self.base = parts.path.lstrip("/") or "briefbot_bench"

    def url(self, size: int) -> str:
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(path=f"/{self.base}_{size}"))

    def _maintenance(self) -> str:
        return urlunsplit(urlsplit(self.server_url)._replace(path="/postgres"))

    async def exists(self, size: int) -> bool:
        import asyncpg

        conn = await asyncpg.connect(self._maintenance())
        try:
            return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", f"{self.base}_{size}"))
        finally:
            await conn.close()

    async def create(self, size: int) -> str:
        """A new, empty database for ``size`` (dropped first if a previous run left one)."""
        import asyncpg

        name = f"{self.base}_{size}"
        conn = await asyncpg.connect(self._maintenance())
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # C collation, as docs/operating.md says to create the bot's database
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 LC_COLLATE "C" LC_CTYPE "C"')
        finally:
            await conn.close()
        return self.url(size)

    async def size_mb(self, size: int) -> float:
        import asyncpg

        conn = await asyncpg.connect(self._maintenance())
        try:
            return (await conn.fetchval("SELECT pg_database_size($1)", f"{self.base}_{size}")) / 2**20
        finally:
            await conn.close()


@contextlib.contextmanager
def postgres_server(url: str | None) -> Iterator[PostgresDatabases]:
    """The server named by ``url``, or a throwaway one (PostgreSQL's initdb and pg_ctl must be installed)."""
    if url:
        yield PostgresDatabases(url)
        return
    from tests.support.postgres import PostgresServer, server_binaries

    binaries = server_binaries()
    if binaries is None:
        raise SystemExit(
            "bench.library: PostgreSQL setups need a server: --database-url postgresql://..., or PostgreSQL's "
            "initdb and pg_ctl installed (apt-get install postgresql) for a throwaway one"
        )
    server = PostgresServer(binaries)
    server.start()
    try:
        yield PostgresDatabases(server.url("briefbot_bench"))
    finally:
        server.stop()


def sqlite_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20
