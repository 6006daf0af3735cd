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
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    conn = await connect(tmp_path / "data" / "test.sqlite3")
    try:
        yield conn
    finally:
        await conn.close()


# A local HTTP server of feeds and article pages for the feed tests, and the local fake of Discord
# (gateway and REST, bot/localdiscord) for end-to-end tests through discord.py.
from tests.support.feedserver import feed_server  # noqa: E402, F401
from tests.support.localdiscord import fake_discord  # noqa: E402, F401


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
