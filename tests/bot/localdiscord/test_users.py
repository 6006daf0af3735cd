"""What users do (send_autocomplete, send_command, send_component, DMs), answered by a real discord.py bot."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from bot.localdiscord import FakeDiscord, ResponseType
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_autocomplete_and_deferred_followup(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        auto = await fake_discord.send_autocomplete("topic", {"query": "py"}, focused="query")
        choices = await auto.response(timeout=2)
        assert choices.type == ResponseType.AUTOCOMPLETE_RESULT
        assert choices.data == {
            "choices": [{"name": "python", "value": "python"}, {"name": "pytest", "value": "pytest"}]
        }

        inter = await fake_discord.send_command("topic", {"query": "python"})
        assert (await inter.response(timeout=2)).type == ResponseType.DEFERRED_CHANNEL_MESSAGE
        followup = await inter.followup(timeout=2)
    # Like Discord, the first followup after a defer replaces the "thinking..." message.
    assert followup is inter.original and followup["content"] == "topic: python"
    assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["topic: python"]


@pytest.mark.asyncio
async def test_button_click_on_a_view(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        inter = await fake_discord.send_command("confirm")
        await inter.response(timeout=2)
        assert inter.original is not None
        assert inter.original["components"][0]["components"][0]["custom_id"] == "confirm"

        click = await fake_discord.send_component(inter.original, "confirm", user=fake_discord.mod)
        update = await click.response(timeout=2)

    assert update.type == ResponseType.UPDATE_MESSAGE
    (message,) = fake_discord.channel_messages(fake_discord.channel_id)
    assert message["content"] == "confirmed by mod" and message["components"] == []
    assert message["edited_timestamp"] is not None


@pytest.mark.asyncio
async def test_typed_options_ephemeral_and_dm(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id, sync_global=True)):  # global: the DM's commands
        # Option types come from the synced command; the member is sent in data.resolved.
        inter = await fake_discord.send_command("whois", {"member": int(fake_discord.mod["id"]), "times": 2})
        reply = await inter.response(timeout=2)
        dm = await fake_discord.send_command("hello", dm=True)
        dm_reply = await dm.response(timeout=2)
    assert reply.data == {**reply.data, "content": "Mod x2 in general", "flags": 64}
    assert fake_discord.channel_messages(fake_discord.channel_id) == []  # ephemeral
    assert dm_reply.data is not None and dm_reply.data["content"] == "hello alice (DMChannel)"
    assert fake_discord.channel_messages(int(dm.payload["channel_id"]))[0]["content"] == "hello alice (DMChannel)"


class MenuBot(commands.Bot):
    """A bot with one message command, "Quote it", answering with the message it was used on."""

    def __init__(self) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.none(), guild_ready_timeout=0.05)

    async def setup_hook(self) -> None:
        @self.tree.context_menu(name="Quote it")
        async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
            text = f"{message.author.name} said: {message.content} ({len(message.embeds)} embeds)"
            await interaction.response.send_message(text, ephemeral=True)

        await self.tree.sync()


@pytest.mark.asyncio
async def test_a_message_command_on_a_message(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(MenuBot()):
        [registered] = fake_discord.registered_commands()
        assert (registered["name"], registered["type"], registered["description"]) == ("Quote it", 3, "")
        message = await fake_discord.send_message(
            fake_discord.channel_id, "see https://news.example/a", author=fake_discord.mod, embeds=[]
        )
        inter = await fake_discord.send_message_command("Quote it", message)
        reply = await inter.response(timeout=2)
    data = inter.payload["data"]
    assert (data["type"], data["target_id"]) == (3, message["id"]) and data["id"] == registered["id"]
    assert data["resolved"]["messages"][message["id"]]["content"] == "see https://news.example/a"
    assert reply.type == ResponseType.CHANNEL_MESSAGE and reply.data["flags"] & 64
    assert reply.data["content"] == "mod said: see https://news.example/a (0 embeds)"


@pytest.mark.asyncio
async def test_only_registered_commands_can_be_invoked(fake_discord: FakeDiscord) -> None:
    """Discord shows members only the commands an application registered, so it never sends an
    interaction for any other: the fake's helpers refuse them (by name, by type, by scope), and send
    nothing to the bot."""
    async with fake_discord.run(MenuBot()):
        message = await fake_discord.send_message(fake_discord.channel_id, "hello", author=fake_discord.mod)
        with pytest.raises(ValueError, match="no command 'Quote that' of type 3"):
            await fake_discord.send_message_command("Quote that", message)
        with pytest.raises(ValueError, match="no command 'Quote it' of type 1"):  # a message command, not a slash one
            await fake_discord.send_command("Quote it")
        with pytest.raises(ValueError, match="no command 'ping' of type 1"):
            await fake_discord.send_command("ping")
        with pytest.raises(ValueError, match="no command 'ping' of type 1"):
            await fake_discord.send_autocomplete("ping", {"query": "p"})
        with pytest.raises(ValueError, match="no command 'ping' of type 1"):
            await fake_discord.send_interaction(2, {"id": "1", "name": "ping", "type": 1})
        assert fake_discord.interactions == {}
        inter = await fake_discord.send_message_command("Quote it", message)  # registered: sent
        await inter.response(timeout=2)


@pytest.mark.asyncio
async def test_guild_commands_are_not_in_dms(fake_discord: FakeDiscord) -> None:
    """A command synced to a guild exists only there: not in a DM with the bot."""
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        with pytest.raises(ValueError, match="the only commands in a DM"):
            await fake_discord.send_command("hello", dm=True)
        assert (await (await fake_discord.send_command("hello")).response(timeout=2)).type == 4
