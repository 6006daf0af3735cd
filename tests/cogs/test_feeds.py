"""Feeds end to end: the running bot polls a feed from BRIEFBOT_FEEDS on its own, briefs its items
like files, and posts each new item to a subscribed channel exactly once, through the real
discord.py stack against the local fake of Discord."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

import bot.discord_app.polls
from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from tests.bot.library.test_feeds import FERRY, HARBOUR, MARKET
from tests.cogs.conftest import EPHEMERAL, run
from tests.cogs.test_subscriptions import subscribe
from tests.support.feedserver import Item


def publish(server, guid_prefix: str, *, market: bool) -> str:
    server.page("/harbour", "Harbour Plan Approved", HARBOUR, author="Jane Doe")
    server.page("/ferry", "Night Ferry Added", FERRY, author="Sam Hill")
    server.page("/market", "Covered Market Reopens", MARKET, author="Lee Park")
    items = [
        Item("Night Ferry Added", server.url("/ferry"), guid=f"{guid_prefix}-ferry"),
        Item("Harbour Plan Approved", server.url("/harbour"), guid=f"{guid_prefix}-harbour"),
    ]
    if market:
        items.insert(0, Item("Covered Market Reopens", server.url("/market"), guid=f"{guid_prefix}-market"))
    return server.rss("/feed.xml", items, etag=f'"{guid_prefix}"')


def delivered(fake, channel: int) -> list[str]:
    """Titles the delivery worker posted to the channel (answers to commands are not posts)."""
    return [r.json["embeds"][0]["title"] for r in fake.requests_to("POST", f"/channels/{channel}/messages")]


async def until(predicate: Callable[[], object], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


async def poll_now(bot: BriefBot, server, timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Make the feed due until the bot fetches it again (a poll still finishing may set its next
    time after ours), then wait for that poll to be recorded (its ETag stored)."""
    url = server.url("/feed.xml")
    before = len(server.requests_to("/feed.xml"))
    deadline = time.monotonic() + timeout
    while len(server.requests_to("/feed.xml")) <= before:
        assert time.monotonic() < deadline, "the bot did not poll the feed"
        await bot.db.execute("UPDATE feeds SET next_poll = 0")
        await asyncio.sleep(0.1)
    etag = server.routes["/feed.xml"].etag
    while (await bot.feeds.get(url)).etag != etag:
        assert time.monotonic() < deadline, "the poll was not recorded"
        await asyncio.sleep(0.05)


@pytest.fixture
async def feed_bot(fake_discord, feed_server, tmp_path, articles_dir, monkeypatch) -> AsyncIterator[BriefBot]:
    monkeypatch.setattr(bot.discord_app.polls, "FEED_CHECK_SECONDS", 0.2)
    settings = Settings(
        articles_dir=articles_dir,
        db_path=tmp_path / "bot.sqlite3",
        poll_seconds=3600,
        feeds=(publish(feed_server, "a", market=False),),
        feeds_allow_private=True,  # the test server is on the loopback address
    )
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)) as running:
        yield running


async def test_new_feed_items_are_briefed_and_posted_exactly_once(fake_discord, feed_server, feed_bot):
    url = feed_server.url("/feed.xml")
    channel = fake_discord.channel_id
    # The bot polls the feed from BRIEFBOT_FEEDS by itself; its back catalogue joins the library.
    await until(lambda: feed_bot.library.catalogue.resolve("Harbour Plan Approved") is not None)
    _, data = await run(fake_discord, "brief", article="Harbour Plan Approved")
    embed = data["embeds"][0]
    assert embed["title"] == "Harbour Plan Approved" and embed["url"] == feed_server.url("/harbour")
    assert "Jane Doe" in embed["author"]["name"]
    _, data = await run(fake_discord, "quotes", keyword="quays")
    assert "“We will rebuild the **quays**” — Maria Lopez" in data["embeds"][0]["description"]

    await subscribe(fake_discord)
    # The feed gains an item and rewrites every guid; the bot's next poll finds it.
    publish(feed_server, "b", market=True)
    await poll_now(feed_bot, feed_server)
    await fake_discord.wait_for(lambda: delivered(fake_discord, channel), timeout=10)
    assert delivered(fake_discord, channel) == ["Covered Market Reopens"]
    # More polls, new guids again: nothing more is posted.
    for prefix in ("c", "d"):
        publish(feed_server, prefix, market=True)
        await poll_now(feed_bot, feed_server)
    await asyncio.sleep(0.5)
    assert delivered(fake_discord, channel) == ["Covered Market Reopens"]
    titles = [m["embeds"][0]["title"] for m in fake_discord.channel_messages(channel) if m.get("embeds")]
    assert titles.count("Covered Market Reopens") == 1
    async with feed_bot.db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [("delivered", 1)]
    feed = await feed_bot.feeds.get(url)
    assert feed.failures == 0 and feed.items == 11  # one per guid: 2 + 3 + 3 + 3 and feed.etag == '"d"'


