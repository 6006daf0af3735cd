"""A hostile page in the articles folder, through the running bot and the fake Discord: start-up
does not wait for it, the bot answers meanwhile, and stopping kills its extraction at once."""

from __future__ import annotations

import logging
import time

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.library.service import Library
from bot.storage.db import connect
from tests.bot.test_runaway import slow_page
from tests.cogs.conftest import run


async def test_a_hostile_page_holds_up_neither_start_up_nor_shutdown(fake_discord, tmp_path, articles_dir, caplog):
    caplog.set_level(logging.INFO, logger="bot.discord_app.briefbot")
    db_path = tmp_path / "bot.sqlite3"
    db = await connect(db_path)
    try:  # a library the bot has synced before
        library = Library(db, articles_dir)
        await library.sync()
        library.close()
    finally:
        await db.close()
    # Then a page arrives that trafilatura would take minutes over (12 s for 500 KB, 10+ min for 5 MB).
    (articles_dir / "links.html").write_text(slow_page(600_000))
    bot = BriefBot(Settings(articles_dir=articles_dir, db_path=db_path, poll_seconds=3600), guild_ready_timeout=0.05)
    bot.startup_sync_seconds = 1.0
    started = time.monotonic()
    async with fake_discord.run(bot, ready_timeout=8) as running:
        assert time.monotonic() - started < 8
        _, data = await run(fake_discord, "articles")
        assert "Joel Wuthnow" in data["embeds"][0]["description"]  # answering while the page is read
        assert running.library.pages.workers == 1
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 3
    assert running.library.pages.workers == 0
    assert "the first sync goes on in the background" in caplog.text
    assert running.library.catalogue.resolve("links.html") is None
