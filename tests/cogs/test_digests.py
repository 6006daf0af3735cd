"""Digests end to end, through the real bot and discord.py against the fake Discord: one post per
period with the period's articles, once, across a restart; nothing for an empty period; a digest
too big for one message split into messages Discord accepts; the mode shown by /subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from tests.cogs.conftest import EPHEMERAL, run
from tests.support.clock import FakeClock

HARBOUR = "Harbour Plan Approved\n\nThe harbour board approved a new plan on Monday. It will cost a great deal.\n"
OPERA = "Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca.\n"
TIMESTAMP = re.compile(r"<t:(\d+):([fR])>")


@contextlib.asynccontextmanager
async def running(fake, settings: Settings, clock: FakeClock) -> AsyncIterator[BriefBot]:
    async with fake.run(BriefBot(settings, guild_ready_timeout=0.05, clock=clock)) as bot:
        await bot.first_sync_finished()
        yield bot


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock("2026-11-27T10:00:00+00:00")  # a Friday


@pytest.fixture
def settings(tmp_path, articles_dir) -> Settings:
    return Settings(articles_dir=articles_dir, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600)


@pytest.fixture
async def bot(fake_discord, settings, clock) -> AsyncIterator[BriefBot]:
    async with running(fake_discord, settings, clock) as bot:
        yield bot


def digests(fake, channel_id: int) -> list[dict]:
    return [e for m in fake.channel_messages(channel_id) for e in m.get("embeds", []) if "digest" in e["title"]]


async def add_file(bot, articles_dir, name: str, text: str) -> None:
    (articles_dir / name).write_text(text)
    await bot.library.sync()
    bot.delivery_worker.wake()


async def next_day(bot, clock: FakeClock, moment: str = "2026-11-28T00:00:01+00:00") -> None:
    clock.set(moment)
    bot.delivery_worker.wake()


async def test_a_daily_digest_is_posted_once_after_its_day(fake_discord, bot, clock, articles_dir):
    channel = fake_discord.channel_id
    _, data = await run(fake_discord, "subscribe", user=fake_discord.mod, digest="daily")
    assert data["flags"] & EPHEMERAL and "in a daily digest: the next <t:1795824000:f>" in data["content"]
    await add_file(bot, articles_dir, "harbour.txt", HARBOUR)
    await add_file(bot, articles_dir, "opera.txt", OPERA)
    await asyncio.sleep(0.3)
    assert fake_discord.channel_messages(channel) == []  # held until the day ends
    await next_day(bot, clock)
    await fake_discord.wait_for(lambda: digests(fake_discord, channel), timeout=5)
    await asyncio.sleep(0.5)  # a second post would show up now
    [message] = fake_discord.channel_messages(channel)
    [embed] = message["embeds"]
    assert embed["title"] == "Daily digest: Friday 27 November 2026"
    assert [f["name"] for f in embed["fields"]] == ["Harbour Plan Approved", "Opera Season Opens"]
    assert embed["fields"][0]["value"].startswith("The harbour board approved a new plan on Monday.")
    assert "`/brief article:harbour-plan-approved`" in embed["fields"][0]["value"]  # a file has no link
    assert embed["footer"]["text"] == "Part 1 of 1 · 2 articles"
    [post] = fake_discord.requests_to("POST", f"/channels/{channel}/messages")
    assert post.json["allowed_mentions"] == {"parse": []} and post.json["enforce_nonce"] is True
    assert post.json["nonce"].startswith("bd")
    assert await bot.digests.counts() == {"delivered": 1}
    assert await bot.subscriptions.counts() == {"delivered": 2}


async def test_subscriptions_show_the_mode_and_the_next_digest(fake_discord, bot, clock):
    await run(fake_discord, "subscribe", user=fake_discord.mod, digest="weekly", keywords="harbour")
    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    description = data["embeds"][0]["description"]
    assert description.startswith(f"<#{fake_discord.channel_id}>: articles mentioning “harbour”, weekly digest, next ")
    # Monday 30 November 2026, 00:00 UTC, as a full date and as a relative time.
    assert TIMESTAMP.findall(description) == [("1795996800", "f"), ("1795996800", "R")]
    await run(fake_discord, "subscribe", user=fake_discord.mod)  # again, without digest: each article
    _, data = await run(fake_discord, "subscriptions", user=fake_discord.mod)
    assert data["embeds"][0]["description"] == f"<#{fake_discord.channel_id}>: every article, each as it comes"


async def test_a_digest_closed_while_the_bot_was_down_is_posted_once_at_the_next_start(
    fake_discord, settings, clock, articles_dir
):
    channel = fake_discord.channel_id
    async with running(fake_discord, settings, clock) as bot:
        await run(fake_discord, "subscribe", user=fake_discord.mod, digest="daily")
        await add_file(bot, articles_dir, "harbour.txt", HARBOUR)
    clock.set("2026-11-29T09:00:00+00:00")  # two days later
    (articles_dir / "opera.txt").write_text(OPERA)  # stored at the next start: Sunday's
    async with running(fake_discord, settings, clock) as bot:
        await fake_discord.wait_for(lambda: digests(fake_discord, channel), timeout=5)
        await asyncio.sleep(0.5)
    async with running(fake_discord, settings, clock) as bot:  # and again: nothing more
        await asyncio.sleep(0.5)
        clock.set("2026-11-30T00:00:01+00:00")
        bot.delivery_worker.wake()
        await fake_discord.wait_for(lambda: len(digests(fake_discord, channel)) == 2, timeout=5)
        await asyncio.sleep(0.5)
    titles = [(e["title"], [f["name"] for f in e["fields"]]) for e in digests(fake_discord, channel)]
    assert titles == [
        ("Daily digest: Friday 27 November 2026", ["Harbour Plan Approved"]),
        ("Daily digest: Sunday 29 November 2026", ["Opera Season Opens"]),
    ]


async def test_an_empty_period_posts_nothing(fake_discord, bot, clock):
    await run(fake_discord, "subscribe", user=fake_discord.mod, digest="daily")
    await next_day(bot, clock, "2026-11-30T12:00:00+00:00")
    await asyncio.sleep(0.5)
    assert fake_discord.channel_messages(fake_discord.channel_id) == []
    assert await bot.digests.counts() == {}
    [sub] = await bot.subscriptions.for_guild(fake_discord.guild_id)
    assert sub.next_digest == "2026-12-01T00:00:00+00:00"  # the open period moved on


async def test_switching_to_each_article_posts_what_was_held(fake_discord, bot, clock, articles_dir):
    channel = fake_discord.channel_id
    await run(fake_discord, "subscribe", user=fake_discord.mod, digest="daily")
    await add_file(bot, articles_dir, "harbour.txt", HARBOUR)
    await run(fake_discord, "subscribe", user=fake_discord.mod, digest="off")
    await fake_discord.wait_for(lambda: fake_discord.channel_messages(channel), timeout=5)
    await next_day(bot, clock)
    await asyncio.sleep(0.5)
    [message] = fake_discord.channel_messages(channel)
    assert message["embeds"][0]["title"] == "Harbour Plan Approved"  # posted on its own, once


async def test_sixty_articles_split_into_messages_discord_accepts(fake_discord, bot, clock, articles_dir):
    channel = fake_discord.channel_id
    await run(fake_discord, "subscribe", user=fake_discord.mod, digest="daily")
    for i in range(60):
        sentence = f"Story {i} begins with a long opening sentence " + "about the harbour and its plans " * 12
        (articles_dir / f"story{i:02}.txt").write_text(
            f"Harbour Story Number {i} " + "With A Long Headline " * 8 + f"\n\n{sentence.strip()}.\n\nMore later.\n"
        )
    await bot.library.sync()
    await next_day(bot, clock)
    for _ in range(100):  # every part posted, then the digest marked delivered
        if await bot.digests.counts() == {"delivered": 1}:
            break
        await asyncio.sleep(0.1)
    messages = fake_discord.channel_messages(channel)
    assert len(messages) > 1 and all(len(m["embeds"]) == 1 for m in messages)
    names = Counter(f["name"].split(" With ")[0] for m in messages for f in m["embeds"][0]["fields"])
    assert names == Counter(f"Harbour Story Number {i}" for i in range(60))  # each once, none lost
    assert [m["embeds"][0]["footer"]["text"] for m in messages] == [
        f"Part {i + 1} of {len(messages)} · 60 articles" for i in range(len(messages))
    ]
    posts = fake_discord.requests_to("POST", f"/channels/{channel}/messages")
    assert len(posts) == len(messages) and len({p.json["nonce"] for p in posts}) == len(messages)
