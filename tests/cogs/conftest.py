"""A running BriefBot against the local fake of Discord, shared by the cog tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.localdiscord import make_user

EPHEMERAL = 64


@contextlib.asynccontextmanager
async def on_backend(settings: Settings, backend: str, request: pytest.FixtureRequest) -> AsyncIterator[Settings]:
    """The settings on the test's backend: as given (SQLite), or with a fresh database of the
    session's PostgreSQL server."""
    if backend == "postgresql":
        async with request.getfixturevalue("postgres_server").database() as url:
            yield replace(settings, database_url=url)
    else:
        yield settings


@pytest.fixture
async def bot(fake_discord, tmp_path, articles_dir, backend, request) -> AsyncIterator[BriefBot]:
    """The bot on the test's backend: SQLite (tmp_path / "bot.sqlite3"), or a fresh PostgreSQL
    database in a module that runs on both (a ``backend`` fixture with both as params)."""
    settings = Settings(articles_dir=articles_dir, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600)
    async with contextlib.AsyncExitStack() as stack:
        settings = await stack.enter_async_context(on_backend(settings, backend, request))
        running = await stack.enter_async_context(fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)))
        assert running.db.dialect == backend
        # On a loaded machine the seeds may take longer than start-up waits for (STARTUP_SYNC_SECONDS):
        # the tests here are about commands on a loaded library.
        await running.first_sync_finished()
        yield running


def new_member(fake, name: str = "someone"):
    user = make_user(username=name)
    fake.add_member(fake.guild_id, user)
    return user


def components(message: dict) -> list[dict]:
    return [c for row in message.get("components", []) for c in row.get("components", [])]


def button(message: dict, label: str) -> dict:
    return next(c for c in components(message) if c.get("label") == label)


async def run(fake, command: str, /, **options):
    """Send a slash command and return (interaction, response payload) once answered."""
    user = options.pop("user", None)
    inter = await fake.send_command(command, options=options, **({"user": user} if user else {}))
    await inter.response(timeout=3)
    return inter, await inter.answer(timeout=3)  # after a deferral, the deferred message edited
