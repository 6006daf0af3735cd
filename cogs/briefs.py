"""/brief: an article's summary, key quotes, author and keywords as one embed."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import BriefBot
from bot.engine import SUMMARY_LENGTHS
from bot.errors import UserError
from bot.library import suggest
from bot.render import CHOICE_LIMIT, NO_MENTIONS, brief_embed, choice_name
from bot.storage.articles import ArticleRow

LENGTH_CHOICES = [
    app_commands.Choice(name=f"{name} ({n} sentences)", value=name) for name, n in SUMMARY_LENGTHS.items()
]


class Briefs(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    def resolve(self, ref: str | None) -> ArticleRow:
        library = self.bot.library
        if not library.articles:
            raise UserError("The library is empty: there are no articles to brief yet.")
        if not ref or not ref.strip():
            return library.articles[0]
        row = library.resolve(ref)
        if row is None:
            closest = library.closest(ref)
            hint = ""
            if closest:
                hint = (
                    " Did you mean "
                    + " or ".join(f"**{discord.utils.escape_markdown(r.title)}**" for r in closest)
                    + "?"
                )
            raise UserError(f"I couldn't find an article matching “{discord.utils.escape_markdown(ref[:100])}”.{hint}")
        return row

    @app_commands.command(name="brief", description="Brief me on an article: summary, key quotes, author, keywords")
    @app_commands.describe(
        article="Title, slug or id of the article (start typing to search); the newest if left empty",
        length="How long the summary should be (medium by default)",
    )
    @app_commands.choices(length=LENGTH_CHOICES)
    async def brief(
        self,
        interaction: discord.Interaction,
        article: str | None = None,
        length: app_commands.Choice[str] | None = None,
    ) -> None:
        row = self.resolve(article)
        size = length.value if length else "medium"
        brief = await self.bot.library.brief(row, SUMMARY_LENGTHS[size])
        await interaction.response.send_message(
            embed=brief_embed(brief, f"{size} summary"), allowed_mentions=NO_MENTIONS
        )

    @brief.autocomplete("article")
    async def article_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        rows = suggest(self.bot.library.articles, current[:200], CHOICE_LIMIT)
        return [app_commands.Choice(name=choice_name(r.title), value=r.id) for r in rows]


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Briefs(bot))
