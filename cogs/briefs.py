"""/brief and /summary: an article's brief as an embed, or only its summary."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, SUMMARY_LENGTHS, brief_embed, summary_embed
from bot.discord_app.views import ArticleSwitcher
from cogs.common import (
    acknowledged_in_time,
    article_autocomplete,
    record_request,
    reply,
    sent_message,
    work_cooldown,
)

LENGTH_CHOICES = [
    app_commands.Choice(name=f"{name} ({n} sentences)", value=name) for name, n in SUMMARY_LENGTHS.items()
]
SWITCHER_SIZE = 25


class Briefs(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="brief",
        description="Brief me on an article: summary, key quotes, author, keywords",
        extras={"example": "/brief article:china pivot length:short"},
    )
    @app_commands.describe(
        article="Title, slug or id of the article (start typing to search); the newest if left empty",
        length="How long the summary should be (medium by default)",
    )
    @app_commands.choices(length=LENGTH_CHOICES)
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def brief(
        self,
        interaction: discord.Interaction,
        article: str | None = None,
        length: app_commands.Choice[str] | None = None,
    ) -> None:
        row = self.bot.library.catalogue.lookup(article)
        size = length.value if length else "medium"
        label = f"{size} summary"

        async def render(article_id: str) -> discord.Embed:
            chosen = self.bot.library.catalogue.resolve(article_id) or row
            await record_request(interaction, chosen.id, "brief")
            return brief_embed(await self.bot.library.reading.brief(chosen, SUMMARY_LENGTHS[size]), label)

        async with acknowledged_in_time(interaction):
            embed = await render(row.id)
            if article:
                await reply(interaction, embed=embed, allowed_mentions=NO_MENTIONS)
                return
            newest = [(r.id, r.title) for r in self.bot.library.articles[:SWITCHER_SIZE]]
            view = ArticleSwitcher(interaction.user.id, newest, row.id, render)
            view.message = await reply(interaction, embed=embed, view=view, allowed_mentions=NO_MENTIONS)
            if view.message is None:
                view.message = await sent_message(interaction)

    @app_commands.command(
        name="summary",
        description="Only the summary of an article, in its own words",
        extras={"example": "/summary article:strategic calculus"},
    )
    @app_commands.describe(
        article="Title, slug or id of the article (start typing to search)",
        length="How long the summary should be (medium by default)",
    )
    @app_commands.choices(length=LENGTH_CHOICES)
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def summary(
        self, interaction: discord.Interaction, article: str, length: app_commands.Choice[str] | None = None
    ) -> None:
        row = self.bot.library.catalogue.lookup(article)
        size = length.value if length else "medium"
        async with acknowledged_in_time(interaction):
            brief = await self.bot.library.reading.brief(row, SUMMARY_LENGTHS[size])
            await record_request(interaction, row.id, "summary")
            await reply(interaction, embed=summary_embed(brief, f"{size} summary"), allowed_mentions=NO_MENTIONS)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Briefs(bot))
