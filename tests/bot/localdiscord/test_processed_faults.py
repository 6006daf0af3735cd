"""Self-tests of a fault that answers 5xx after the request was carried out (a gateway timeout):
with the plain discord.py stack, what a client that retries on 5xx then sees."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


@pytest.mark.asyncio
async def test_a_processed_post_answered_502_is_posted_and_the_retry_posts_again(fake_discord: FakeDiscord) -> None:
    path = f"/channels/{fake_discord.channel_id}/messages"
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        fault = fake_discord.inject_fault("POST", path, 503, processed=True)
        with pytest.raises(discord.DiscordServerError):
            await channel.send("once")
        assert fault.hits == 1 and fault.exhausted
        assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["once"]
        assert [r.status for r in fake_discord.requests_to("POST", path)] == [503]


@pytest.mark.asyncio
async def test_a_processed_callback_then_its_retry_is_already_acknowledged(fake_discord: FakeDiscord) -> None:
    """discord.py retries a 502 on the callback (after a second); Discord had acknowledged the
    interaction, so the retry gets 400 40060 Interaction has already been acknowledged."""
    async with fake_discord.run(DemoBot(sync_global=True)):
        fake_discord.inject_fault("POST", CALLBACK, 502, processed=True)
        inter = await fake_discord.send_command("ping")
        reply = await inter.response(timeout=3)
        assert reply.type == 4 and reply.data["content"] == "pong"
        await fake_discord.wait_for(lambda: inter.rejected, timeout=5)
        [(status, body, _)] = inter.rejected
        assert status == 400 and body == {"message": "Interaction has already been acknowledged.", "code": 40060}
        attempts = [r for r in fake_discord.requests_to("POST", CALLBACK) if inter.token in r.path]
        assert [r.status for r in attempts] == [502, 400]
        assert len(inter.callbacks) == 1 and len(fake_discord.channel_messages(fake_discord.channel_id)) == 1


@pytest.mark.asyncio
async def test_a_processed_followup_retried_is_posted_twice(fake_discord: FakeDiscord) -> None:
    """The same for a followup: it is not idempotent, so the retry posts a second message."""
    followup = "/webhooks/{application_id}/{interaction_token}"
    async with fake_discord.run(DemoBot(sync_global=True)):
        fake_discord.inject_fault("POST", followup, 502, processed=True)
        inter = await fake_discord.send_command("topic", options={"query": "python"})
        assert (await inter.response(timeout=3)).type == 5
        await inter.followup(1, timeout=5)
        assert [m["content"] for m in inter.followups] == ["topic: python", "topic: python"]


@pytest.mark.asyncio
async def test_a_followup_after_the_deferral_was_deleted_keeps_its_flags(fake_discord: FakeDiscord) -> None:
    """Discord: the first followup after a deferral edits the loading message, ignoring its ephemeral
    flag; once the loading message is deleted, a followup is a new message, ephemeral if asked."""

    class Private(DemoBot):
        async def setup_hook(self) -> None:
            @self.tree.command(name="secret", description="A public deferral, then a private answer")
            async def secret(interaction: discord.Interaction) -> None:
                await interaction.response.defer(thinking=True)
                await interaction.delete_original_response()
                await interaction.followup.send("only you", ephemeral=True)

            @self.tree.command(name="leaky", description="A public deferral, then a followup")
            async def leaky(interaction: discord.Interaction) -> None:
                await interaction.response.defer(thinking=True)
                await interaction.followup.send("everyone sees this", ephemeral=True)

            await self.tree.sync()

    async with fake_discord.run(Private()):
        inter = await fake_discord.send_command("secret")
        message = await inter.followup(0, timeout=5)
        assert message["content"] == "only you" and message["flags"] & 64
        assert inter.deleted_original and message is not inter.original
        inter = await fake_discord.send_command("leaky")
        message = await inter.followup(0, timeout=5)
        assert message is inter.original and not message["flags"] & 64
        contents = [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)]
        assert contents == ["everyone sees this"]
