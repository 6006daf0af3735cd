"""Pieces every cog shares: the article autocomplete and the per-user cooldown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import discord
from discord import app_commands

from bot.discord_app.answers import answer_lock, defer, reply
from bot.discord_app.embeds import CHOICE_LIMIT, choice_name

__all__ = [
    "ACK_DEADLINE",
    "BUSY_THRESHOLD",
    "acknowledged_in_time",
    "answer_lock",
    "article_autocomplete",
    "defer",
    "light_cooldown",
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


# Under a burst (hundreds of commands at once) the answers queue behind each other's database
# reads; past BUSY_THRESHOLD commands in flight, a command is acknowledged first (deferred) so that
# it is inside Discord's 3-second window whatever the queue, and answered as soon as it can be.
BUSY_THRESHOLD = 32
# Whatever else makes a command slow (another process holding the database locked, a slow disk),
# one not answered after ACK_DEADLINE seconds is deferred, so it is still answered (by editing the
# deferred message: see bot/answers.py).
ACK_DEADLINE = 1.5
_in_flight = 0


async def _defer_after(interaction: discord.Interaction, delay: float, ephemeral: bool) -> None:
    await asyncio.sleep(delay)
    try:
        await defer(interaction, ephemeral=ephemeral)
    except discord.HTTPException:
        log.warning("could not defer slow interaction %s", interaction.id, exc_info=True)


@contextlib.asynccontextmanager
async def acknowledged_in_time(interaction: discord.Interaction, *, ephemeral: bool = False) -> AsyncIterator[None]:
    """Run a command's work so that Discord gets an acknowledgement in time: at once under a burst,
    after ACK_DEADLINE seconds when the work is slow. Answer inside it with ``reply``."""
    global _in_flight
    _in_flight += 1
    watchdog = asyncio.create_task(_defer_after(interaction, ACK_DEADLINE, ephemeral))
    try:
        if _in_flight > BUSY_THRESHOLD:
            await defer(interaction, ephemeral=ephemeral)
        yield
    finally:
        _in_flight -= 1
        lock = answer_lock(interaction)
        if lock.locked():  # the watchdog is deferring right now (the work is done): that completes first
            async with lock:
                pass
        # Otherwise it is asleep, or waiting for the lock behind an answer that has now been sent or
        # has failed: either way no deferral is wanted any more.
        watchdog.cancel()


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