def sub(name: str, **values) -> list[dict]:
    types = {str: 3, int: 4}
    return [
        {
            "type": 1,
            "name": name,
            "options": [{"type": types[type(v)], "name": k, "value": v} for k, v in values.items()],
        }
    ]


async def answer(fake, options, user):
    inter = await fake.send_command("feeds", options=options, user=user)
    return (await inter.response(timeout=3)).data


async def test_feeds_commands_are_for_the_owner_only(fake_discord, bot):
    owner, url = fake_discord.owner, "https://news.example/feed.xml"
    data = await answer(fake_discord, sub("add", url=url), fake_discord.mod)
    assert data["flags"] & EPHEMERAL and data["content"] == "Only the bot's owner can manage its feeds."
    assert await bot.feeds.all() == []
    data = await answer(fake_discord, sub("add", url="ftp://news.example/feed"), owner)
    assert data["content"] == "I can't poll that address: only http and https addresses are fetched, not 'ftp'."
    data = await answer(fake_discord, sub("add", url=url, interval=600), owner)
    assert data["flags"] & EPHEMERAL and data["content"] == "Added https://news.example/feed.xml, polled every 10 min."
    await bot.feeds.failed(1, "HTTP 500", next_poll=0, disable_reason="5 failures in a row; the last: HTTP 500")
    data = await answer(fake_discord, sub("list"), owner)
    embed = data["embeds"][0]
    assert "every 10 min, 0 items, DISABLED since" in embed["description"]
    assert embed["description"].endswith("5 failures in a row; the last: HTTP 500")
    data = await answer(fake_discord, sub("add", url=url), owner)
    assert data["content"] == "Enabled https://news.example/feed.xml again, polled every 10 min."
    data = await answer(fake_discord, sub("remove", url=url), owner)
    assert data["content"] == "Removed https://news.example/feed.xml (its articles stay in the library)."
    assert await bot.feeds.all() == []


async def test_an_item_stored_before_a_crash_is_posted_once_after_restart(
    fake_discord, feed_server, tmp_path, articles_dir
):
    """The item, its article and its delivery commit together; the bot that starts next posts it."""
    from bot.library.feeds import FeedPoller
    from bot.library.service import Library
    from bot.sources.fetch import Fetcher
    from bot.storage.db import connect
    from bot.storage.feeds import FeedRepository
    from bot.storage.subscriptions import SubscriptionRepository

    db_path = tmp_path / "bot.sqlite3"
    channel = fake_discord.channel_id
    db = await connect(db_path)
    fetcher = Fetcher(allow_private=True)
    try:
        subs = SubscriptionRepository(db)
        library = Library(db, articles_dir)
        await library.sync()
        await subs.subscribe(guild_id=fake_discord.guild_id, channel_id=channel, keywords=[], user_id=1)
        poller = FeedPoller(FeedRepository(db), library, fetcher)
        await poller.repo.add(publish(feed_server, "a", market=False), 900)
        await poller.poll_due()
        publish(feed_server, "b", market=True)
        await db.execute("UPDATE feeds SET next_poll = 0")
        [result] = await poller.poll_due()
        assert result.queued == 1
    finally:  # the process dies here: nothing was posted
        await fetcher.close()
        await db.close()
    assert delivered(fake_discord, channel) == []
    settings = Settings(articles_dir=articles_dir, db_path=db_path, poll_seconds=3600, feeds_allow_private=True)
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)) as running:
        await fake_discord.wait_for(lambda: delivered(fake_discord, channel), timeout=10)
        await asyncio.sleep(0.3)
        assert delivered(fake_discord, channel) == ["Covered Market Reopens"]
        assert running.library.catalogue.resolve("Covered Market Reopens") is not None
