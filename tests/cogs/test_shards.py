"""Gateway shards end to end: the real BriefBot as discord.py's AutoShardedBot against the fake,
whose gateway sends each server's events to its shard only (bot/localdiscord/shards.py). Two bots
sharing one database as shards 0 and 1 of 2 (as two processes are) answer each server's commands
once, by the shard that owns it; one bot running both shards answers both servers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot, ShardedBriefBot, make_bot
from bot.localdiscord import FakeDiscord, make_guild_on_shard, make_user, shard_of

ARTICLE = "warning-is-china-pivoting-back-to-north-korea"


def two_servers() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Two servers, on shards 0 and 1 of 2, both with alice."""
    owner, alice = make_user(username="owner"), make_user(username="alice")
    guilds = [make_guild_on_shard(f"Shard {n}", n, 2, owner=owner, members=[alice]) for n in (0, 1)]
    return guilds, alice


def settings_for(articles_dir: Path, database: str | Path, **shards: Any) -> Settings:
    settings = Settings(articles_dir=articles_dir, poll_seconds=3600, **shards)
    if isinstance(database, Path):
        return replace(settings, db_path=database)
    return replace(settings, database_url=database)


def sharded(settings: Settings, *ids: int) -> BriefBot:
    bot = make_bot(replace(settings, shard_count=2, shard_ids=ids), guild_ready_timeout=0.05)

    async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py waits 5 s between a process's IDENTIFYs (Discord's rate); the fake does not limit them

    bot.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    return bot


def handled_by(bot: BriefBot) -> list[tuple[int, int]]:
    """(server id, shard id) of every interaction the bot receives from now on."""
    seen: list[tuple[int, int]] = []

    async def on_interaction(interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        seen.append((interaction.guild.id, interaction.guild.shard_id))

    bot.add_listener(on_interaction)
    return seen


async def brief_in(fake: FakeDiscord, guild: dict[str, Any], alice: dict[str, Any]):
    inter = await fake.send_command(
        "brief", options={"article": ARTICLE}, channel_id=int(guild["channels"][0]["id"]), user=alice
    )
    await inter.response(timeout=5)
    return inter, await inter.answer(timeout=5)


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, bot: BriefBot) -> AsyncIterator[BriefBot]:
    async with fake.run(bot, ready_timeout=30) as ready:
        await ready.first_sync_finished()
        yield ready


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_two_shard_processes_answer_each_server_once_by_its_shard(articles_dir, database):
    guilds, alice = two_servers()
    settings = settings_for(articles_dir, database)
    async with FakeDiscord(guilds=guilds) as fake:
        bots = sharded(settings, 0), sharded(settings, 1)
        assert all(isinstance(b, ShardedBriefBot) for b in bots)
        assert [b.uploads_commands for b in bots] == [True, False]  # shard 0's process uploads the commands
        seen = [handled_by(b) for b in bots]
        async with running(fake, bots[0]), running(fake, bots[1]):
            assert fake.gateway.ready_shards == {(0, 2), (1, 2)}
            # Each shard's session was sent its own server only.
            assert [[g.id for g in b.guilds] for b in bots] == [[int(g["id"])] for g in guilds]
            for shard, guild in enumerate(guilds):
                inter, answer = await brief_in(fake, guild, alice)
                assert inter.shard == (shard, 2)  # the fake sent it to the session of that shard
                assert len(inter.callbacks) == 1 and not inter.rejected  # answered once
                assert answer["embeds"][0]["title"].startswith("Warning")
            # Only the process running shard 0 uploaded the commands (once, for every shard).
            assert len(fake.command_syncs) == 1
    ids = [int(g["id"]) for g in guilds]
    assert seen == [[(ids[0], 0)], [(ids[1], 1)]]  # each bot handled its own shard's server, and only it
    assert [shard_of(i, 2) for i in ids] == [0, 1]


async def test_one_process_runs_both_shards_and_answers_both_servers(articles_dir, tmp_path):
    guilds, alice = two_servers()
    settings = settings_for(articles_dir, tmp_path / "bot.sqlite3")
    async with FakeDiscord(guilds=guilds) as fake:
        bot = sharded(settings, 0, 1)
        seen = handled_by(bot)
        async with running(fake, bot):
            assert fake.gateway.ready_shards == {(0, 2), (1, 2)} and len(fake.gateway.sessions) == 2
            assert sorted(bot.shards) == [0, 1] and bot.shard_count == 2
            for session in fake.gateway.sessions:  # each shard's websocket was sent its own server only
                created = [p["d"]["id"] for p in session.buffer if p["t"] == "GUILD_CREATE"]
                assert created == [guilds[session.shard[0]]["id"]]
            for shard, guild in enumerate(guilds):
                inter, answer = await brief_in(fake, guild, alice)
                assert inter.shard == (shard, 2)
                assert len(inter.callbacks) == 1 and answer["embeds"][0]["title"].startswith("Warning")
    assert seen == [(int(guilds[0]["id"]), 0), (int(guilds[1]["id"]), 1)]


async def test_without_shard_settings_the_bot_is_one_unsharded_connection(articles_dir, tmp_path, fake_discord):
    bot = make_bot(settings_for(articles_dir, tmp_path / "bot.sqlite3"), guild_ready_timeout=0.05)
    assert type(bot) is BriefBot
    async with running(fake_discord, bot):
        identify = fake_discord.gateway.sessions[0].identify
        assert "shard" not in identify and fake_discord.gateway.ready_shards == {(0, 1)}
        assert not fake_discord.requests_to("GET", "/gateway/bot")  # as before sharding existed
