"""The error table: what each kind of error tells the user, and the apology for everything else.
End to end (a command's error answered privately through the fake Discord): tests/cogs/test_*."""

from __future__ import annotations

import logging
import sqlite3
from types import SimpleNamespace

import asyncpg
import discord
import pytest
from discord import app_commands

from bot.core.errors import UserError
from bot.discord_app import errors
from bot.discord_app.errors import ANSWERS, CHECK_FAILED, DATABASE_BUSY, expected_answer


def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
    """What discord.py hands the tree's error handler when a command raised ``original``."""
    command = SimpleNamespace(name="brief", qualified_name="brief")
    return app_commands.CommandInvokeError(command, original)  # type: ignore[arg-type]


def test_a_user_error_is_shown_cleaned_whether_wrapped_or_not():
    raw = UserError("No article matches **@everyone**.")
    assert expected_answer(raw) == expected_answer(invoke_error(raw))
    assert "@everyone" not in (expected_answer(raw) or "").replace("@\u200beveryone", "")
    assert "\\*\\*" in (expected_answer(raw) or "")


def test_a_cooldown_has_its_own_words_although_it_is_a_check_failure():
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 10.0), 7.4)
    assert expected_answer(cooldown) == "Easy there: you can use this command again in 7 s."


@pytest.mark.parametrize(
    ("error", "answer"),
    [
        (
            app_commands.CheckFailure("Only the bot's owner can manage its feeds."),
            "Only the bot's owner can manage its feeds.",
        ),
        (app_commands.CheckFailure(), CHECK_FAILED),
        (app_commands.NoPrivateMessage(), "This command cannot be used in direct messages."),
        (
            app_commands.MissingPermissions(["manage_channels"]),
            "You are missing Manage Channels permission(s) to run this command.",
        ),
    ],
)
def test_check_failures_say_why(error, answer):
    assert expected_answer(error) == answer


def test_an_option_not_understood_names_the_value():
    transformer = SimpleNamespace(_error_display_name="Integer")
    error = app_commands.TransformerError("abc", discord.AppCommandOptionType.integer, transformer)  # type: ignore[arg-type]
    assert expected_answer(error) == "I couldn't understand 'abc' for that option."


def test_a_locked_database_asks_to_try_again_but_other_database_errors_are_faults():
    assert expected_answer(invoke_error(sqlite3.OperationalError("database is locked"))) == DATABASE_BUSY
    assert expected_answer(invoke_error(sqlite3.OperationalError("no such table: x"))) is None
    # PostgreSQL's conflicts are busy too; its other errors are faults.
    assert expected_answer(invoke_error(asyncpg.DeadlockDetectedError("deadlock detected"))) == DATABASE_BUSY
    assert expected_answer(invoke_error(asyncpg.SerializationError("could not serialize"))) == DATABASE_BUSY
    assert expected_answer(invoke_error(asyncpg.UndefinedTableError("relation x does not exist"))) is None


@pytest.mark.parametrize("fault", [RuntimeError("boom"), KeyError("k"), ValueError()])
def test_anything_else_is_the_bots_fault(fault):
    assert expected_answer(invoke_error(fault)) is None


def test_the_table_covers_the_documented_types():
    for kind in (
        UserError,
        app_commands.CommandOnCooldown,
        app_commands.MissingPermissions,
        app_commands.NoPrivateMessage,
        app_commands.CheckFailure,
        app_commands.TransformerError,
    ):
        assert kind in ANSWERS


class Interaction:
    """Just enough of an interaction for ``report``: its answer is captured."""

    id = 1234
    command = SimpleNamespace(qualified_name="brief")


async def test_report_apologises_with_an_error_id_and_logs_the_traceback(monkeypatch, caplog):
    sent: list[str] = []

    async def send_private(interaction, content):
        sent.append(content)

    monkeypatch.setattr(errors, "send_private", send_private)
    caplog.set_level(logging.INFO)
    await errors.report(Interaction(), invoke_error(RuntimeError("boom")))  # type: ignore[arg-type]
    [message] = sent
    error_id = message.split("`")[1]
    assert message.startswith("Sorry, something went wrong on my side") and len(error_id) == 8
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == f"error {error_id} in /brief" and record.exc_info[1].args == ("boom",)


async def test_report_logs_a_locked_database_as_a_warning(monkeypatch, caplog):
    sent: list[str] = []

    async def send_private(interaction, content):
        sent.append(content)

    monkeypatch.setattr(errors, "send_private", send_private)
    await errors.report(Interaction(), invoke_error(sqlite3.OperationalError("database is locked")))  # type: ignore[arg-type]
    assert sent == [DATABASE_BUSY]
    assert "database locked during interaction 1234" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
