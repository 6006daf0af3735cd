"""What a test controls: injected faults, expired interaction tokens and the fake's clock."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot, StrictBot


@pytest.mark.asyncio
async def test_fault_injection(fake_discord: FakeDiscord) -> None:
    path = f"/channels/{fake_discord.channel_id}/messages"
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)

        fake_discord.inject_fault("POST", path, 429, retry_after=0.05)
        await channel.send("after a 429")  # discord.py sleeps retry_after and retries
        assert [r.status for r in fake_discord.requests_to("POST", path)] == [429, 200]

        fake_discord.inject_fault("POST", path, 403)
        with pytest.raises(discord.Forbidden) as forbidden:
            await channel.send("nope")
        assert forbidden.value.code == 50013

        fake_discord.inject_fault("POST", "/channels/{channel_id}/messages", 404)
        with pytest.raises(discord.NotFound):
            await channel.send("gone")

        fake_discord.inject_fault("POST", path, 503)
        with pytest.raises(discord.DiscordServerError):
            await channel.send("down")

        readonly = bot.get_channel(fake_discord.readonly_channel_id)
        assert isinstance(readonly, discord.TextChannel)
        with pytest.raises(discord.Forbidden):  # real permission check: @everyone may not send there
            await readonly.send("hi")


@pytest.mark.asyncio
@pytest.mark.parametrize(("status", "code"), [(401, 50027), (404, 10015)])
async def test_expired_interaction_token(fake_discord: FakeDiscord, status: int, code: int) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)) as bot:
        inter = await fake_discord.send_command("ping")
        await inter.response(timeout=2)
        fake_discord.expire_interaction(inter, status)
        webhook = discord.Webhook.partial(fake_discord.application_id, inter.token, client=bot)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.send("too late")
        assert (raised.value.status, raised.value.code) == (status, code)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.edit_message(int(inter.original["id"]), content="too late")
        assert (raised.value.status, raised.value.code) == (status, code)


@pytest.mark.asyncio
async def test_interaction_tokens_expire_after_15_minutes_by_the_clock(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        fresh = await fake_discord.send_command("ping")
        await fresh.response(timeout=2)
        late = await fake_discord.send_command("deferred")
        await late.response(timeout=2)
        fake_discord.advance_clock(14 * 60 + 59)
        assert fake_discord.token_status(late) is None
        webhook = discord.Webhook.partial(fake_discord.application_id, fresh.token, client=bot)
        await webhook.send("still in time")
        fake_discord.advance_clock(1)
        assert fake_discord.token_status(late) == 401
        bot.strict.release.set()
        await fake_discord.wait_for(lambda: bot.strict.errors, timeout=2)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.send("too late")
    (error,) = bot.strict.errors
    assert isinstance(error, discord.HTTPException) and (error.status, error.code) == (401, 50027)
    assert (raised.value.status, raised.value.code) == (401, 50027)
    assert late.followups == [] and len(fresh.followups) == 1


@pytest.mark.asyncio
async def test_the_initial_callback_must_come_within_3_seconds_by_the_clock(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        inter = await fake_discord.send_command("slow")
        fake_discord.advance_clock(3.01)
        bot.strict.release.set()
        await fake_discord.wait_for(lambda: inter.rejected, timeout=2)
        bot.strict.release.clear()
        in_time = await fake_discord.send_command("slow")
        fake_discord.advance_clock(2.5)
        bot.strict.release.set()
        await in_time.response(timeout=2)
    assert inter.rejected[0][:2] == (404, {"message": "Unknown interaction", "code": 10062})
    assert not inter.callbacks
    assert in_time.latency is not None and 2.5 <= in_time.latency < 3
    with pytest.raises(ValueError):
        fake_discord.advance_clock(-1)
