"""Channel routes: posting messages (nonces make a repeated post idempotent, as on Discord)."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_channel_send_with_nonce_is_idempotent(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("hello", nonce="brief-42")  # discord.py adds enforce_nonce=True
        second = await channel.send("hello", nonce="brief-42")
        third = await channel.send("hello")  # a fresh random nonce
    assert first.id == second.id != third.id
    posts = fake_discord.requests_to("POST", "/channels/{channel_id}/messages")
    assert len(posts) == 3 and posts[0].json["enforce_nonce"] is True
    assert len(fake_discord.channel_messages(fake_discord.channel_id)) == 2
