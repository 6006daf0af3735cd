"""Owner-only maintenance: `@briefbot sync` uploads the slash commands now, changed or not."""

from __future__ import annotations

from discord.ext import commands

from bot.discord_app.briefbot import BriefBot


class Admin(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @commands.command(name="sync")
    @commands.is_owner()
    async def sync(self, ctx: commands.Context[BriefBot]) -> None:
        await self.bot.commands_sync.sync(force=True)
        await ctx.reply("Slash commands synced.", mention_author=False)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Admin(bot))
