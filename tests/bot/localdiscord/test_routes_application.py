"""Application command routes: a registration Discord would refuse fails, and nothing is stored."""

from __future__ import annotations

import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot
from tests.bot.localdiscord.test_check_commands import command, string_option


@pytest.mark.asyncio
async def test_a_registration_discord_would_refuse_fails(fake_discord: FakeDiscord) -> None:
    bot = DemoBot()
    async with fake_discord.run(bot):
        app_id, guild_id = fake_discord.application_id, fake_discord.guild_id
        choices = [{"name": "x", "value": "y"}]
        bad = command(options=[string_option(autocomplete=True, choices=choices)])
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.bulk_upsert_guild_commands(app_id, guild_id, [bad])
        (created,) = await bot.http.bulk_upsert_guild_commands(app_id, guild_id, [command()])
        with pytest.raises(discord.HTTPException) as patched:
            await bot.http.edit_guild_command(
                app_id, guild_id, created["id"], {"options": [string_option(), string_option()]}
            )
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert (patched.value.status, patched.value.code) == (400, 50035)
    assert [c["name"] for c in fake_discord.registered_commands(guild_id)] == ["brief"]
    assert fake_discord.registered_commands(guild_id)[0]["options"] == []


@pytest.mark.asyncio
async def test_a_sixth_message_command_is_refused(fake_discord: FakeDiscord) -> None:
    bot = DemoBot()
    async with fake_discord.run(bot):
        app_id = fake_discord.application_id
        menus = [{"name": f"Menu {i}", "type": 3} for i in range(6)]
        with pytest.raises(discord.HTTPException) as bulk:
            await bot.http.bulk_upsert_global_commands(app_id, menus)
        assert fake_discord.registered_commands() == []
        await bot.http.bulk_upsert_global_commands(app_id, menus[:5])
        with pytest.raises(discord.HTTPException) as one:
            await bot.http.upsert_global_command(app_id, menus[5])
        await bot.http.upsert_global_command(app_id, menus[0])  # the same command again: not a sixth
    assert (bulk.value.status, bulk.value.code) == (400, 30032)
    assert (one.value.status, one.value.code) == (400, 30032)
    assert sorted(c["name"] for c in fake_discord.registered_commands()) == [f"Menu {i}" for i in range(5)]
