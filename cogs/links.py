"""The message command "Brief this article": on any message, the brief of the first http(s) link in
it (its text, then its embeds' links), answered privately to whoever asked, with a button that
posts the brief to the channel. The page is read as `/brief url:` reads it (bot.library.links)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, brief_embed, shared_by
from bot.discord_app.views import PostToChannel
from bot.library.links import first_link
from cogs.common import acknowledged_in_time, defer, link_brief, reply, sent_message, work_cooldown

log = logging.getLogger(__name__)

MENU_NAME = "Brief this article"
SIZE = "medium"
NO_LINK = "That message has no http or https link for me to brief."
CANNOT_POST = "I can't post in this channel: I need the Send Messages and Embed Links permissions here."
CANNOT_POST_THREAD = (
    "I can't post in this thread: I need the Send Messages in Threads and Embed Links permissions here."
)
CANNOT_POST_YOURSELF = "You can't send messages in this channel, so I won't post the brief here for you."
THREAD_LOCKED = "This thread is locked, so I can't post the brief in it."


class Links(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot
        # discord.py has no context-menu decorator for a cog's methods: the command is made here,
        # added to the tree, and removed when the cog is.
        self.menu = app_commands.ContextMenu(
            name=MENU_NAME,
            callback=self.brief_message,
            extras={
                "example": "a message > Apps > Brief this article",
                "description": "The brief of the first link in a message, shown only to you, with a button to post it",
            },
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @work_cooldown
    async def brief_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        url = first_link(message.content, (e.url for e in message.embeds))
        if url is None:
            raise UserError(NO_LINK)
        checked = self.bot.links.check(url)  # a refused address is answered at once
        async with acknowledged_in_time(interaction, ephemeral=True):
            await defer(interaction, ephemeral=True)  # fetching and reading a page may take seconds
            brief = await link_brief(self.bot, checked, SIZE, interaction)
            label = f"{SIZE} summary"

            async def post(pressed: discord.Interaction) -> str | None:
                channel = pressed.channel
                if not isinstance(channel, discord.abc.Messageable):
                    return CANNOT_POST
                try:
                    await channel.send(
                        shared_by(pressed.user.mention), embed=brief_embed(brief, label), allowed_mentions=NO_MENTIONS
                    )
                except discord.Forbidden:
                    return CANNOT_POST_THREAD if isinstance(channel, discord.Thread) else CANNOT_POST
                except discord.HTTPException as exc:
                    log.warning("could not post a brief to channel %s: %s", pressed.channel_id, exc)
                    return "Discord did not take the post just now; press the button again in a moment."
                return None

            view = PostToChannel(interaction.user.id, _refusal, post)
            embed = brief_embed(brief, label)
            view.message = await reply(
                interaction, embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            if view.message is None:
                view.message = await sent_message(interaction)


def _refusal(pressed: discord.Interaction) -> str | None:
    """Why the brief cannot be posted where the button was pressed, or None: the bot's own
    permissions in the channel and those of the member who pressed it (the post is theirs, shared
    by them: it must not let them post where they may not), as Discord sends them with the
    interaction. In a thread, sending takes Send Messages in Threads (not Send Messages), and a
    locked thread takes only moderators' messages; an archived one is reopened by the post."""
    if pressed.guild_id is None:
        return None
    allowed, member = pressed.app_permissions, pressed.permissions
    thread = pressed.channel if isinstance(pressed.channel, discord.Thread) else None
    if thread is not None:
        if not (allowed.send_messages_in_threads and allowed.embed_links):
            return CANNOT_POST_THREAD
        if thread.locked and not (allowed.manage_threads and member.manage_threads):
            return THREAD_LOCKED  # neither the bot nor the member may post where only moderators can
        return None if member.send_messages_in_threads else CANNOT_POST_YOURSELF
    if not (allowed.send_messages and allowed.embed_links):
        return CANNOT_POST
    return None if member.send_messages else CANNOT_POST_YOURSELF


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Links(bot))
