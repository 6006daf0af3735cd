"""The bot's background polls: the articles folder (the library's sync) and the feeds, each waking
the delivery worker when it queued posts for subscribed channels; and the sweep of old members' links."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from bot.library.feeds import FeedPoller
from bot.library.links import Links
from bot.library.service import Library

log = logging.getLogger(__name__)

FEED_CHECK_SECONDS = 30.0  # the feeds table is read at least this often, so `briefbot feeds add` is seen soon


async def poll_library(library: Library, every: float, wake: Callable[[], None]) -> None:
    """Sync the library with its folder every ``every`` seconds, forever; a failure is logged and
    the next sync tries again."""
    while True:
        await asyncio.sleep(every)
        try:
            report = await library.sync()
            if report.queued:
                wake()
        except Exception:
            log.exception("library sync failed; retrying in %ss", every)


async def poll_feeds(poller: FeedPoller, wake: Callable[[], None]) -> None:
    """Start polling the feeds that are due, each in a task of its own, then sleep until the next
    is due or a poll ends (at most FEED_CHECK_SECONDS, so feeds added or removed from the command
    line are seen soon). A slow feed is never waited for: a feed due meanwhile starts on time."""

    def polled(task: asyncio.Task[Any]) -> None:
        """A feed's poll ended: wake the delivery worker when it queued posts, log what went wrong
        when even recording its failure failed (a poll's own errors are counted against its feed)."""
        if task.cancelled():
            return
        if (exc := task.exception()) is not None:
            log.error("feed poll failed; the feed is polled again at its next check", exc_info=exc)
        elif task.result().queued:
            wake()

    while True:
        try:
            for task in await poller.start_due():
                task.add_done_callback(polled)
            next_due = await poller.next_due()
        except Exception:
            log.exception("feed poll failed; retrying in %ss", FEED_CHECK_SECONDS)
            next_due = None
        wait = FEED_CHECK_SECONDS if next_due is None else next_due - poller.clock()
        await poller.wait(min(FEED_CHECK_SECONDS, max(1.0, wait)))


async def sweep_links(links: Links, every: float) -> None:
    """Retire what members' links brought once it is past its time (bot.library.links), now and every
    ``every`` seconds, forever; a failure is logged and the next sweep tries again."""
    while True:
        try:
            await links.sweep()
        except Exception:
            log.exception("links sweep failed; retrying in %ss", every)
        await asyncio.sleep(every)
