"""The one ingest path: every article stored, from a file or a feed, by the bot or the terminal,
gets its identity, its subscription fan-out and its raw text in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.analysis.parsing import content_hash
from bot.config import Settings
from bot.core.models import RawArticle
from bot.discord_app.briefbot import BriefBot
from bot.library.ingest import Ingest, Stored, analyse_raw
from bot.library.service import Library
from bot.sources.files import parse_article_bytes
from bot.storage.db import connect
from bot.storage.subscriptions import SubscriptionRepository
from tests.bot.library.conftest import ARTICLE
from tests.bot.test_cli import run_cli
from tests.cogs.test_subscriptions import NEW, posts, subscribe

OTHER = "Opera Season Opens\n\nThe opera house opened its season with a new production of Tosca.\n"


async def pending(db_path) -> list[tuple[int, str]]:
    db = await connect(db_path)
    try:
        async with db.execute("SELECT channel_id, article_id FROM deliveries WHERE status = 'pending'") as cur:
            return [tuple(r) for r in await cur.fetchall()]
    finally:
        await db.close()


async def test_a_file_the_terminal_stores_while_the_bot_is_down_is_posted(fake_discord, tmp_path, articles_dir):
    """Issue 14's bug 2: `briefbot articles` stored a new file without its outbox rows, so the
    subscribed channel never got it (the bot, restarted, found the file already stored)."""
    (tmp_path / "seeds").symlink_to(articles_dir)
    settings = Settings(
        articles_dir=tmp_path / "seeds", db_path=tmp_path / "data" / "briefbot.sqlite3", poll_seconds=3600
    )
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)):
        await subscribe(fake_discord)  # every new article, to #general
    (articles_dir / "harbour.txt").write_text(NEW)  # added while the bot is down
    result = run_cli("articles", cwd=tmp_path)  # the terminal's own code path stores it
    assert result.returncode == 0, result.stderr
    assert "Harbour Plan Approved" in result.stdout
    [(channel, _article)] = await pending(settings.db_path)
    assert channel == fake_discord.channel_id
    # The library opened as the bot opens it: the channel gets the article, once.
    async with fake_discord.run(BriefBot(settings, guild_ready_timeout=0.05)) as running:
        await fake_discord.wait_for(lambda: posts(fake_discord, fake_discord.channel_id), timeout=5)
        assert posts(fake_discord, fake_discord.channel_id) == ["Harbour Plan Approved"]
        for _ in range(50):  # the post is recorded as delivered just after Discord answers it
            if await running.subscriptions.counts() == {"delivered": 1}:
                break
            await asyncio.sleep(0.1)
        assert await running.subscriptions.counts() == {"delivered": 1}


@pytest.fixture
async def library(db, articles_dir):
    lib = Library(db, articles_dir)
    await lib.sync()
    try:
        yield lib
    finally:
        lib.close()


async def store(library: Library, raw: RawArticle, **kwargs) -> Stored | object:
    session = await library.ingest.session()
    async with session.batch():
        return await session.store(raw, content_hash(raw), analyse_raw(raw), **kwargs)


async def test_storing_queues_the_new_article_for_every_matching_channel_in_its_transaction(db, library):
    subs = SubscriptionRepository(db)
    await subs.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)
    await subs.subscribe(guild_id=1, channel_id=11, keywords=["tosca"], user_id=5)
    await subs.subscribe(guild_id=1, channel_id=12, keywords=["harbour"], user_id=5)
    stored = await store(library, RawArticle(text=OTHER))
    assert isinstance(stored, Stored) and stored.queued == 2
    async with db.execute("SELECT channel_id FROM deliveries WHERE article_id = ? ORDER BY 1", (stored.id,)) as cur:
        assert [r[0] for r in await cur.fetchall()] == [10, 11]
    async with db.execute(
        "SELECT COUNT(*) FROM raw_articles WHERE content_hash = ?", (content_hash(RawArticle(text=OTHER)),)
    ) as cur:
        assert (await cur.fetchone())[0] == 1


async def test_a_failed_store_leaves_no_outbox_row(db, library, monkeypatch):
    await SubscriptionRepository(db).subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.library.ingest.queue", broken)
    with pytest.raises(RuntimeError):
        await store(library, RawArticle(text=OTHER))
    async with db.execute(
        "SELECT (SELECT COUNT(*) FROM deliveries) + (SELECT COUNT(*) FROM raw_articles WHERE content_hash = ?)",
        (content_hash(RawArticle(text=OTHER)),),
    ) as cur:
        assert (await cur.fetchone())[0] == 0
    assert await library.catalogue.repo.by_slug("opera-season-opens") is None


async def test_a_store_outside_a_batch_is_refused(library):
    session = await library.ingest.session()
    raw = RawArticle(text=OTHER)
    with pytest.raises(RuntimeError, match=r"inside Session\.batch"):
        await session.store(raw, content_hash(raw), analyse_raw(raw))


async def test_content_already_live_is_not_stored_again_whatever_its_origin(library, articles_dir):
    (articles_dir / "opera.txt").write_text(OTHER)
    await library.sync()
    holder = library.catalogue.resolve("opera.txt")
    as_feed = parse_article_bytes(OTHER.encode(), ".txt")  # the same content, from elsewhere
    assert await store(library, as_feed) == holder  # not stored again
    (articles_dir / "copy.txt").write_text(OTHER)
    report = await library.sync()
    assert report.skipped == [("copy.txt", "same content as opera.txt")] and not report.added


async def test_a_renamed_file_keeps_its_article(library, articles_dir):
    (articles_dir / "opera.txt").write_text(OTHER)
    await library.sync()
    before = library.catalogue.resolve("opera.txt")
    (articles_dir / "opera.txt").rename(articles_dir / "tosca.txt")
    report = await library.sync()
    assert report.added == [before.id] and report.retired == []
    assert library.catalogue.resolve("tosca.txt").id == before.id


async def test_an_id_held_by_an_edited_article_gives_the_newcomer_the_next_digits(library, articles_dir):
    (articles_dir / "opera.txt").write_text(OTHER)
    await library.sync()
    first = library.catalogue.resolve("opera.txt")
    (articles_dir / "opera.txt").write_text(OTHER + "\nA correction.\n")  # keeps its id, other content
    library.files._last_full_scan = float("-inf")
    await library.sync()
    original = parse_article_bytes(OTHER.encode(), ".txt")
    digest = content_hash(original)
    assert first.id == digest[:16]
    stored = await store(library, original)  # the original text again, from a feed
    assert isinstance(stored, Stored) and stored.id == digest[16:32] != first.id


async def test_a_taken_slug_gets_the_id_prefix(library):
    one = await store(library, RawArticle(text=OTHER))
    two = await store(library, RawArticle(text=OTHER + "\nMore.\n"))
    assert isinstance(one, Stored) and isinstance(two, Stored)
    rows = {r.id: r.slug for r in await library.catalogue.repo.live()}
    assert rows[one.id] == "opera-season-opens" and rows[two.id] == f"opera-season-opens-{two.id[:6]}"


def test_ingest_needs_nothing_but_the_database_for_its_subscriptions():
    """Nothing can build a way to store without fan-out: Ingest reads the subscriptions itself."""
    import inspect

    assert "subscriptions" not in inspect.signature(Ingest).parameters
    assert "subscriptions" not in inspect.signature(Library).parameters


async def test_feed_articles_are_analysed_in_workers_and_one_over_its_time_is_refused(
    db, articles_dir, monkeypatch, caplog
):
    """A feed entry's text (from its page or the feed) is analysed in the pool's workers too,
    within the budget: one whose analysis never ends is refused, the others stored."""
    import bot.library.ingest as libmod
    from bot.core.models import RawArticle
    from bot.library.ingest import PAGE_MEMORY_BYTES
    from bot.library.workers import KillablePool

    def not_here(*args, **kwargs):
        raise AssertionError("analysed in the bot's own process")

    monkeypatch.setattr(libmod, "analyse", not_here)  # the spawned workers have the real one
    pool = KillablePool(2, memory_bytes=PAGE_MEMORY_BYTES, preload=("tests.support.slow_analysis",))
    library = Library(db, articles_dir, pages=pool, page_seconds=1.0)
    try:
        raws = [
            RawArticle(text="Its analysis never ends.", title="A Slow Feed Article", url="https://example.com/slow"),
            RawArticle(text=ARTICLE.split("\n\n", 1)[1], title="Harbour Plan Approved", url="https://example.com/ok"),
        ]
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="bot.library.ingest"):
            report = await library.ingest.add_raws(raws)
        assert time.monotonic() - started < 8
        [(entry, reason)] = report.skipped
        assert entry == "https://example.com/slow" and reason == "refused: took more than 1 s; stopped"
        assert "refused https://example.com/slow: took more than 1 s" in caplog.text
        assert len(report.added) == 1 and library.catalogue.resolve("harbour-plan-approved") is not None
        assert pool.killed == 1
    finally:
        library.close()


def test_only_the_ingest_path_saves_articles():
    """Storing an article without its fan-out is impossible because nothing else calls save()."""
    from pathlib import Path

    import bot

    root = Path(bot.__file__).parent
    callers = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if ".save(" in p.read_text()]
    assert callers == ["library/ingest.py"]
