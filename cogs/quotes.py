"""/quotes: an article's quotations, or quotations across the library that match a keyword."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import BriefBot
from bot.errors import UserError
from bot.render import NO_MENTIONS, QUOTES_PER_PAGE, clean, pages_for, quotes_embed
from bot.views import Paginator
from cogs.common import article_autocomplete, work_cooldown

MAX_KEYWORD = 200


class Quotes(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="quotes", description="Quotations with who said them: from one article, or by keyword")
    @app_commands.describe(
        keyword="Words to look for in quotations and speakers' names",
        article="Only this article (start typing to search)",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def quotes(
        self, interaction: discord.Interaction, keyword: str | None = None, article: str | None = None
    ) -> None:
        keyword = " ".join((keyword or "").split())[:MAX_KEYWORD] or None
        if keyword is None and not (article and article.strip()):
            raise UserError("Give a keyword to search for, an article, or both.")
        row = self.bot.library.lookup(article) if article and article.strip() else None
        await interaction.response.defer(thinking=True)  # a library-wide search may take a moment
        entries, total = await self.bot.library.quotes(keyword, row, QUOTES_PER_PAGE)
        if row is not None:
            await self.bot.record(interaction, row.id, "quotes")
        if total == 0:
            where = f" in “{row.title}”" if row else " in the library"
            what = f" matching “{keyword}”" if keyword else ""
            await interaction.followup.send(clean(f"No quotations{what}{where}."), allowed_mentions=NO_MENTIONS)
            return
        heading = f"Quotations from “{row.title}”" if row else "Quotations"
        if keyword:
            heading += f" matching “{keyword}”"

        async def render(page: int) -> discord.Embed:
            found, count = await self.bot.library.quotes(keyword, row, QUOTES_PER_PAGE, page * QUOTES_PER_PAGE)
            return quotes_embed(
                heading, [(r.title, q) for r, q in found], page, pages_for(count, QUOTES_PER_PAGE), count
            )

        pages = pages_for(total, QUOTES_PER_PAGE)
        first = quotes_embed(heading, [(r.title, q) for r, q in entries], 0, pages, total)
        if pages == 1:
            await interaction.followup.send(embed=first, allowed_mentions=NO_MENTIONS)
            return
        view = Paginator(interaction.user.id, pages, render)
        view.message = await interaction.followup.send(embed=first, view=view, allowed_mentions=NO_MENTIONS, wait=True)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Quotes(bot))
