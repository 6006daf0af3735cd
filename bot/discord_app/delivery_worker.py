"""The delivery worker: posts queued new-article briefs to subscribed channels, exactly once.

Deliveries are rows of the outbox (queued by bot/storage/outbox.py, read and marked through
bot/storage/subscriptions.py), written in the same transaction as the article. The worker posts each
with a nonce derived from (channel, article) and enforce_nonce, then marks it delivered. If the bot
dies between Discord accepting a post and the mark being written, the next attempt sends the same
nonce and Discord answers with the message it already has, so nothing is posted twice. What remains:
Discord keeps nonces for a few minutes only, so a crash in that exact window followed by a restart
more than a few minutes later could post one duplicate.

A post Discord refuses (403 no access, 404 no channel, 400 an invalid message: any 4xx but 401 and
429) would be refused again, so it is not retried: the channel's subscription is paused with the
reason, shown by /subscriptions, until someone subscribes it again. Server errors (5xx), rate limits
(429) and broken connections pass, and are retried with a growing delay.

A post whose article cannot be briefed (it was removed, or loading or analysing it raises) is that
article's fault, not the channel's: an article gone is cancelled at once; a brief that fails counts
as an attempt, retried with the same growing delay, and after MAX_ATTEMPTS the post is cancelled
with the reason. One bad row never keeps the worker busy, and never pauses the channel.

Digests (a channel that takes one per day or week): at each turn the worker first closes the
periods that have ended (bot.storage.digests: one digest row per channel and period, written with
its articles in one transaction), then posts the due digests like the articles' posts: the same
refusals, pauses and backoff, each message with a nonce derived from (channel, period, part), and
the count of parts Discord accepted written after each, so a digest resumed after a crash posts
only the parts still missing, and a part accepted but not counted is answered from its nonce.

Several processes (issue 18: shards sharing one PostgreSQL database) each run a worker on the same
outbox. A worker claims the rows it is about to post, for a lease (``lease``, LEASE seconds by
default), in one statement that skips what another process is claiming (FOR UPDATE SKIP LOCKED),
so no two processes post the same row; the lease is renewed just before each post (each part of
a digest), and a row whose lease lapsed (its process died, or hung) is taken over by another. The
outcome of a post is written only by the claimant: a worker whose claim was taken over while it
posted is refused, logs it and leaves the row to the new owner, which posts it with the same nonce
and gets the message already made (Discord, enforce_nonce), so nothing is posted twice. Each post
is bounded by ``send_timeout`` (discord.py's own retries of 5xx and rate limits included), which
the lease outlasts; the lease also stays well inside Discord's nonce window (a few minutes), so a
row taken over after a crash between Discord's answer and the mark is still answered from its nonce.

The worker knows nothing of the bot: it is given the outbox, a way to brief an article, a way to
reach a channel and a way to wait for the connection (see BriefBot.setup_hook).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import aiohttp
import discord

from bot.core.backoff import backoff
from bot.core.models import Brief, Delivery, Digest
from bot.discord_app.embeds import NO_MENTIONS, brief_embed, digest_messages
from bot.library.routing import delivery_nonce, digest_nonce, permanent_failure

log = logging.getLogger(__name__)

CONCURRENCY = 4  # posts in flight at once; discord.py keeps each within Discord's rate limits
BATCH = 50
IDLE_WAIT = 30.0  # re-check the outbox at least this often
BASE_DELAY = 2.0  # first retry after a failure; doubles each time up to MAX_BACKOFF
MAX_BACKOFF = 600.0
MAX_ATTEMPTS = 5  # a post whose brief fails this many times in a row is given up
# One post, discord.py's retries (5xx, rate limits) included, is given this long, then counts as a
# failed attempt (its nonce makes the retry safe if it went through after all).
SEND_TIMEOUT = 30.0
# A claim lasts this long from its last renewal (just before each post): more than a post can take
# (SEND_TIMEOUT) and the database write after it, with room to spare on a loaded machine; and well
# under Discord's nonce window (a few minutes), so a row taken over after a crash is deduplicated.
LEASE = 90.0


class Outbox(Protocol):
    """What the worker needs of the outbox (bot.storage.subscriptions.SubscriptionRepository)."""

    async def claim(self, limit: int, lease: float) -> list[Delivery]: ...
    async def renew(self, delivery_id: int, lease: float) -> bool: ...
    async def next_due_in(self) -> float | None: ...
    async def delivered(self, delivery_id: int, message_id: int) -> bool: ...
    async def cancel(self, delivery_id: int, reason: str) -> bool: ...
    async def pause(self, channel_id: int, reason: str) -> None: ...
    async def retry_later(self, delivery_id: int, error: str, delay: float) -> bool: ...


class Digests(Protocol):
    """What the worker needs of the digests (bot.storage.digests.DigestRepository)."""

    async def close(self) -> int: ...
    async def next_close_in(self) -> float | None: ...
    async def claim(self, limit: int, lease: float) -> list[Digest]: ...
    async def renew(self, digest_id: int, lease: float) -> bool: ...
    async def next_due_in(self) -> float | None: ...
    async def part_sent(self, digest_id: int, parts: int, message_id: int) -> bool: ...
    async def delivered(self, digest_id: int) -> bool: ...
    async def cancel(self, digest_id: int, reason: str) -> bool: ...
    async def retry_later(self, digest_id: int, error: str, delay: float) -> bool: ...


BriefFor = Callable[[str], Awaitable[Brief | None]]  # an article's brief, None when it is gone
ChannelFor = Callable[[int], discord.abc.Messageable]


async def _no_wait() -> None:
    return None


class DeliveryWorker:
    def __init__(
        self,
        outbox: Outbox,
        brief_for: BriefFor,
        channel_for: ChannelFor,
        *,
        ready: Callable[[], Awaitable[None]] = _no_wait,
        base_delay: float = BASE_DELAY,
        max_backoff: float = MAX_BACKOFF,
        max_attempts: int = MAX_ATTEMPTS,
        digests: Digests | None = None,
        idle_wait: float = IDLE_WAIT,
        lease: float = LEASE,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        if lease <= send_timeout:
            raise ValueError(f"the lease ({lease}s) must outlast a post (send_timeout, {send_timeout}s)")
        self.outbox = outbox
        self.digests = digests
        self.idle_wait = idle_wait  # the longest the worker sleeps: periods are checked at least this often
        self.brief_for = brief_for
        self.channel_for = channel_for
        self.ready = ready
        self.base_delay = base_delay
        self.max_backoff = max_backoff
        self.max_attempts = max_attempts
        self.lease = lease  # seconds a claim lasts from its last renewal
        self.send_timeout = send_timeout
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(CONCURRENCY)

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
        await self.ready()
        while True:
            # Cleared before the work, never after: a wake() while the outbox is read (a row
            # committed after the claim looked) must end the wait below, not be lost.
            self._wake.clear()
            # Apart: a period that cannot be closed must not hold up every other post.
            closed = True
            try:
                await self.close_periods()
            except Exception:
                closed = False  # tried again after the idle wait, not at once
                log.exception("closing digest periods failed; retrying")
            try:
                await self.drain()
            except Exception:
                log.exception("delivery worker failed; retrying")
            waits = [await self.outbox.next_due_in()]
            if self.digests is not None:
                waits += [await self.digests.next_due_in(), await self.digests.next_close_in() if closed else None]
            timeout = min([self.idle_wait] + [max(w, 0.05) for w in waits if w is not None])
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
            # arrives as the event is set (a wake() just before stop()), and the worker never stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def close_periods(self) -> int:
        """Write the digests of the periods that have ended; returns how many."""
        return 0 if self.digests is None else await self.digests.close()

    async def drain(self) -> int:
        """Post every delivery and digest that is due now; returns how many were delivered."""
        delivered = 0
        while batch := await self.outbox.claim(BATCH, self.lease):
            results = await asyncio.gather(*(self._deliver(d) for d in batch))
            delivered += sum(results)
            if not any(results) and all(d.attempts > 0 for d in batch):
                break  # everything due is failing; the backoff decides when to try again
        while self.digests is not None and (digests := await self.digests.claim(BATCH, self.lease)):
            results = await asyncio.gather(*(self._deliver_digest(g) for g in digests))
            delivered += sum(results)
            if not all(results):
                break  # what failed waits for its backoff; the rest went
        return delivered

    async def _deliver_digest(self, g: Digest) -> bool:
        """Post a digest's parts still missing, each counted once Discord accepts it."""
        assert self.digests is not None
        digests = self.digests
        async with self._slots:
            try:
                # Every article keeps its place, a removed one too: the parts never shift.
                briefs = [await self.brief_for(a) for a in g.article_ids]
                messages = digest_messages(g.mode, g.period_start, g.period_end, briefs) if any(briefs) else []
            except Exception as exc:
                if g.attempts + 1 >= self.max_attempts:
                    log.error("digest %s failed %d times", g.id, g.attempts + 1, exc_info=exc)
                    await digests.cancel(g.id, f"the digest could not be made ({_describe(exc)})")
                else:
                    await self._digest_retry(g, exc)
                return False
            if not messages:
                log.warning("cancelling digest %s: every article in it was removed", g.id)
                await digests.cancel(g.id, "every article in it was removed before it could be posted")
                return False
            channel = self.channel_for(g.channel_id)
            for part in range(g.parts_sent, len(messages)):
                if not await digests.renew(g.id, self.lease):
                    _taken_over("digest", g.id)
                    return False
                try:
                    async with asyncio.timeout(self.send_timeout):
                        message = await channel.send(
                            embeds=messages[part],
                            nonce=digest_nonce(g.channel_id, g.period_start, part),
                            allowed_mentions=NO_MENTIONS,
                        )
                except discord.HTTPException as exc:
                    reason = permanent_failure(exc.status, exc.code)
                    if reason is None:
                        await self._digest_retry(g, exc)
                        return False
                    if exc.status not in (403, 404):
                        reason = f"{reason}: {_refusal(exc)}"
                        await digests.cancel(g.id, reason)
                    log.warning("pausing the subscription of channel %s: %s (%s)", g.channel_id, reason, exc)
                    await self.outbox.pause(g.channel_id, reason)
                    return False
                except Exception as exc:  # the connection, a timeout, anything else: tried again later
                    if g.attempts + 1 >= self.max_attempts:
                        log.error("digest %s failed %d times", g.id, g.attempts + 1, exc_info=exc)
                        await digests.cancel(g.id, f"the digest could not be posted ({_describe(exc)})")
                    else:
                        await self._digest_retry(g, exc)
                    return False
                if not await digests.part_sent(g.id, part + 1, message.id):
                    _taken_over("digest", g.id)  # its new owner sends the rest (this part answered by its nonce)
                    return False
        if not await digests.delivered(g.id):
            _taken_over("digest", g.id)
            return False
        return True

    async def _digest_retry(self, g: Digest, exc: Exception) -> None:
        assert self.digests is not None
        delay = backoff(self.base_delay, g.attempts + 1, self.max_backoff)
        log.warning("digest %s to channel %s failed (%s); retrying in %.0fs", g.id, g.channel_id, _describe(exc), delay)
        if not await self.digests.retry_later(g.id, str(exc), delay):
            _taken_over("digest", g.id)

    async def _deliver(self, d: Delivery) -> bool:
        async with self._slots:
            try:
                brief = await self.brief_for(d.article_id)
                embed = None if brief is None else brief_embed(brief, "new article")
            except Exception as exc:
                await self._attempt_failed(d, exc)
                return False
            if embed is None:
                await self._give_up(d, "the article was removed before it could be posted")
                return False
            if not await self.outbox.renew(d.id, self.lease):  # the brief took long, or the slot did
                _taken_over("delivery", d.id)
                return False
            try:
                async with asyncio.timeout(self.send_timeout):
                    message = await self.channel_for(d.channel_id).send(
                        embed=embed, nonce=delivery_nonce(d.channel_id, d.article_id), allowed_mentions=NO_MENTIONS
                    )
            except discord.HTTPException as exc:
                reason = permanent_failure(exc.status, exc.code)
                if reason is not None:
                    # Sent again it would be refused again, so it is not: the subscription waits for
                    # someone to fix the cause and subscribe again. A channel gone or forbidden
                    # (404, 403) keeps its post pending, to go then; a post Discord refused as a
                    # message (any other 4xx) would be refused then too, so it is cancelled with
                    # Discord's words, and the channel's other posts go when it is resumed.
                    if exc.status not in (403, 404):
                        reason = f"{reason}: {_refusal(exc)}"
                        await self.outbox.cancel(d.id, reason)
                    log.warning("pausing the subscription of channel %s: %s (%s)", d.channel_id, reason, exc)
                    await self.outbox.pause(d.channel_id, reason)
                    return False
                await self._retry_later(d, exc)
                return False
            except (aiohttp.ClientError, TimeoutError) as exc:
                await self._retry_later(d, exc)
                return False
            except Exception as exc:  # anything else counts as an attempt too: one row never spins the worker
                await self._attempt_failed(d, exc)
                return False
        if not await self.outbox.delivered(d.id, message.id):
            _taken_over("delivery", d.id)
            return False
        return True

    async def _attempt_failed(self, d: Delivery, exc: Exception) -> None:
        """The post could not be built or sent for a reason no retry policy knows (the article's brief
        failed, its embed, or an unexpected error while sending): an attempt like any other, given up
        after MAX_ATTEMPTS."""
        attempt = d.attempts + 1
        if attempt >= self.max_attempts:
            log.error("delivery %s of article %s failed %d times", d.id, d.article_id, attempt, exc_info=exc)
            await self._give_up(d, f"the article could not be briefed ({_describe(exc)})")
            return
        log.warning("delivery %s: article %s could not be briefed (%s)", d.id, d.article_id, _describe(exc))
        await self._retry_later(d, exc)

    async def _give_up(self, d: Delivery, reason: str) -> None:
        """The post can never go: cancelled with its reason (the channel's other posts go on)."""
        log.warning("cancelling delivery %s of article %s to channel %s: %s", d.id, d.article_id, d.channel_id, reason)
        if not await self.outbox.cancel(d.id, reason):
            _taken_over("delivery", d.id)

    async def _retry_later(self, d: Delivery, exc: Exception) -> None:
        """A failure that may pass (a 5xx, a rate limit, the connection): try again after a backoff."""
        delay = backoff(self.base_delay, d.attempts + 1, self.max_backoff)
        log.warning("delivery %s to channel %s failed (%s); retrying in %.0fs", d.id, d.channel_id, exc, delay)
        if not await self.outbox.retry_later(d.id, str(exc), delay):
            _taken_over("delivery", d.id)


def _taken_over(kind: str, row_id: int) -> None:
    """This process's claim on a row lapsed and another process took it over: the outcome is the new
    owner's to write (this one's was refused). If this process had posted, the new owner's post
    carries the same nonce and Discord answers it with the message already made: nothing doubles."""
    log.warning("%s %s was taken over by another process (this one's lease lapsed); leaving it to it", kind, row_id)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _refusal(exc: discord.HTTPException) -> str:
    """Discord's own words for a refusal, short: its error code and message."""
    text = " ".join((exc.text or "").split())[:120]
    return f"error {exc.code}, {text}" if exc.code else (text or "no reason given")
