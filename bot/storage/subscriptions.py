"""Subscriptions, and the delivery side of the outbox (bot.storage.outbox queues its rows)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

from bot.core import periods
from bot.core.models import Delivery, Subscription
from bot.core.periods import OFF
from bot.storage.clock import Clock, utcnow
from bot.storage.database import Database, Row
from bot.storage.db import transaction
from bot.storage.outbox import claimant, lapse_dead_claims, queue

_SUB_COLUMNS = "channel_id, guild_id, keywords, created_by, created_at, paused_at, paused_reason, digest, digest_from"

_SUBSCRIBE = (
    "INSERT INTO subscriptions (channel_id, guild_id, keywords, created_by, created_at, digest, digest_from) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET keywords = excluded.keywords, "
    "created_by = excluded.created_by, paused_at = NULL, paused_reason = NULL, digest = excluded.digest, "
    "digest_from = excluded.digest_from"
)
_MODE_OF = "SELECT digest, digest_from FROM subscriptions WHERE channel_id = ?"
_LAST_DIGEST_END = "SELECT MAX(period_end) FROM digests WHERE channel_id = ?"
# Held for a digest that will not come (the channel now takes each article as it comes): posted now.
_RELEASE_HELD = (
    "UPDATE deliveries SET held = 0, next_attempt = 0 "
    "WHERE channel_id = ? AND held = 1 AND digest_id IS NULL AND status = 'pending'"
)
_RESUME = "UPDATE deliveries SET next_attempt = 0 WHERE channel_id = ? AND status = 'pending'"
_RESUME_DIGESTS = "UPDATE digests SET next_attempt = 0 WHERE channel_id = ? AND status = 'pending'"
_CANCEL = "UPDATE deliveries SET status = 'cancelled' WHERE channel_id = ? AND status = 'pending'"
_CANCEL_DIGESTS = "UPDATE digests SET status = 'cancelled' WHERE channel_id = ? AND status = 'pending'"


# Due, not claimed by another process whose lease runs (parameters: now, now, me, limit).
_DELIVERY = "d.id, d.channel_id, d.article_id, d.attempts"
_CLAIMABLE = (
    "JOIN subscriptions AS s ON s.channel_id = d.channel_id "
    "WHERE d.status = 'pending' AND (d.held = 0 OR s.digest = 'off') AND d.digest_id IS NULL "
    "AND d.next_attempt <= ? AND s.paused_at IS NULL "
    "AND (d.lease_until IS NULL OR d.lease_until < ? OR d.claimed_by = ?) ORDER BY d.id LIMIT ?"
)


def _subscription(row: Row) -> Subscription:
    return Subscription(
        row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], row[5], row[6], digest=row[7], digest_from=row[8]
    )


class SubscriptionRepository:
    def __init__(self, db: Database, *, clock: Clock = time.time, owner: str | None = None) -> None:
        self.db = db
        self.clock = clock  # when a digest period opens (bot.core.periods)
        self.owner = owner or claimant()  # this process, in the outbox's claims

    async def subscribe(
        self,
        *,
        guild_id: int,
        channel_id: int,
        keywords: list[str],
        user_id: int,
        backfill: Iterable[str] = (),
        digest: str = OFF,
    ) -> bool:
        """Create or replace a channel's subscription (clearing any pause) and queue the backfill
        (posted at once, whatever the mode), in one transaction. Returns True when the channel was
        already subscribed.

        ``digest`` is the mode: OFF posts each article as it comes, DAILY or WEEKLY one digest per
        period (bot.core.periods). Switching keeps every article exactly once: a channel that took
        each article and now takes digests keeps what was already queued as single posts, and holds
        what comes from now on; one that took digests and now takes each article gets the articles
        held for its open period as single posts, at once (digests of periods already closed still
        go); between daily and weekly the open period keeps its start and ends at the next boundary
        of the new mode after it: from daily to weekly the open day runs on to the end of its week,
        from weekly to daily the days of the open week that have ended close at once, one digest each.
        A channel's periods never overlap: a new one starts at the current calendar period, or
        where its last digest ended if that is later."""
        now = utcnow(self.clock)
        async with transaction(self.db):
            async with self.db.execute(_MODE_OF, (channel_id,)) as cur:
                row = await cur.fetchone()
            existed = row is not None
            was, since = (row[0], row[1]) if row is not None else (OFF, None)
            if digest == OFF:
                since = None
                await self.db.execute(_RELEASE_HELD, (channel_id,))
            elif was == OFF or since is None:
                since = periods.iso(periods.period_start(digest, now))
                async with self.db.execute(_LAST_DIGEST_END, (channel_id,)) as cur:
                    last = (await cur.fetchone())[0]
                if last is not None and last > since:
                    since = last
            await self.db.execute(
                _SUBSCRIBE,
                (channel_id, guild_id, json.dumps(keywords, ensure_ascii=False), user_id, now, digest, since),
            )
            # A resumed channel gets what was pending straight away.
            await self.db.execute(_RESUME, (channel_id,))
            await self.db.execute(_RESUME_DIGESTS, (channel_id,))
            await queue(self.db, [channel_id], backfill, now, at_once=True)
        return existed

    async def unsubscribe(self, channel_id: int) -> bool:
        """Remove a subscription and cancel what it still had pending (digests too); False if there was none."""
        async with transaction(self.db):
            cur = await self.db.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
            removed = cur.rowcount > 0
            await self.db.execute(_CANCEL, (channel_id,))
            await self.db.execute(_CANCEL_DIGESTS, (channel_id,))
        return removed

    async def for_guild(self, guild_id: int) -> list[Subscription]:
        async with self.db.execute(
            f"SELECT {_SUB_COLUMNS} FROM subscriptions WHERE guild_id = ? ORDER BY created_at, channel_id", (guild_id,)
        ) as cur:
            return [_subscription(r) for r in await cur.fetchall()]

    async def active(self) -> list[Subscription]:
        async with self.db.execute(f"SELECT {_SUB_COLUMNS} FROM subscriptions") as cur:
            return [_subscription(r) for r in await cur.fetchall()]

    async def pause(self, channel_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE subscriptions SET paused_at = ?, paused_reason = ? WHERE channel_id = ? AND paused_at IS NULL",
            (utcnow(), reason, channel_id),
        )

    async def due(self, limit: int) -> list[Delivery]:
        """Pending deliveries whose time has come, to channels whose subscription is not paused, and
        not claimed by another process (its lease running): what ``claim`` would take, left as it is.
        A row held for a digest is posted on its own once its channel takes single posts again (on
        PostgreSQL it may have been queued, held, while the switch released the others)."""
        now = time.time()
        async with self.db.execute(
            f"SELECT {_DELIVERY} FROM deliveries AS d {_CLAIMABLE}", (now, now, self.owner, limit)
        ) as cur:
            return [Delivery(*r) for r in await cur.fetchall()]

    async def claim(self, limit: int, lease: float) -> list[Delivery]:
        """Claim for this process, for ``lease`` seconds, up to ``limit`` of the deliveries ``due``
        would list (oldest first), in one statement: on PostgreSQL the rows are locked and those
        another process is claiming at the same moment skipped (FOR UPDATE SKIP LOCKED); on SQLite
        the statement holds the one write lock. A row claimed by another process is skipped until
        its lease lapses, then taken over (that process died, or took too long); one this process
        claimed before (a drain that failed) is taken again. The leases of this host's dead
        processes lapse first (bot.storage.outbox.lapse_dead_claims)."""
        await lapse_dead_claims(self.db, "deliveries", self.owner)
        now = time.time()
        lock = " FOR UPDATE OF d SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        sql = (
            f"WITH picked AS MATERIALIZED (SELECT d.id FROM deliveries AS d {_CLAIMABLE}{lock}) "
            "UPDATE deliveries SET claimed_by = ?, lease_until = ? WHERE id IN (SELECT id FROM picked) "
            f"RETURNING {_DELIVERY.replace('d.', '')}"
        )
        async with self.db.execute(sql, (now, now, self.owner, limit, self.owner, now + lease)) as cur:
            rows = list(await cur.fetchall())
        return sorted((Delivery(*r) for r in rows), key=lambda d: d.id)

    async def renew(self, delivery_id: int, lease: float) -> bool:
        """Extend this process's claim on a pending delivery to ``lease`` seconds from now; False if
        the claim is lost (another process took the row over, or it is no longer pending)."""
        cur = await self.db.execute(
            "UPDATE deliveries SET lease_until = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'",
            (time.time() + lease, delivery_id, self.owner),
        )
        return cur.rowcount > 0

    async def next_due_in(self) -> float | None:
        """Seconds until the next pending delivery is due (0 if one is due now), None if none. A row
        another process claims is due when its lease lapses."""
        async with self.db.execute(
            "SELECT MIN(CASE WHEN d.lease_until > d.next_attempt AND d.claimed_by <> ? THEN d.lease_until "
            "ELSE d.next_attempt END) FROM deliveries AS d JOIN subscriptions AS s ON s.channel_id = d.channel_id "
            "WHERE d.status = 'pending' AND (d.held = 0 OR s.digest = 'off') AND d.digest_id IS NULL "
            "AND s.paused_at IS NULL",
            (self.owner,),
        ) as cur:
            row = await cur.fetchone()
        if row is None or row[0] is None:
            return None
        return max(0.0, row[0] - time.time())

    # The outcome of a post is written only by the process that holds the claim: one whose lease
    # lapsed and was taken over gets False, and leaves the row to its new owner (which posts it with
    # the same nonce: Discord answers with the message already made, nothing is posted twice).

    async def delivered(self, delivery_id: int, message_id: int) -> bool:
        cur = await self.db.execute(
            "UPDATE deliveries SET status = 'delivered', message_id = ?, delivered_at = ? "
            "WHERE id = ? AND claimed_by = ?",
            (message_id, utcnow(), delivery_id, self.owner),
        )
        return cur.rowcount > 0

    async def cancel(self, delivery_id: int, reason: str) -> bool:
        cur = await self.db.execute(
            "UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE id = ? AND claimed_by = ?",
            (reason, delivery_id, self.owner),
        )
        return cur.rowcount > 0

    async def retry_later(self, delivery_id: int, error: str, delay: float) -> bool:
        """Count a failed attempt and try again after ``delay``: the claim is given up (any process may
        take the row then)."""
        cur = await self.db.execute(
            "UPDATE deliveries SET attempts = attempts + 1, next_attempt = ?, last_error = ?, claimed_by = NULL, "
            "lease_until = NULL WHERE id = ? AND claimed_by = ?",
            (time.time() + delay, error[:500], delivery_id, self.owner),
        )
        return cur.rowcount > 0

    async def counts(self) -> dict[str, int]:
        async with self.db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status") as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}
