"""/feeds add, list, remove: the RSS and Atom feeds the bot polls (the bot's owner only)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import FEED_INTERVAL_MAX, FEED_INTERVAL_MIN
from bot.core.errors import UserError
from bot.core.wording import FEED_IN_CONFIG, feed_added, feed_removed
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, clean, feeds_embed


@app_commands.default_permissions(administrator=True)  # hidden from members; the owner check is below
class Feeds(commands.GroupCog, group_name="feeds", group_description="The feeds the bot polls (bot owner only)"):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        if not await self.bot.is_owner(interaction.user):
            raise app_commands.CheckFailure("Only the bot's owner can manage its feeds.")
        return True

    @app_commands.command(
        name="add",
        description="Poll a feed for new articles, or enable a disabled one again",
        extras={"example": "/feeds add url:https://news.example/feed.xml interval:3600", "who": "the bot's owner only"},
    )
    @app_commands.describe(url="The feed's http or https address", interval="Seconds between polls")
    async def add(
        self,
        interaction: discord.Interaction,
        url: str,
        interval: app_commands.Range[int, int(FEED_INTERVAL_MIN), int(FEED_INTERVAL_MAX)] | None = None,
    ) -> None:
        if interval is not None and not FEED_INTERVAL_MIN <= interval <= FEED_INTERVAL_MAX:
            # Discord enforces the range it was given; this holds if a client or proxy does not.
            raise UserError(f"The interval is in seconds, from {int(FEED_INTERVAL_MIN)} to {int(FEED_INTERVAL_MAX):,}.")
        try:
            url = self.bot.settings.check_feed_url(url)
        except ValueError as exc:
            raise UserError(f"I can't poll that address: {exc}.") from None
        previous = await self.bot.feeds.get(url)
        every = float(interval) if interval else (previous.interval if previous else self.bot.settings.feed_interval)
        feed, new = await self.bot.feeds.add(url, every)
        message = feed_added(feed, new=new, previous=previous)
        await interaction.response.send_message(clean(message), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(
        name="list",
        description="The feeds, their state and failures",
        extras={"example": "/feeds list", "who": "the bot's owner only"},
    )
    async def list_(self, interaction: discord.Interaction) -> None:
        embed = feeds_embed(await self.bot.feeds.all())
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @app_commands.command(
        name="remove",
        description="Stop polling a feed (its articles stay in the library)",
        extras={"example": "/feeds remove url:https://news.example/feed.xml", "who": "the bot's owner only"},
    )
    @app_commands.describe(url="The feed's address, as /feeds list shows it")
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        if not await self.bot.feeds.remove(url.strip()):
            raise UserError("There is no such feed: `/feeds list` shows them.")
        message = feed_removed(url.strip())
        if url.strip() in self.bot.settings.feeds:
            message += " " + FEED_IN_CONFIG
        await interaction.response.send_message(clean(message), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @remove.autocomplete("url")
    async def _urls(self, interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
        if not await self.bot.is_owner(interaction.user):
            return []
        feeds = await self.bot.feeds.all()
        # A choice's value holds at most 100 characters: a longer address has to be typed.
        fits = [f.url for f in feeds if typed in f.url and len(f.url) <= 100]
        return [app_commands.Choice(name=u, value=u) for u in fits][:25]


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Feeds(bot))
