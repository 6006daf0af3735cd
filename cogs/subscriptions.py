"""/subscribe, /unsubscribe, /subscriptions: new articles posted to channels."""

from __future__ import annotations

from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.core.periods import DAILY, MODES, OFF, WEEKLY
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.embeds import NO_MENTIONS, subscriptions_embed
from bot.library.routing import parse_keywords
from cogs.common import light_cooldown

NEEDED = {"view_channel": "View Channel", "send_messages": "Send Messages", "embed_links": "Embed Links"}
# In a thread, sending takes Send Messages in Threads instead of Send Messages (Discord's permissions).
NEEDED_IN_THREAD = {
    "view_channel": "View Channel",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
}
Target = discord.TextChannel | discord.Thread


def _guild(interaction: discord.Interaction) -> discord.Guild:
    """The server the command was typed in (Discord offers these commands only there; a request
    from anywhere else still gets an answer, not an error)."""
    if interaction.guild is None:
        raise UserError("Subscriptions belong to a server's channels: use this command in a server.")
    return interaction.guild


def _target(interaction: discord.Interaction, channel: Target | None) -> Target:
    target = channel or interaction.channel
    if not isinstance(target, discord.TextChannel | discord.Thread):
        raise UserError(
            "New articles can only be posted to a server's text channel or thread: name one with `channel`."
        )
    return target


def _missing(target: Target, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to post in ``target`` (a thread's are its own); a UserError for
    a locked thread, where only moderators may post."""
    mine = target.permissions_for(me)
    needed = NEEDED_IN_THREAD if isinstance(target, discord.Thread) else NEEDED
    missing = [label for perm, label in needed.items() if not getattr(mine, perm)]
    if not missing and isinstance(target, discord.Thread) and target.locked and not mine.manage_threads:
        raise UserError(
            f"I can't post in #{target.name}: the thread is locked, so only its moderators may post there. "
            "Unlock it and subscribe again."
        )
    return missing


def _check_member(interaction: discord.Interaction, target: Target, verb: str) -> None:
    """Only members who can manage the target channel itself, wherever the command was typed."""
    member = interaction.user
    if not isinstance(member, discord.Member) or not target.permissions_for(member).manage_channels:
        raise UserError(f"You need the Manage Channels permission in #{target.name} to {verb} it.")


def _can_manage(guild: discord.Guild, member: discord.Member, channel_id: int) -> bool:
    """Whether ``member`` may manage the channel (one that no longer exists: whether they may
    manage the server's channels)."""
    channel = guild.get_channel_or_thread(channel_id)
    if channel is None:
        return member.guild_permissions.manage_channels
    return channel.permissions_for(member).manage_channels


class Subscriptions(commands.Cog):
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="subscribe",
        description="Post new articles to a channel as they arrive, or in a daily or weekly digest",
        extras={"example": "/subscribe channel:#news keywords:China, sanctions digest:daily"},
    )
    @app_commands.describe(
        channel="The channel to post to (this one if left empty)",
        keywords="Only articles mentioning one of these, comma-separated (every article if left empty)",
        backfill="Also post the latest articles now: 0 to 10 (default 0)",
        digest="One post a day or a week listing the new articles, instead of a post for each",
    )
    @app_commands.choices(
        digest=[
            app_commands.Choice(name="daily (one digest per UTC day)", value=DAILY),
            app_commands.Choice(name="weekly (one digest per week, Monday to Sunday, UTC)", value=WEEKLY),
            app_commands.Choice(name="off (each article as it comes; the default)", value=OFF),
        ]
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @light_cooldown()
    async def subscribe(
        self,
        interaction: discord.Interaction,
        channel: Target | None = None,
        keywords: str | None = None,
        backfill: app_commands.Range[int, 0, 10] = 0,
        digest: app_commands.Choice[str] | None = None,
    ) -> None:
        guild = _guild(interaction)
        target = _target(interaction, channel)
        _check_member(interaction, target, "subscribe")
        missing = _missing(target, guild.me)
        if missing:
            raise UserError(
                f"I can't post in #{target.name}: I lack {', '.join(missing)} there. Grant it and subscribe again."
            )
        wanted = parse_keywords(keywords)
        mode = digest.value if digest is not None else OFF
        if mode not in MODES:  # a value Discord would not offer: a polite answer, not a traceback
            raise UserError("`digest` is daily, weekly or off.")
        latest = [r.id for r in await self.bot.library.latest_for_channels(backfill)]
        existed = await self.bot.subscriptions.subscribe(
            guild_id=guild.id,
            channel_id=target.id,
            keywords=wanted,
            user_id=interaction.user.id,
            backfill=latest,
            digest=mode,
        )
        self.bot.delivery_worker.wake()
        what = "articles mentioning " + ", ".join(f"“{k}”" for k in wanted) if wanted else "every new article"
        lines = [f"{'Updated' if existed else 'Subscribed'}: {target.mention} gets {what}{await self._how(target)}."]
        if latest:
            lines.append(f"Posting the latest {len(latest)} now.")
        await interaction.response.send_message(
            discord.utils.escape_mentions("\n".join(lines)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def _how(self, target: discord.TextChannel) -> str:
        """ ", in a daily digest (the next on <t:…>)" for a digest channel; "" otherwise."""
        sub = next(
            (s for s in await self.bot.subscriptions.for_guild(target.guild.id) if s.channel_id == target.id), None
        )
        if sub is None or sub.next_digest is None:
            return ""
        due = datetime.fromisoformat(sub.next_digest)
        return (
            f", in a {sub.digest} digest: the next {discord.utils.format_dt(due, 'f')} "
            f"({discord.utils.format_dt(due, 'R')}), listing the articles that arrived before it"
        )

    @app_commands.command(
        name="unsubscribe",
        description="Stop posting new articles to a channel",
        extras={"example": "/unsubscribe channel:#news"},
    )
    @app_commands.describe(channel="The channel (this one if left empty)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @light_cooldown()
    async def unsubscribe(self, interaction: discord.Interaction, channel: Target | None = None) -> None:
        _guild(interaction)
        target = _target(interaction, channel)
        _check_member(interaction, target, "unsubscribe")
        if not await self.bot.subscriptions.unsubscribe(target.id):
            raise UserError(f"#{target.name} is not subscribed.")
        await interaction.response.send_message(
            f"Unsubscribed: {target.mention} gets no more new articles.", ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(
        name="subscriptions",
        description="This server's subscribed channels, their filters and digests",
        extras={"example": "/subscriptions"},
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @light_cooldown()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        member = interaction.user
        if not isinstance(member, discord.Member):
            raise UserError("You need the Manage Channels permission to see subscriptions.")
        # As for /subscribe: the permission is checked here, not only declared (a server may give
        # the command to anyone), and on each channel listed: a member sees the subscriptions of the
        # channels they could subscribe or unsubscribe, and no others.
        everything = await self.bot.subscriptions.for_guild(guild.id)
        subs = [s for s in everything if _can_manage(guild, member, s.channel_id)]
        if not subs and not interaction.permissions.manage_channels:
            raise UserError("You need the Manage Channels permission to see subscriptions.")
        await interaction.response.send_message(
            embed=subscriptions_embed(subs), ephemeral=True, allowed_mentions=NO_MENTIONS
        )


async def setup(bot: BriefBot) -> None:
    await bot.add_cog(Subscriptions(bot))
