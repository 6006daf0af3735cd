"""Rate limits: every answer carries X-RateLimit-* headers, and discord.py waits on them instead of a 429."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import discord
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_every_response_carries_rate_limit_headers(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{fake_discord.api_url}/users/@me", headers=headers) as resp,
    ):
        assert resp.status == 200
        got = {k: resp.headers.get(k) for k in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Bucket")}
        assert got == {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Bucket": got["X-RateLimit-Bucket"],
        }
        assert float(resp.headers["X-RateLimit-Reset-After"]) <= 1.0
        assert float(resp.headers["X-RateLimit-Reset"]) > time.time()


@pytest.mark.asyncio
async def test_discord_py_waits_for_a_used_up_bucket_instead_of_hitting_429() -> None:
    async with FakeDiscord(rate_limit=(2, 0.3)) as fake:
        path = f"/channels/{fake.channel_id}/messages"
        # A client that ignores the headers is refused once the bucket is used up ...
        headers = {"Authorization": f"Bot {fake.token}"}
        async with aiohttp.ClientSession() as session:
            statuses = []
            for i in range(3):
                async with session.post(f"{fake.api_url}{path}", json={"content": f"raw {i}"}, headers=headers) as r:
                    statuses.append((r.status, r.headers.get("X-RateLimit-Remaining")))
        assert statuses == [(200, "1"), (200, "0"), (429, "0")]
        await asyncio.sleep(0.3)
        # ... while discord.py reads them and waits for the bucket to reset before sending more.
        async with fake.run(DemoBot()) as bot:
            channel = bot.get_channel(fake.channel_id)
            assert isinstance(channel, discord.TextChannel)
            started = time.perf_counter()
            for i in range(5):
                await channel.send(f"message {i}")
            elapsed = time.perf_counter() - started
    sent = [r for r in fake.requests_to("POST", path) if r.token == fake.token][3:]
    assert [r.status for r in sent] == [200] * 5  # no 429: the waiting happened before sending
    assert elapsed >= 0.55  # two resets of 0.3 s were waited for
    assert fake.rate_limits is not None and fake.rate_limits.exhausted >= 3
