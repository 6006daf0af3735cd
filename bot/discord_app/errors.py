"""The one place errors become answers, for slash commands and for buttons and menus alike.

There is one user-facing error type, bot.core.errors.UserError: anything a user can fix (an
article not found, a permission missing, a malformed query) is raised as one, with the words to
show. ANSWERS maps each exception type to the private answer its user gets; the most specific
entry wins (the exception's class, then its bases, in order), so a cooldown (a CheckFailure) gets
its own words. Anything the table does not answer is the bot's own fault: the user gets an apology
with an error id, the operator a traceback logged with the same id.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import UserError
from bot.discord_app.answers import send_private
from bot.discord_app.embeds import clean
from bot.storage.db import DATABASE_ERRORS, busy

log = logging.getLogger(__name__)

CHECK_FAILED = "You can't use this command here."
DATABASE_BUSY = "My database is busy right now, so I couldn't do that. Please try again in a moment."


def _check_failed(error: app_commands.CheckFailure) -> str:
    return str(error) or CHECK_FAILED


def _database(error: Exception) -> str | None:
    # Another process held the database longer than the busy timeout (or, on PostgreSQL, a lock or
    # serialization conflict): nothing was answered and nothing recorded, so the user can simply ask
    # again. Any other database error is a fault.
    return DATABASE_BUSY if busy(error) else None


# What the user is told, by exception type; None from an entry: not answered here (a fault).
ANSWERS: Mapping[type[BaseException], Callable[[Any], str | None]] = {
    UserError: lambda e: clean(e.message),
    app_commands.CommandOnCooldown: lambda e: f"Easy there: you can use this command again in {e.retry_after:.0f} s.",
    app_commands.MissingPermissions: _check_failed,
    app_commands.BotMissingPermissions: _check_failed,
    app_commands.NoPrivateMessage: _check_failed,
    app_commands.CheckFailure: _check_failed,
    app_commands.TransformerError: lambda e: f"I couldn't understand {e.value!r} for that option.",
    **dict.fromkeys(DATABASE_ERRORS, _database),
}


def expected_answer(error: BaseException) -> str | None:
    """The answer ANSWERS gives ``error`` (what a command raised, or discord.py's wrapper around
    it), or None when the error is the bot's own fault."""
    original = getattr(error, "original", error)
    for candidate in dict.fromkeys((original, error)):
        for kind in type(candidate).__mro__:
            answer = ANSWERS.get(kind)
            if answer is not None:
                message = answer(candidate)
                if message is not None:
                    return message
                break
    return None


async def report(interaction: discord.Interaction, error: Exception) -> None:
    """Answer ``error`` privately: its table entry, or an apology with an error id (logged)."""
    original = getattr(error, "original", error)
    message = expected_answer(error)
    if message == DATABASE_BUSY:
        log.warning("database locked during interaction %s: %s", interaction.id, original)
    elif message is None:
        error_id = secrets.token_hex(4)
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("error %s in /%s", error_id, command, exc_info=original)
        message = f"Sorry, something went wrong on my side (error id `{error_id}`). It has been logged."
    await send_private(interaction, message)


async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """The command tree's error handler (``tree.on_error``): every slash-command error ends here."""
    await report(interaction, error)


def on_text_command_error(ctx: commands.Context[Any], error: commands.CommandError) -> None:
    """Text commands (only the owner's `sync`): ignore strangers and unknown commands quietly."""
    if isinstance(error, commands.CommandNotFound | commands.CheckFailure):
        log.debug("ignored text command from %s: %s", ctx.author.id, error)
        return
    log.error("text command %s failed", ctx.command, exc_info=error)
