"""Whether Discord accepts a message: one bad part fails the whole message."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import StrictBot, form_errors


@pytest.mark.asyncio
async def test_a_malformed_embed_url_fails_the_whole_message(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        inter = await fake_discord.send_command("badlink")
        await fake_discord.wait_for(lambda: inter.rejected, timeout=2)
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as raised:
            await channel.send(embed=discord.Embed(title="Article", url="https://"))
        await channel.send(embed=discord.Embed(title="Article", url="https://example.com/a"))
    (status, body, _) = inter.rejected[0]
    assert status == 400 and form_errors(body) == {"data.embeds.0.url": "URL_TYPE_INVALID_URL"}
    assert not inter.callbacks
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert [m["embeds"][0]["url"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == [
        "https://example.com/a"
    ]
