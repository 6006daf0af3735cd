"""The delivery worker: posts queued new-article briefs to subscribed channels, exactly once.

Deliveries are rows of the outbox (see bot/storage/subscriptions.py), written in the same
transaction as the article or the subscription. The worker posts each with a nonce derived from
(channel, article) and enforce_nonce, then marks it delivered. If the bot dies between Discord
accepting a post and the mark being written, the next attempt sends the same nonce and Discord
answers with the message it already has, so nothing is posted twice. What remains: Discord keeps
nonces for a few minutes only, so a crash in that exact window followed by a restart more than a
few minutes later could post one duplicate.

A post Discord refuses (403 no access, 404 no channel, 400 an invalid message: any 4xx but 401 and
429) would be refused again, so it is not retried: the channel's subscription is paused with the
reason, shown by /subscriptions, until someone subscribes it again. Server errors (5xx), rate limits
(429) and broken connections pass, and are retried with a growing delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.core.backoff import backoff
from bot.core.models import Delivery
from bot.discord_app.embeds import NO_MENTIONS, brief_embed
from bot.library.routing import delivery_nonce, permanent_failure

if TYPE_CHECKING:
    from bot.discord_app.briefbot import BriefBot

log = logging.getLogger(__name__)

CONCURRENCY = 4  # posts in flight at once; discord.py keeps each within Discord's rate limits
BATCH = 50
IDLE_WAIT = 30.0  # re-check the outbox at least this often
MAX_BACKOFF = 600.0


class DeliveryWorker:
    def __init__(self, bot: BriefBot) -> None:
        self.bot = bot
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self.base_delay = 2.0  # first retry after a failure; doubles each time up to MAX_BACKOFF

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="briefbot-deliveries")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.drain()
            except Exception:
                log.exception("delivery worker failed; retrying")
            wait = await self.bot.subscriptions.next_due_in()
            self._wake.clear()
            timeout = IDLE_WAIT if wait is None else min(IDLE_WAIT, max(wait, 0.05))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def drain(self) -> int:
        """Post every delivery that is due now; returns how many were delivered."""
        delivered = 0
        while batch := await self.bot.subscriptions.due(BATCH):
            results = await asyncio.gather(*(self._deliver(d) for d in batch))
            delivered += sum(results)
            if not any(results) and all(d.attempts > 0 for d in batch):
                break  # everything due is failing; the backoff decides when to try again
        return delivered

    async def _deliver(self, d: Delivery) -> bool:
        repo = self.bot.subscriptions
        row = self.bot.library.catalogue.resolve(d.article_id)
        if row is None:
            await repo.cancel(d.id, "the article was removed before it could be posted")
            return False
        async with self._slots:
            try:
                brief = await self.bot.library.reading.brief(row, 3)
                channel = self.bot.get_partial_messageable(d.channel_id)
                message = await channel.send(
                    embed=brief_embed(brief, "new article"),
                    nonce=delivery_nonce(d.channel_id, d.article_id),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException as exc:
                reason = permanent_failure(exc.status)
                if reason is not None:
                    # Sent again it would be refused again, so it is not: the subscription waits for
                    # someone to fix the cause and subscribe again. A channel gone or forbidden
                    # (404, 403) keeps its post pending, to go then; a post Discord refused as a
                    # message (any other 4xx) would be refused then too, so it is cancelled with
                    # Discord's words, and the channel's other posts go when it is resumed.
                    if exc.status not in (403, 404):
                        reason = f"{reason}: {_refusal(exc)}"
                        await repo.cancel(d.id, reason)
                    log.warning("pausing the subscription of channel %s: %s (%s)", d.channel_id, reason, exc)
                    await repo.pause(d.channel_id, reason)
                    return False
                await self._retry_later(d, exc)
                return False
            except (aiohttp.ClientError, TimeoutError) as exc:
                await self._retry_later(d, exc)
                return False
        await repo.delivered(d.id, message.id)
        return True

    async def _retry_later(self, d: Delivery, exc: Exception) -> None:
        """A failure that may pass (a 5xx, a rate limit, the connection): try again after a backoff."""
        delay = backoff(self.base_delay, d.attempts + 1, MAX_BACKOFF)
        log.warning("delivery %s to channel %s failed (%s); retrying in %.0fs", d.id, d.channel_id, exc, delay)
        await self.bot.subscriptions.retry_later(d.id, str(exc), delay)


def _refusal(exc: discord.HTTPException) -> str:
    """Discord's own words for a refusal, short: its error code and message."""
    text = " ".join((exc.text or "").split())[:120]
    return f"error {exc.code}, {text}" if exc.code else (text or "no reason given")
