"""Pieces every cog shares: the article autocomplete and the per-user cooldown."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.render import CHOICE_LIMIT, choice_name

# Commands that do work: at most 5 uses per 15 seconds per user, answered politely beyond that.
work_cooldown = app_commands.checks.cooldown(5, 15.0, key=lambda i: i.user.id)


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Titles matching what is typed (typos tolerated), newest first when nothing is typed."""
    library = interaction.client.library  # type: ignore[attr-defined]
    rows = library.suggest(current, CHOICE_LIMIT)
    return [app_commands.Choice(name=choice_name(r.title), value=r.id) for r in rows]
