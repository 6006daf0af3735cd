"""/history and /forget: your own records, and deleting them. Both answer privately."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, ROWS_PER_PAGE, history_embed, pages_for
from bot.discord_app.views import Confirm, Paginator
from cogs.common import acknowledged_in_time, light_cooldown, reply, sent_message


class Records(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="history",
        description="The briefs you have asked me for (only you see this)",
        extras={"example": "/history"},
    )
    @light_cooldown()
    async def history(self, interaction: discord.Interaction) -> None:
        user_id = interaction.user.id
        async with acknowledged_in_time(interaction, ephemeral=True):
            total = await self.bot.requests.count(user_id)
            pages = pages_for(total, ROWS_PER_PAGE)

            async def render(page: int) -> discord.Embed:
                records = await self.bot.requests.history(user_id, ROWS_PER_PAGE, page * ROWS_PER_PAGE)
                return history_embed(records, page, pages, total)

            first = await render(0)
            if pages == 1:
                await reply(interaction, embed=first, ephemeral=True, allowed_mentions=NO_MENTIONS)
                return
            view = Paginator(user_id, pages, render)
            view.message = await reply(
                interaction, embed=first, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            if view.message is None:
                view.message = await sent_message(interaction)

    @app_commands.command(
        name="forget",
        description="Delete every record I keep of you (asks you to confirm)",
        extras={"example": "/forget"},
    )
    @light_cooldown()
    async def forget(self, interaction: discord.Interaction) -> None:
        user_id = interaction.user.id
        total = await self.bot.requests.count(user_id)
        if total == 0:
            await interaction.response.send_message(
                "I keep no records of you: there is nothing to delete.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return

        async def delete() -> str:
            deleted = await self.bot.requests.forget(user_id)
            return f"Done: deleted {deleted} record{'s' if deleted != 1 else ''} of you."

        view = Confirm(user_id, delete)
        await interaction.response.send_message(
            f"This deletes all {total} record{'s' if total != 1 else ''} of the briefs you asked for. Sure?",
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        view.message = await sent_message(interaction)


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Records(bot))
