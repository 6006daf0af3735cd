"""Digests exactly once across crashes: a channel takes a daily digest, the bot's calendar runs a
day every few seconds (``BRIEFBOT_TEST_CLOCK``, tests/support/run_bot_hooks.py), articles keep
arriving, and the bot process is SIGKILLed at random moments (while periods close, while digests
are posted, while articles are stored), restarted, killed again, and finally left to finish. Every
period that had articles must then have exactly one digest, posted once, listing exactly the
articles queued within that period; no article lost, none listed twice."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
import sys
import time
from collections import Counter

from bot.core.periods import DAILY
from bot.discord_app.embeds import DIGEST_PER_PART, digest_title
from bot.storage.db import connect
from bot.storage.subscriptions import SubscriptionRepository
from tests.conftest import ROOT
from tests.support.clock import fast_clock

KILLS = 6
DAY_SECONDS = 3.0  # real seconds per day of the bot's calendar


def settled(db_path) -> tuple[int, int]:
    """(articles queued for the channel, of them delivered), read beside the running bot; (-1, -1)
    while the database is busy (a restart recovering the write-ahead log of a killed process)."""
    try:
        with contextlib.closing(sqlite3.connect(db_path, timeout=10)) as db:
            sql = "SELECT COUNT(*), COALESCE(SUM(status = 'delivered'), 0) FROM deliveries"
            total, done = db.execute(sql).fetchone()
    except sqlite3.OperationalError:
        return -1, -1
    return total, done


async def test_sigkill_around_period_close_and_delivery_posts_each_digest_once(fake_discord, tmp_path, articles_dir):
    rng = random.Random(20261128)
    channel = fake_discord.channel_id
    spec = f"{1_795_780_800.0},{time.time()},{86400 / DAY_SECONDS}"  # from Friday 27 November 2026, 12:00 UTC
    db_path = tmp_path / "crash.sqlite3"
    db = await connect(db_path)
    subs = SubscriptionRepository(db, clock=fast_clock(spec))
    await subs.subscribe(guild_id=fake_discord.guild_id, channel_id=channel, keywords=[], user_id=1, digest=DAILY)
    await db.close()
    # Posts are slowed before and after Discord takes them, so kills land between acceptance and the count.
    fake_discord.inject_fault("POST", f"/channels/{channel}/messages", None, times=None, delay=0.05, delay_after=0.05)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
        "DISCORD_TOKEN": fake_discord.token,
        "BRIEFBOT_ARTICLES_DIR": str(articles_dir),
        "BRIEFBOT_DB": str(db_path),
        "BRIEFBOT_POLL_SECONDS": "1",
        "BRIEFBOT_LOG_LEVEL": "WARNING",
        "BRIEFBOT_TEST_CLOCK": spec,
        "FAKE_DISCORD_API": fake_discord.api_url,
        "FAKE_DISCORD_GATEWAY": fake_discord.gateway_url,
        "PYTHONPATH": str(ROOT),
    }

    async def start() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "support" / "run_bot_hooks.py"),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )

    written = 0
    kills = 0

    async def write() -> None:
        nonlocal written
        (articles_dir / f"story{written:02}.txt").write_text(
            f"Digest Story Number {written}\n\nSomething happened at the harbour, story {written}. More later.\n"
        )
        written += 1

    for _ in range(KILLS):
        proc = await start()
        try:
            before = settled(db_path)
            await write()
            # Once this run stores articles (past its start-up), it is left to work a random while,
            # articles still coming, then killed: in the middle of whatever it was doing.
            for _ in range(160):
                if settled(db_path)[0] > before[0]:
                    break
                await asyncio.sleep(0.25)
            deadline = time.monotonic() + rng.uniform(1.0, 2.5 * DAY_SECONDS)
            while time.monotonic() < deadline:
                await asyncio.sleep(rng.uniform(0.1, 0.8))
                await write()
        finally:
            if proc.returncode is None:
                proc.kill()
                kills += 1
            await proc.wait()
    expected = written + 2  # and the two seeds
    proc = await start()
    try:
        for _ in range(240):  # the last open period closes within a calendar day, then its digest goes
            if settled(db_path) == (expected, expected):
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)  # anything extra would show up now
    finally:
        proc.terminate()
        await proc.wait()
    assert kills == KILLS
    assert settled(db_path) == (expected, expected)

    with contextlib.closing(sqlite3.connect(db_path)) as db:
        digests = db.execute(
            "SELECT id, period_start, period_end, message_id, parts_sent FROM digests WHERE status = 'delivered' "
            "ORDER BY period_start"
        ).fetchall()
        assert db.execute("SELECT COUNT(*) FROM digests WHERE status <> 'delivered'").fetchone() == (0,)
        listed = {
            d[0]: db.execute(
                "SELECT a.title, d.created_at FROM deliveries AS d JOIN articles AS a ON a.id = d.article_id "
                "WHERE d.digest_id = ? ORDER BY d.created_at, d.id",
                (d[0],),
            ).fetchall()
            for d in digests
        }
    messages = sorted(fake_discord.channel_messages(channel), key=lambda m: int(m["id"]))
    # Each digest in DIGEST_PER_PART articles a message, every part once, no other message in the channel.
    assert len(messages) == sum(d[4] for d in digests)
    assert len(digests) >= 2  # the kills spanned several periods
    ends = [d[2] for d in digests]
    assert all(a[1] >= b for a, b in zip(digests[1:], ends, strict=False))  # periods never overlap
    fields: dict[str, list[str]] = {}  # a digest's title -> the articles its parts list, in order
    for m in messages:
        [embed] = m["embeds"]
        fields.setdefault(embed["title"].removesuffix(" (continued)"), []).extend(f["name"] for f in embed["fields"])
    everything = Counter()
    for digest_id, start, end, message_id, parts in digests:
        rows = listed[digest_id]
        assert rows and all(start <= queued < end for _, queued in rows), (start, end, rows)
        assert parts == -(-len(rows) // DIGEST_PER_PART)
        [first] = [m for m in messages if int(m["id"]) == message_id]  # the id stored is its first part's
        assert first["embeds"][0]["title"] == digest_title(DAILY, start, end)
        assert fields[digest_title(DAILY, start, end)] == [title for title, _ in rows]
        everything.update(title for title, _ in rows)
    assert len(everything) == expected and set(everything.values()) == {1}
