"""Pieces every cog shares: the article autocomplete, the per-user cooldowns, acknowledging and
answering in time, and recording who asked for which article."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import discord
from discord import app_commands

from bot.core.models import Brief
from bot.discord_app.answers import answer_lock, defer, reply
from bot.discord_app.embeds import CHOICE_LIMIT, SUMMARY_LENGTHS, choice_name
from bot.discord_app.watchdog import Acknowledgements

__all__ = [
    "acknowledged_in_time",
    "answer_lock",
    "article_autocomplete",
    "defer",
    "light_cooldown",
    "link_brief",
    "record_request",
    "reply",
    "sent_message",
    "work_cooldown",
]

log = logging.getLogger(__name__)

# Commands that do work: at most 5 uses per 15 seconds per user, answered politely beyond that
# (one decorator, so one allowance shared by every command that carries it).
work_cooldown = app_commands.checks.cooldown(5, 15.0, key=lambda i: i.user.id)


def light_cooldown() -> Any:
    """Every other command: cheap, but no one member may keep the bot busy with it either; 15 uses
    per 15 seconds per user, counted for each command on its own."""
    return app_commands.checks.cooldown(15, 15.0, key=lambda i: i.user.id)


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Titles matching what is typed (typos tolerated), newest first when nothing is typed."""
    library = interaction.client.library  # type: ignore[attr-defined]
    rows = library.catalogue.suggest(current, CHOICE_LIMIT)
    return [app_commands.Choice(name=choice_name(r.title), value=r.id) for r in rows]


@contextlib.asynccontextmanager
async def acknowledged_in_time(interaction: discord.Interaction, *, ephemeral: bool = False) -> AsyncIterator[None]:
    """Run a command's work so that Discord gets an acknowledgement in time: at once under a burst,
    after a deadline when the work is slow (the bot's own count of commands in flight: see
    bot/discord_app/watchdog.py). Answer inside it with ``reply``."""
    acks: Acknowledgements = interaction.client.acks  # type: ignore[attr-defined]
    async with acks.in_time(interaction, ephemeral=ephemeral):
        yield


async def record_request(interaction: discord.Interaction, article_id: str, command: str) -> None:
    """Remember that this user asked for this article (read by /history, deleted by /forget)."""
    await interaction.client.requests.record(  # type: ignore[attr-defined]
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
        article_id=article_id,
        command=command,
    )


async def link_brief(client: Any, url: str, size: str, interaction: discord.Interaction) -> Brief:
    """The brief of the page at ``url`` (fetched, or reused: bot.library.links), recorded for /history
    as a /brief; a LinkError (a UserError) saying why there is none."""
    row = await client.links.article(url, interaction.user.id)
    brief = await client.library.reading.brief(row, SUMMARY_LENGTHS[size])
    await record_request(interaction, row.id, "brief")
    return brief


async def sent_message(interaction: discord.Interaction) -> discord.InteractionMessage | None:
    """The answer just sent, which a view keeps to disable its controls when it expires. The answer
    stands even when Discord cannot return it (5xx, expired token): that is logged, not reported."""
    try:
        return await interaction.original_response()
    except discord.HTTPException as exc:
        log.warning(
            "could not fetch the original response of interaction %s (%s); its controls stay enabled after expiry",
            interaction.id,
            exc,
        )
        return None
