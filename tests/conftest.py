"""Shared fixtures: the shipped seeds, temporary article folders and databases."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database, connect

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_18d7c81359cbff0f.txt"
SEED_001 = SEEDS / "001_1b1c40b80df8ac56.txt"


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A fresh articles folder holding copies of the two seeds."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in (SEED_000, SEED_001):
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture
def backend() -> str:
    """The storage backend of the test's ``db`` and ``database``: SQLite, unless a folder's conftest
    or a module runs its tests on both (tests/bot/storage/conftest.py: a ``backend`` fixture with both
    as params)."""
    return "sqlite"


@pytest.fixture
async def database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncIterator[str | Path]:
    """What ``connect`` opens for the test's backend: an SQLite file in the test's folder, or a fresh
    database of the session's PostgreSQL server (tests/support/postgres.py)."""
    if backend == "sqlite":
        yield tmp_path / "data" / "test.sqlite3"
        return
    server = request.getfixturevalue("postgres_server")
    async with server.database() as url:
        yield url


@pytest.fixture
async def db(database: str | Path) -> AsyncIterator[Database]:
    conn = await connect(database)
    try:
        yield conn
    finally:
        await conn.close()


# A local HTTP server of feeds and article pages for the feed tests, and the local fake of Discord
# (gateway and REST, bot/localdiscord) for end-to-end tests through discord.py.
from tests.support.feedserver import feed_server  # noqa: E402, F401
from tests.support.localdiscord import fake_discord  # noqa: E402, F401
from tests.support.postgres import postgres_server  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _unfreeze_gc():
    """The library freezes its lookups out of the garbage collector's passes (bot/library/catalogue.py);
    between tests everything goes back, so one test's garbage is collected as usual."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _restore_logging():
    """Tests that run the program's main() install its logging (bot/logs.py: a root handler whose
    filter redacts every record, formatting its traceback into text). It is taken out after each
    test, so one test's handler never rewrites the records another test inspects."""
    import logging

    from bot.logs import RedactSecrets

    root = logging.getLogger()
    level = root.level
    levels = {name: logging.getLogger(name).level for name in ("discord", "discord.gateway", "discord.client")}
    yield
    for handler in list(root.handlers):
        if any(isinstance(f, RedactSecrets) for f in handler.filters):
            root.removeHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)
