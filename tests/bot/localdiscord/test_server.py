"""FakeDiscord end to end: the real discord.py stack logs in, gets its guilds, syncs commands and answers."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord, ResponseType
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_bad_token_is_a_login_failure(fake_discord: FakeDiscord) -> None:
    bot = DemoBot()
    try:
        with pytest.raises(discord.LoginFailure):
            await bot.login("not-the-token")
    finally:
        await bot.close()
    (request,) = fake_discord.requests_to("GET", "/users/@me")
    assert request.status == 401 and request.token == "not-the-token"
    assert fake_discord.identify_count == 0


@pytest.mark.asyncio
async def test_slash_command_round_trip(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        guild = bot.get_guild(fake_discord.guild_id)
        assert guild is not None and bot.guild_creates == 1
        assert guild.get_channel(fake_discord.channel_id) is not None
        assert guild.me.guild_permissions.send_messages
        synced = {c["name"] for c in fake_discord.registered_commands(fake_discord.guild_id)}
        assert synced == {"ping", "topic", "whois", "hello", "confirm"}

        inter = await fake_discord.send_command("ping")
        reply = await inter.response(timeout=2)

    assert reply.type == ResponseType.CHANNEL_MESSAGE
    assert reply.data is not None and reply.data["content"] == "pong"
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert 0 < reply.latency < 2
    assert inter.payload["data"]["guild_id"] == str(fake_discord.guild_id)  # synced as a guild command
    assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["pong"]
    assert not fake_discord.unknown_routes
