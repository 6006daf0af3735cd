"""Digests: closing a channel's periods into digest rows, and the delivery side of those rows.

An article for a channel that takes digests is queued like any other (bot.storage.outbox), held:
one row per channel and article, stamped with the time it was queued. ``close`` turns every period
of the channel that has ended into one digest row, keyed by (channel, period start), pointing the
period's held rows at it, and moves the channel's open period on, all in one transaction: a crash
leaves either the period open (closed again at the next start) or the digest written, never both
and never half. An empty period writes nothing. The delivery worker then posts the digest in
parts, counting each part Discord accepted (``part_sent``), and marks it and its articles delivered
in one transaction (``delivered``)."""

from __future__ import annotations

import time

from bot.core import periods
from bot.core.models import Digest
from bot.storage.clock import Clock, utcnow
from bot.storage.database import Database, Row
from bot.storage.db import transaction
from bot.storage.outbox import claimant, lapse_dead_claims

_OPEN = "SELECT channel_id, digest, digest_from FROM subscriptions WHERE digest <> 'off' AND digest_from IS NOT NULL"
_OPEN_ONE = "SELECT digest, digest_from FROM subscriptions WHERE channel_id = ? AND digest <> 'off'"
_HELD = (
    "SELECT id, created_at FROM deliveries WHERE channel_id = ? AND held = 1 AND digest_id IS NULL "
    "AND status = 'pending' AND created_at < ? ORDER BY created_at, id"
)
_NEW_DIGEST = (
    "INSERT INTO digests (channel_id, mode, period_start, period_end, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"
)
# Only a row still held and in no digest: on PostgreSQL a switch to single posts may have released it
# since it was read (then it is posted on its own, and not in the digest as well).
_TAKE = "UPDATE deliveries SET digest_id = ? WHERE id = ? AND held = 1 AND digest_id IS NULL"
_MOVE_ON = "UPDATE subscriptions SET digest_from = ? WHERE channel_id = ?"
_DIGEST = "g.id, g.channel_id, g.mode, g.period_start, g.period_end, g.parts_sent, g.attempts"
# Due, not claimed by another process whose lease runs (parameters: now, now, me, limit).
_CLAIMABLE = (
    "JOIN subscriptions AS s ON s.channel_id = g.channel_id "
    "WHERE g.status = 'pending' AND g.next_attempt <= ? AND s.paused_at IS NULL "
    "AND (g.lease_until IS NULL OR g.lease_until < ? OR g.claimed_by = ?) ORDER BY g.id LIMIT ?"
)
_DUE = f"SELECT {_DIGEST} FROM digests AS g {_CLAIMABLE}"
_CLAIM = (
    "WITH picked AS MATERIALIZED (SELECT g.id FROM digests AS g {claimable}{lock}) "
    "UPDATE digests SET claimed_by = ?, lease_until = ? WHERE id IN (SELECT id FROM picked) "
    "RETURNING {columns}"
)
_RENEW = "UPDATE digests SET lease_until = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'"
_ARTICLES = "SELECT article_id FROM deliveries WHERE digest_id = ? ORDER BY created_at, id"
_NEXT_DUE = (
    "SELECT MIN(CASE WHEN g.lease_until > g.next_attempt AND g.claimed_by <> ? THEN g.lease_until "
    "ELSE g.next_attempt END) FROM digests AS g JOIN subscriptions AS s ON s.channel_id = g.channel_id "
    "WHERE g.status = 'pending' AND s.paused_at IS NULL"
)
# The outcomes are written only by the process that holds the claim (see SubscriptionRepository).
_PART_SENT = (
    "UPDATE digests SET parts_sent = ?, message_id = COALESCE(message_id, ?), attempts = 0 "
    "WHERE id = ? AND parts_sent < ? AND claimed_by = ?"
)
_DELIVERED = (
    "UPDATE digests SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending' AND claimed_by = ?"
)
_ARTICLES_DELIVERED = (
    "UPDATE deliveries SET status = 'delivered', delivered_at = ?, "
    "message_id = (SELECT message_id FROM digests WHERE id = ?) WHERE digest_id = ? AND status = 'pending'"
)
_CANCEL = (
    "UPDATE digests SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'pending' AND claimed_by = ?"
)
_ARTICLES_CANCELLED = (
    "UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE digest_id = ? AND status = 'pending'"
)
_RETRY = (
    "UPDATE digests SET attempts = attempts + 1, next_attempt = ?, last_error = ?, claimed_by = NULL, "
    "lease_until = NULL WHERE id = ? AND claimed_by = ?"
)


