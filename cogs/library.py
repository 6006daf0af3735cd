"""/articles: the library, newest first, a page at a time."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, ROWS_PER_PAGE, articles_embed, pages_for
from bot.discord_app.views import Paginator
from cogs.common import light_cooldown, sent_message


class LibraryCog(commands.Cog, name="Library"):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="articles", description="The articles I can brief you on, newest first", extras={"example": "/articles"}
    )
    @light_cooldown()
    async def articles(self, interaction: discord.Interaction) -> None:
        rows = self.bot.library.articles  # a snapshot: pages stay stable while the library changes
        pages = pages_for(len(rows), ROWS_PER_PAGE)

        async def render(page: int) -> discord.Embed:
            start = page * ROWS_PER_PAGE
            return articles_embed(rows[start : start + ROWS_PER_PAGE], page, pages, len(rows))

        first = await render(0)
        if pages == 1:
            await interaction.response.send_message(embed=first, allowed_mentions=NO_MENTIONS)
            return
        view = Paginator(interaction.user.id, pages, render)
        await interaction.response.send_message(embed=first, view=view, allowed_mentions=NO_MENTIONS)
        view.message = await sent_message(interaction)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(LibraryCog(bot))
