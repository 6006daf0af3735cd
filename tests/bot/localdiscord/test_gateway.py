"""The fake gateway: dropped connections resumed, sessions ended and identified again, events replayed."""

from __future__ import annotations

import asyncio

import pytest

from bot.localdiscord import FakeDiscord, ResponseType
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_dropped_gateway_is_resumed(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)
    async with fake_discord.run(bot):
        await fake_discord.drop_gateway(code=4000)
        # Sent while the bot is disconnected: buffered and replayed on RESUME, as Discord does.
        inter = await fake_discord.send_command("ping")
        await asyncio.wait_for(resumed.wait(), 3)
        reply = await inter.response(timeout=2)
        assert reply.data is not None and reply.data["content"] == "pong"

        later = await fake_discord.send_command("ping")
        assert (await later.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.identify_count == 1 and fake_discord.resume_count == 1
    assert fake_discord.gateway.connections[-1].path == "/resume"


@pytest.mark.asyncio
async def test_session_ended_by_a_non_resumable_close_is_identified_again(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)

    async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py's 5 s pause between IDENTIFYs; the fake does not rate-limit them

    bot.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    async with fake_discord.run(bot):
        await fake_discord.drop_gateway(code=4009)  # session timed out
        await fake_discord.wait_for(lambda: fake_discord.identify_count == 2, timeout=5)
        await fake_discord.wait_until_ready()
        # discord.py tried to RESUME first and was told the session is gone (op 9, d=false).
        refused = fake_discord.gateway.connections[1]
        assert [p["op"] for p in refused.received if p["op"] != 1] == [6]
        assert {"op": 9, "d": False, "s": None, "t": None} in refused.sent
        inter = await fake_discord.send_command("ping")
        assert (await inter.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.resume_count == 0


@pytest.mark.asyncio
async def test_abrupt_drop_is_resumed_with_missed_events_replayed(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        await fake_discord.drop_gateway(abrupt=True)
        assert not fake_discord.gateway.ready  # the session has no socket until the bot resumes it
        inter = await fake_discord.send_command("ping")  # while no socket is open
        await fake_discord.wait_for(lambda: fake_discord.resume_count == 1, timeout=5)
        assert (await inter.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.identify_count == 1