class DigestRepository:
    def __init__(self, db: Database, *, clock: Clock = time.time, owner: str | None = None) -> None:
        self.db = db
        self.clock = clock  # calendar time: which periods have ended
        self.owner = owner or claimant()  # this process, in the digests' claims

    async def close(self) -> int:
        """Close every period that has ended, for every channel that takes digests; returns how
        many digests were written."""
        now = self.clock()
        async with self.db.execute(_OPEN) as cur:  # only channels with an ended period take the write lock
            channels = [r[0] for r in await cur.fetchall() if periods.next_end(r[1], r[2]).timestamp() <= now]
        written = 0
        for channel_id in channels:
            written += await self.close_channel(channel_id)
        return written

    async def close_channel(self, channel_id: int) -> int:
        """Close the channel's ended periods in one transaction: one digest per period that holds
        articles, its articles those queued before its end (and after the previous period's)."""
        async with transaction(self.db):
            now = utcnow(self.clock)  # read inside the transaction: nothing queued later is older
            # Two processes closing the same channel take turns on its subscription row (PostgreSQL;
            # SQLite's transactions take turns anyway): the second reads the period the first moved
            # on, and writes nothing. (Without the lock it would fail on the unique (channel, period).)
            lock = " FOR UPDATE" if self.db.dialect == "postgresql" else ""
            async with self.db.execute(_OPEN_ONE + lock, (channel_id,)) as cur:
                row = await cur.fetchone()
            if row is None or row[1] is None:
                return 0
            mode, start = row[0], row[1]
            if periods.iso(periods.next_end(mode, start)) > now:
                return 0  # the open period has not ended
            last_boundary = periods.iso(periods.period_start(mode, now))
            async with self.db.execute(_HELD, (channel_id, last_boundary)) as cur:
                held = list(await cur.fetchall())
            written = 0
            while True:
                end = periods.iso(periods.next_end(mode, start))
                if end > now:
                    break
                taken = [r[0] for r in held if r[1] < end]
                held = held[len(taken) :]
                if taken:
                    async with self.db.execute(_NEW_DIGEST, (channel_id, mode, start, end, now)) as cur:
                        digest_id = (await cur.fetchone())[0]
                    await self.db.executemany(_TAKE, [(digest_id, i) for i in taken])
                    written += 1
                start = end
                if not held:  # the empty periods up to now are skipped at once
                    start = max(start, last_boundary)
            await self.db.execute(_MOVE_ON, (start, channel_id))
        return written

    async def next_close_in(self) -> float | None:
        """Seconds (by the clock) until the first open period ends, None if no channel takes digests."""
        async with self.db.execute(_OPEN) as cur:
            ends = [periods.next_end(r[1], r[2]).timestamp() for r in await cur.fetchall()]
        return None if not ends else max(0.0, min(ends) - self.clock())

    async def due(self, limit: int) -> list[Digest]:
        """Pending digests whose time has come, to channels whose subscription is not paused, and not
        claimed by another process (its lease running): what ``claim`` would take, left as it is."""
        now = time.time()
        async with self.db.execute(_DUE, (now, now, self.owner, limit)) as cur:
            return await self._with_articles(list(await cur.fetchall()))

    async def claim(self, limit: int, lease: float) -> list[Digest]:
        """Claim for this process, for ``lease`` seconds, up to ``limit`` of the digests ``due`` would
        list, as SubscriptionRepository.claim does for single posts (FOR UPDATE SKIP LOCKED on
        PostgreSQL; a lapsed lease taken over; this host's dead processes' leases lapsed first)."""
        await lapse_dead_claims(self.db, "digests", self.owner)
        now = time.time()
        lock = " FOR UPDATE OF g SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        sql = _CLAIM.format(claimable=_CLAIMABLE, lock=lock, columns=_DIGEST.replace("g.", ""))
        async with self.db.execute(sql, (now, now, self.owner, limit, self.owner, now + lease)) as cur:
            rows = sorted(await cur.fetchall(), key=lambda r: r[0])
        return await self._with_articles(rows)

    async def _with_articles(self, rows: list[Row]) -> list[Digest]:
        out = []
        for r in rows:
            async with self.db.execute(_ARTICLES, (r[0],)) as cur:
                articles = tuple(a[0] for a in await cur.fetchall())
            out.append(Digest(r[0], r[1], r[2], r[3], r[4], articles, r[5], r[6]))
        return out

    async def renew(self, digest_id: int, lease: float) -> bool:
        """Extend this process's claim on a pending digest to ``lease`` seconds from now (before each
        part: a long digest keeps its claim); False if the claim is lost."""
        cur = await self.db.execute(_RENEW, (time.time() + lease, digest_id, self.owner))
        return cur.rowcount > 0

    async def next_due_in(self) -> float | None:
        """Seconds until the next pending digest is due (0 if one is due now), None if none. A digest
        another process claims is due when its lease lapses."""
        async with self.db.execute(_NEXT_DUE, (self.owner,)) as cur:
            row = await cur.fetchone()
        if row is None or row[0] is None:
            return None
        return max(0.0, row[0] - time.time())

    async def part_sent(self, digest_id: int, parts: int, message_id: int) -> bool:
        """Discord accepted the digest's messages up to number ``parts``; the first one's id is kept.
        False if this process no longer holds the claim (or the count is already there)."""
        cur = await self.db.execute(_PART_SENT, (parts, message_id, digest_id, parts, self.owner))
        return cur.rowcount > 0

    async def delivered(self, digest_id: int) -> bool:
        """Every part is posted: the digest and each of its articles marked delivered, at once (only
        by the claimant: False, and nothing written, otherwise)."""
        now = utcnow()
        async with transaction(self.db):
            cur = await self.db.execute(_DELIVERED, (now, digest_id, self.owner))
            if cur.rowcount <= 0:
                return False
            await self.db.execute(_ARTICLES_DELIVERED, (now, digest_id, digest_id))
        return True

    async def cancel(self, digest_id: int, reason: str) -> bool:
        async with transaction(self.db):
            cur = await self.db.execute(_CANCEL, (reason, digest_id, self.owner))
            if cur.rowcount <= 0:
                return False
            await self.db.execute(_ARTICLES_CANCELLED, (reason, digest_id))
        return True

    async def retry_later(self, digest_id: int, error: str, delay: float) -> bool:
        """Count a failed attempt, try again after ``delay``; the claim is given up."""
        cur = await self.db.execute(_RETRY, (time.time() + delay, error[:500], digest_id, self.owner))
        return cur.rowcount > 0

    async def counts(self) -> dict[str, int]:
        async with self.db.execute("SELECT status, COUNT(*) FROM digests GROUP BY status") as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}
