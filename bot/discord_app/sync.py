"""Uploading the slash commands to Discord, only when they changed.

Discord rate-limits command uploads, so an unchanged tree is never sent again: a fingerprint of
the tree as uploaded is kept in the state table, and compared at each start. With
BRIEFBOT_DEV_GUILD set, commands go to that server, where they appear at once.
"""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.storage.state import StateRepository

log = logging.getLogger(__name__)


def command_fingerprint(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """A digest of the commands as Discord would receive them (order does not matter)."""
    payload = [c.to_dict(tree) for c in tree.get_commands(guild=guild)]
    payload.sort(key=lambda c: (c.get("type", 1), c["name"]))
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class CommandSync:
    """The command tree's uploads, remembered in ``state`` so that an unchanged tree is not sent."""

    def __init__(self, tree: app_commands.CommandTree, state: StateRepository, dev_guild: int | None) -> None:
        self.tree = tree
        self.state = state
        self.guild = discord.Object(id=dev_guild) if dev_guild else None

    async def sync(self, *, force: bool = False) -> bool:
        """Upload the command tree when it changed since the last upload (or when forced);
        returns whether it was uploaded."""
        guild = self.guild
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        key = f"commands:{guild.id if guild else 'global'}"
        fingerprint = command_fingerprint(self.tree, guild)
        if not force and await self.state.get(key) == fingerprint:
            log.info("commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.state.set(key, fingerprint)
        log.info("synced %d commands %s", len(synced), f"to server {guild.id}" if guild else "globally")
        return True
