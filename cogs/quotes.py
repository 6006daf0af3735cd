"""/quotes: quotations by keyword (full-text search), speaker and article, a page at a time."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.models import ArticleRow
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import (
    CHOICE_LIMIT,
    NO_MENTIONS,
    QUOTES_PER_PAGE,
    choice_name,
    clean,
    passages_embed,
    quote_pages,
    quotes_embed,
)
from bot.discord_app.views import Paginator
from bot.library.reading import QuoteResults
from cogs.common import article_autocomplete, defer, record_request, reply, work_cooldown

MAX_INPUT = 1000


class Quotes(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="quotes",
        description="Search quotations by keyword and speaker, or list an article's",
        extras={"example": "/quotes keyword:sanctions speaker:Russel"},
    )
    @app_commands.describe(
        keyword='Words to find (stemmed: "sanction" finds "sanctions"); "a phrase" in quotes, pre* for prefixes',
        speaker="Only quotations by this speaker (start typing to search)",
        article="Only this article (start typing to search)",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @work_cooldown
    async def quotes(
        self,
        interaction: discord.Interaction,
        keyword: str | None = None,
        speaker: str | None = None,
        article: str | None = None,
    ) -> None:
        keyword = (keyword or "")[:MAX_INPUT]
        speaker = (speaker or "")[:MAX_INPUT]
        row = self.bot.library.catalogue.lookup(article) if article and article.strip() else None
        # Input is checked before deferring, so a bad one gets a private answer; the search runs after.
        self.bot.library.reading.check_search(keyword, speaker, row)
        await defer(interaction)
        reading = self.bot.library.reading
        first = await reading.search_quotes(keyword, speaker=speaker, article=row, limit=QUOTES_PER_PAGE)
        if row is not None:
            await record_request(interaction, row.id, "quotes")
        heading = _heading(keyword, speaker, row)
        if not first.hits and not first.passages:
            await reply(
                interaction,
                content=clean(f"No quotations{heading.removeprefix('Quotations')}."),
                allowed_mentions=NO_MENTIONS,
            )
            return
        total = first.total or first.passage_total
        pages = quote_pages(total)

        async def render(page: int) -> discord.Embed:
            results = (
                first
                if page == 0
                else await self.bot.library.reading.search_quotes(
                    keyword, speaker=speaker, article=row, limit=QUOTES_PER_PAGE, offset=page * QUOTES_PER_PAGE
                )
            )
            return _embed(heading, results, page, pages)

        embed = await render(0)
        if pages == 1:
            await reply(interaction, embed=embed, allowed_mentions=NO_MENTIONS)
            return
        view = Paginator(interaction.user.id, pages, render)
        view.message = await reply(interaction, embed=embed, view=view, allowed_mentions=NO_MENTIONS)

    @quotes.autocomplete("speaker")
    async def speaker_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = await self.bot.library.reading.speakers(current[:100], CHOICE_LIMIT)
        return [app_commands.Choice(name=choice_name(f"{name} ({n})"), value=name[:100]) for name, n in found]


def _heading(keyword: str, speaker: str, row: ArticleRow | None) -> str:
    heading = "Quotations"
    if keyword.strip():
        heading += f" matching “{' '.join(keyword.split())[:80]}”"
    if speaker.strip():
        heading += f" by {' '.join(speaker.split())[:60]}"
    if row is not None:
        heading += f" in “{row.title[:100]}”"
    return heading


def _embed(heading: str, results: QuoteResults, page: int, pages: int) -> discord.Embed:
    if results.passages:
        entries = [(r.title, marked) for r, marked in results.passages]
        return passages_embed(heading.replace("Quotations", "Passages", 1), entries, page, pages, results.passage_total)
    note = "searched for the first 16 words" if results.query and results.query.truncated else None
    entries = [(r.title, hit.quote, hit.highlighted) for r, hit in results.hits]
    return quotes_embed(heading, entries, page, pages, results.total, note)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Quotes(bot))
