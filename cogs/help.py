"""/help: every command with an example, answered privately."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, help_embed
from cogs.common import light_cooldown


class Help(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="help", description="What I can do: every command with an example", extras={"example": "/help"}
    )
    @light_cooldown()
    async def help(self, interaction: discord.Interaction) -> None:
        slash = [c for c in self.bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
        await interaction.response.send_message(embed=help_embed(slash), ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Help(bot))
