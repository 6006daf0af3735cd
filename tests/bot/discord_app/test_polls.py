"""The background polls: the articles folder and the feeds, each waking the delivery worker when
it queued posts, and going on after a failure."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

from bot.config import Settings
from bot.discord_app.polls import poll_library, sweep_links
from tests.bot.discord_app.conftest import make_bot


async def test_the_library_poll_wakes_the_worker_only_for_queued_posts_and_survives_failures(caplog):
    reports = [SimpleNamespace(queued=0), RuntimeError("disk gone"), SimpleNamespace(queued=2)]
    woken = []

    async def sync():
        outcome = reports.pop(0) if reports else SimpleNamespace(queued=0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    task = asyncio.create_task(poll_library(SimpleNamespace(sync=sync), 0.01, lambda: woken.append(1)))  # type: ignore[arg-type]
    try:
        for _ in range(100):
            if not reports:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert woken == [1]
    assert any(r.levelno == logging.ERROR and "library sync failed" in r.getMessage() for r in caplog.records)


async def test_the_links_sweep_runs_at_once_then_every_period_and_survives_failures(caplog):
    outcomes: list[object] = [RuntimeError("disk gone"), ["a"], []]
    swept = []

    async def sweep():
        outcome = outcomes.pop(0) if outcomes else []
        swept.append(outcome)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    task = asyncio.create_task(sweep_links(SimpleNamespace(sweep=sweep), 0.01))  # type: ignore[arg-type]
    try:
        await asyncio.sleep(0)  # the first sweep does not wait for a period
        assert len(swept) == 1
        for _ in range(100):
            if not outcomes:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert len(swept) >= 3
    assert any(r.levelno == logging.ERROR and "links sweep failed" in r.getMessage() for r in caplog.records)


async def test_new_file_is_picked_up_by_the_poll(fake_discord, settings, articles_dir):
    fast = Settings(articles_dir=articles_dir, db_path=settings.db_path, poll_seconds=1)
    async with fake_discord.run(make_bot(fast)) as bot:
        (articles_dir / "new.txt").write_text("Fresh Article\n\nSomething new happened today in the harbour.\n")
        await fake_discord.wait_for(lambda: any(r.title == "Fresh Article" for r in bot.library.articles), timeout=5)
