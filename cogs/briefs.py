"""/brief and /summary: an article's brief as an embed, or only its summary; `/brief url:` briefs
any page (bot.library.links); `/brief topic:` a subject across the library and `/compare` two
articles (bot.library.topics)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import (
    NO_MENTIONS,
    SUMMARY_LENGTHS,
    brief_embed,
    compare_embed,
    summary_embed,
    topic_embed,
)
from bot.discord_app.views import ArticleSwitcher
from cogs.common import (
    acknowledged_in_time,
    article_autocomplete,
    defer,
    link_brief,
    record_request,
    reply,
    sent_message,
    work_cooldown,
)

LENGTH_CHOICES = [
    app_commands.Choice(name=f"{name} ({n} sentences)", value=name) for name, n in SUMMARY_LENGTHS.items()
]
SWITCHER_SIZE = 25
BOTH_GIVEN = "Give one of an article from the library, a link or a topic, not several."
TOPIC_LENGTH = "A topic brief gives one sentence an article, so it takes no length: leave `length` out."


def no_article_on(topic: str) -> str:
    return f"No article in the library speaks to “{topic}”. Try fewer words, or other ones."


class Briefs(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="brief",
        description="Brief me on an article: summary, key quotes, author, keywords",
        extras={
            "example": (
                "/brief article:china pivot length:short",
                "/brief url:https://news.example/story",
                "/brief topic:China North Korea sanctions",
            )
        },
    )
    @app_commands.describe(
        article="Title, slug or id of the article (start typing to search); the newest if left empty",
        url="Or the http(s) address of any article on the web, fetched and briefed",
        topic="Or a subject: the articles most about it, each with its sentence that speaks most to it",
        length="How long the summary should be (medium by default)",
    )
    @app_commands.choices(length=LENGTH_CHOICES)
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def brief(
        self,
        interaction: discord.Interaction,
        article: str | None = None,
        url: str | None = None,
        topic: str | None = None,
        length: app_commands.Choice[str] | None = None,
    ) -> None:
        size = length.value if length else "medium"
        label = f"{size} summary"
        if sum(option is not None for option in (article, url, topic)) > 1:
            raise UserError(BOTH_GIVEN)
        if url is not None:
            await self._brief_link(interaction, url, size)
            return
        if topic is not None:
            if length is not None:
                raise UserError(TOPIC_LENGTH)
            await self._brief_topic(interaction, topic)
            return
        row = self.bot.library.catalogue.lookup(article)

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

    async def _brief_link(self, interaction: discord.Interaction, url: str, size: str) -> None:
        """The brief of the page at ``url``, answered in the channel; a refusal, privately."""
        links = self.bot.links
        checked = links.check(url)  # a malformed or refused address is answered at once
        async with acknowledged_in_time(interaction):
            await defer(interaction)  # fetching and reading a page may take seconds
            brief = await link_brief(self.bot, checked, size, interaction)
            await reply(interaction, embed=brief_embed(brief, f"{size} summary"), allowed_mentions=NO_MENTIONS)

    async def _brief_topic(self, interaction: discord.Interaction, topic: str) -> None:
        """The articles most about ``topic``, each cited with its sentence that speaks most to it."""
        topics = self.bot.library.topics
        query = topics.check(topic)  # nothing to search for is answered at once
        async with acknowledged_in_time(interaction):
            brief = await topics.brief(query)
            if not brief.entries:
                raise UserError(no_article_on(brief.topic))
            for entry in brief.entries:
                await record_request(interaction, entry.article.id, "topic")
            await reply(interaction, embed=topic_embed(brief), allowed_mentions=NO_MENTIONS)

    @app_commands.command(
        name="compare",
        description="What each of two articles says that the other does not, in their own sentences",
        extras={"example": "/compare first:china pivot second:strategic calculus"},
    )
    @app_commands.describe(
        first="Title, slug or id of an article (start typing to search)",
        second="Title, slug or id of another article",
    )
    @app_commands.autocomplete(first=article_autocomplete, second=article_autocomplete)
    @work_cooldown
    async def compare(self, interaction: discord.Interaction, first: str, second: str) -> None:
        catalogue = self.bot.library.catalogue
        a, b = catalogue.lookup(first), catalogue.lookup(second)
        async with acknowledged_in_time(interaction):
            comparison = await self.bot.library.topics.compare(a, b)
            for side in (comparison.first, comparison.second):
                await record_request(interaction, side.article.id, "compare")
            await reply(interaction, embed=compare_embed(comparison), allowed_mentions=NO_MENTIONS)

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
