"""Shared by the library's tests: a library over the two seeds, synced."""

from __future__ import annotations

import pytest

from bot.library.service import Library

ARTICLE = (
    "Harbour Plan Approved\n\nThe harbour board approved a new plan on Monday. It will cost a great deal of money.\n"
)


@pytest.fixture
async def library(db, articles_dir):
    lib = Library(db, articles_dir)
    await lib.sync()
    return lib
