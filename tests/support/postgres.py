"""A real PostgreSQL server for the tests, started once per session from the server's own binaries
(initdb and pg_ctl in a temporary folder, on 127.0.0.1 and a free port), and a fresh database per
test, copied from a migrated template (CREATE DATABASE ... TEMPLATE takes milliseconds).

PostgreSQL refuses to run as root: as root, the server runs as the ``postgres`` user (or ``nobody``).
Where no server binaries are found the PostgreSQL tests are skipped, except in CI (CI=true), where
that is a failure: `.ci/run` installs the Debian package first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

TEMPLATE = "briefbot_template"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on the PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One server in a temporary folder; ``url(name)`` addresses one of its databases."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user = "briefbot"
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:  # the server will not run as root
            runner = next((u for u in ("postgres", "nobody") if _has_user(u)), None)
            if runner is None:
                raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")
            uid = pwd.getpwnam(runner).pw_uid
            gid = pwd.getpwnam(runner).pw_gid
            os.chown(self.folder, uid, gid)
            self._as = ["runuser", "-u", runner, "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        self._run(
            str(self.binaries / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.binaries / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    async def create_template(self) -> None:
        """The template every test's database is copied from: migrated to the current schema."""
        import asyncpg

        from bot.storage.postgres import PostgresDatabase

        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await conn.close()
        db = await PostgresDatabase.open(self.url(TEMPLATE))
        await db.close()

    @contextlib.asynccontextmanager
    async def database(self, *, template: str = TEMPLATE) -> AsyncIterator[str]:
        """A new database for one test (copied from ``template``), dropped afterwards; yields its address."""
        import asyncpg

        name = f"test_{os.getpid()}_{next(self._names)}"
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        finally:
            await conn.close()
        try:
            yield self.url(name)
        finally:
            conn = await asyncpg.connect(self.url())
            try:
                await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            finally:
                await conn.close()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (skipped without the binaries, except in CI, where it fails)."""
    binaries = server_binaries()
    if binaries is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl) were not found: apt-get install postgresql"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(binaries)
    try:
        server.start()
        # In a thread of its own: the first test to ask may be running an event loop already.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, server.create_template()).result()
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


def main(argv: list[str]) -> int:
    """``python -m tests.support.postgres COMMAND...``: run COMMAND with BRIEFBOT_DATABASE_URL naming
    an empty database of a throwaway server (for benchmarks: ``... python -m bench.ranking``)."""
    binaries = server_binaries()
    if binaries is None or not argv:
        print("usage: python -m tests.support.postgres COMMAND... (needs PostgreSQL's initdb and pg_ctl)")
        return 2
    server = PostgresServer(binaries)
    server.start()
    try:
        return subprocess.run(argv, env={**os.environ, "BRIEFBOT_DATABASE_URL": server.url()}, check=False).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
