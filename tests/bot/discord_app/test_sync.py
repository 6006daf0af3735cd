"""Command uploads: only when the commands changed, forced by the owner or `python -m bot sync`."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands

from bot.config import Settings
from bot.discord_app.briefbot import TokenRejected, sync_now
from bot.discord_app.sync import CommandSync, command_fingerprint
from bot.storage.state import StateRepository
from tests.bot.discord_app.conftest import make_bot
from tests.bot.discord_app.test_briefbot import COMMANDS


def tree_with(*names: str) -> app_commands.CommandTree:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    for name in names:

        async def callback(interaction: discord.Interaction) -> None:
            pass

        tree.add_command(app_commands.Command(name=name, description=f"the {name} command", callback=callback))
    return tree


def test_the_fingerprint_ignores_order_and_sees_changes():
    assert command_fingerprint(tree_with("brief", "quotes"), None) == command_fingerprint(
        tree_with("quotes", "brief"), None
    )
    assert command_fingerprint(tree_with("brief"), None) != command_fingerprint(tree_with("brief", "quotes"), None)


class Uploads:
    """A command tree whose uploads are counted instead of sent."""

    def __init__(self, tree: app_commands.CommandTree) -> None:
        self.tree = tree
        self.count = 0

        async def sync(*, guild=None):
            self.count += 1
            return tree.get_commands(guild=guild)

        tree.sync = sync  # type: ignore[method-assign]


async def test_an_unchanged_tree_is_not_uploaded_again_unless_forced(db):
    uploads = Uploads(tree_with("brief"))
    sync = CommandSync(uploads.tree, StateRepository(db), None)
    assert await sync.sync() is True
    assert await sync.sync() is False
    assert await sync.sync(force=True) is True
    assert uploads.count == 2
    changed = Uploads(tree_with("brief", "quotes"))
    assert await CommandSync(changed.tree, StateRepository(db), None).sync() is True  # changed: uploaded


async def test_dev_guild_syncs_to_that_guild(fake_discord, settings):
    dev = Settings(articles_dir=settings.articles_dir, db_path=settings.db_path, dev_guild=fake_discord.guild_id)
    async with fake_discord.run(make_bot(dev)):
        pass
    assert fake_discord.command_syncs[-1][0] == fake_discord.guild_id
    assert {c["name"] for c in fake_discord.registered_commands(fake_discord.guild_id)} == COMMANDS


async def test_owner_sync_command_forces_upload(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        before = len(fake_discord.command_syncs)
        # Messages that mention the bot carry their content without the privileged intent.
        await fake_discord.send_message(fake_discord.channel_id, f"<@{bot.user.id}> sync", author=fake_discord.owner)
        await fake_discord.wait_for(lambda: len(fake_discord.command_syncs) > before, timeout=5)

        def replies():
            return [m for m in fake_discord.channel_messages(fake_discord.channel_id) if "synced" in m["content"]]

        await fake_discord.wait_for(replies, timeout=5)
        assert replies()[0]["content"] == "Slash commands synced."


async def test_others_cannot_force_a_sync(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        before = len(fake_discord.command_syncs)
        await fake_discord.send_message(fake_discord.channel_id, f"<@{bot.user.id}> sync", author=fake_discord.alice)
        await asyncio.sleep(0.3)
        assert len(fake_discord.command_syncs) == before
        # The owner's same words, sent after alice's, do sync: so alice's was read, and refused.
        await fake_discord.send_message(fake_discord.channel_id, f"<@{bot.user.id}> sync", author=fake_discord.owner)
        await fake_discord.wait_for(lambda: len(fake_discord.command_syncs) > before, timeout=5)
        await fake_discord.wait_for(
            lambda: any("synced" in m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)),
            timeout=5,
        )
        assert len(fake_discord.command_syncs) == before + 1


async def test_sync_command_forces_an_upload_without_the_gateway(fake_discord, settings):
    count = await sync_now(settings, fake_discord.token)
    assert count == len(COMMANDS)
    assert len(fake_discord.command_syncs) == 1
    assert fake_discord.identify_count == 0  # HTTP only: no gateway session
    count = await sync_now(settings, fake_discord.token)
    assert len(fake_discord.command_syncs) == 2  # forced, although nothing changed


async def test_sync_with_rejected_token(fake_discord, settings):
    with pytest.raises(TokenRejected):
        await sync_now(settings, "bad-token")
