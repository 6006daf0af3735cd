"""Exactly once across crashes: the bot process is SIGKILLed at random moments while it delivers
new articles to subscribed channels, restarted, killed again, and finally left to finish. Every
channel must then hold every article exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sys
from collections import Counter

from bot.localdiscord import make_text_channel
from bot.storage.db import connect
from bot.storage.subscriptions import SubscriptionRepository
from tests.conftest import ROOT

ARTICLES = 12
KILLS = 6


async def start_bot(fake, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "support" / "run_bot.py"),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigkill_during_delivery_never_duplicates_or_loses(fake_discord, tmp_path, articles_dir):
    rng = random.Random(20261122)
    channels = [fake_discord.channel_id]
    for name in ("news", "briefs"):
        channel = make_text_channel(name=name)
        fake_discord.add_channel(fake_discord.guild_id, channel)
        channels.append(int(channel["id"]))
    db_path = tmp_path / "crash.sqlite3"
    db = await connect(db_path)
    subs = SubscriptionRepository(db)
    for channel_id in channels:
        await subs.subscribe(guild_id=fake_discord.guild_id, channel_id=channel_id, keywords=[], user_id=1)
    await db.close()
    for i in range(ARTICLES):
        (articles_dir / f"new{i:02}.txt").write_text(
            f"Breaking Story Number {i}\n\nSomething happened in the harbour, story {i}. Officials said more later.\n"
        )
    # Every post is slowed, half before Discord takes the message and half after (the answer is
    # late), so kills land both before a post is accepted and between acceptance and the mark.
    for channel_id in channels:
        fake_discord.inject_fault(
            "POST", f"/channels/{channel_id}/messages", None, times=None, delay=0.04, delay_after=0.04
        )
    expected = len(list(articles_dir.glob("*.txt")))  # the seeds are new to this database too
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
        "DISCORD_TOKEN": fake_discord.token,
        "BRIEFBOT_ARTICLES_DIR": str(articles_dir),
        "BRIEFBOT_DB": str(db_path),
        "BRIEFBOT_POLL_SECONDS": "1",
        "BRIEFBOT_LOG_LEVEL": "WARNING",
        "FAKE_DISCORD_API": fake_discord.api_url,
        "FAKE_DISCORD_GATEWAY": fake_discord.gateway_url,
        "PYTHONPATH": str(ROOT),
    }

    def delivered() -> int:
        return sum(len(fake_discord.channel_messages(c)) for c in channels)

    kills = 0
    for _ in range(KILLS):
        proc = await start_bot(fake_discord, env)
        before = delivered()
        # Kill once some (but, if possible, not all) posts of this run went out.
        with contextlib.suppress(Exception):
            await fake_discord.wait_for(lambda b=before: delivered() > b, timeout=15)
        await asyncio.sleep(rng.uniform(0.0, 0.4))
        if proc.returncode is None:
            proc.kill()
            kills += 1
        await proc.wait()
        if delivered() >= expected * len(channels):
            break
    proc = await start_bot(fake_discord, env)
    try:
        await fake_discord.wait_for(lambda: delivered() >= expected * len(channels), timeout=30)
        await asyncio.sleep(1.5)  # anything extra would show up now
    finally:
        proc.terminate()
        await proc.wait()
    assert kills >= 2
    # Some post was accepted by Discord but not marked before a kill, and was sent again with the
    # same nonce: Discord returned the first message instead of posting a second.
    assert fake_discord.nonce_replays >= 1
    for channel_id in channels:
        titles = Counter(m["embeds"][0]["title"] for m in fake_discord.channel_messages(channel_id))
        assert len(titles) == expected, f"channel {channel_id} got {len(titles)} of {expected} articles"
        assert set(titles.values()) == {1}, f"duplicates in channel {channel_id}: {titles}"
