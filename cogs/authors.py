"""/author: who wrote an article, and what else of theirs the library holds."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, author_embed
from cogs.common import acknowledged_in_time, article_autocomplete, record_request, reply, work_cooldown


class Authors(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="author",
        description="Who wrote an article: role, bio, and their other articles here",
        extras={"example": "/author article:china pivot"},
    )
    @app_commands.describe(
        article="Title, slug or id of the article (start typing to search); the newest if left empty",
        name="An author's name, to find their articles instead",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def author(
        self, interaction: discord.Interaction, article: str | None = None, name: str | None = None
    ) -> None:
        library = self.bot.library
        if name and name.strip() and not (article and article.strip()):
            matches = library.catalogue.by_author(name[:100])
            if not matches:
                raise UserError(f"No article in the library is by an author called “{name.strip()[:100]}”.")
            row = matches[0]
        else:
            row = library.catalogue.lookup(article)
        async with acknowledged_in_time(interaction):
            loaded, _ = await library.reading.load(row)
            names = {a.name for a in loaded.authors}
            others = [r.title for r in library.catalogue.by_authors(names) if r.id != row.id]
            await record_request(interaction, row.id, "author")
            embed = author_embed(loaded.title, list(loaded.authors), loaded.publication, others)
            await reply(interaction, embed=embed, allowed_mentions=NO_MENTIONS)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Authors(bot))
