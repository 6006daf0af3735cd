"""Pieces every cog shares: the article autocomplete and the per-user cooldown."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import discord
from discord import app_commands

from bot.render import CHOICE_LIMIT, choice_name

# Commands that do work: at most 5 uses per 15 seconds per user, answered politely beyond that
# (one decorator, so one allowance shared by every command that carries it).
work_cooldown = app_commands.checks.cooldown(5, 15.0, key=lambda i: i.user.id)


def light_cooldown() -> Any:
    """Every other command: cheap, but no one member may keep the bot busy with it either; 15 uses
    per 15 seconds per user, counted for each command on its own."""
    return app_commands.checks.cooldown(15, 15.0, key=lambda i: i.user.id)


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Titles matching what is typed (typos tolerated), newest first when nothing is typed."""
    library = interaction.client.library  # type: ignore[attr-defined]
    rows = library.suggest(current, CHOICE_LIMIT)
    return [app_commands.Choice(name=choice_name(r.title), value=r.id) for r in rows]


# Under a burst (hundreds of commands at once) the answers queue behind each other's database
# reads; past BUSY_THRESHOLD commands in flight, a command is acknowledged first (deferred) so that
# it is inside Discord's 3-second window whatever the queue, and answered as soon as it can be.
BUSY_THRESHOLD = 32
_in_flight = 0


@contextlib.asynccontextmanager
async def acknowledged_in_time(interaction: discord.Interaction) -> AsyncIterator[None]:
    global _in_flight
    _in_flight += 1
    try:
        if _in_flight > BUSY_THRESHOLD and not interaction.response.is_done():
            await interaction.response.defer(thinking=True)
        yield
    finally:
        _in_flight -= 1


async def reply(interaction: discord.Interaction, **kwargs: Any) -> discord.Message | None:
    """Answer, as a followup when the command was deferred; returns the message when it has one."""
    if interaction.response.is_done():
        return await interaction.followup.send(**kwargs, wait=True)
    await interaction.response.send_message(**kwargs)
    return None
