"""cogs/help.py: /help lists every command with an example, privately."""

from __future__ import annotations

from discord import app_commands

from tests.cogs.conftest import EPHEMERAL, run


def slash_commands(bot) -> list[app_commands.Command]:
    return [c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)]


def test_every_slash_command_carries_an_example_of_itself(bot):
    for command in slash_commands(bot):
        example = command.extras.get("example", "")
        name = "/" + command.qualified_name
        assert example == name or example.startswith(name + " "), (name, example)
        for option in example.split(" ")[1:]:
            if ":" in option and not option.startswith("http"):
                name = option.split(":", 1)[0]
                assert name in {p.name for p in command.parameters}, (command.qualified_name, name)


async def test_help_answers_privately_with_every_command_and_its_example(fake_discord, bot):
    _, data = await run(fake_discord, "help")
    assert data["flags"] & EPHEMERAL
    embed = data["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    names = {"/" + c.qualified_name for c in slash_commands(bot)}
    assert set(fields) == names
    assert {"/brief", "/quotes", "/subscribe", "/feeds add", "/help"} <= names
    assert "Example: `/brief article:china pivot length:short`" in fields["/brief"]
    assert "in servers only" in fields["/subscribe"] and "needs Manage Channels" in fields["/subscribe"]
    assert "the bot's owner only" in fields["/feeds add"]
    assert "in servers only" not in fields["/brief"]
    assert data["allowed_mentions"] == {"parse": []}
