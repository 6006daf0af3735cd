"""pytest fixtures for the fake. Make them visible in a conftest.py with
``from tests.support.localdiscord import fake_discord  # noqa: F401``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.localdiscord import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started ``FakeDiscord`` with discord.py pointed at it (restored afterwards)."""
    async with FakeDiscord() as fake:
        yield fake
