"""The delivery outbox: the one place a post of an article to a channel is queued.

A row is queued in the transaction that stores the article (bot.library.ingest) or the subscription
that asks for it (a backfill, bot.storage.subscriptions); the delivery worker then posts it, on its
own or, for a channel that takes digests, in the digest of its period (bot.storage.digests). Call
``queue`` inside the caller's transaction: it is one statement of that transaction."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterable

from bot.storage.database import Database

_QUEUE = (
    "INSERT INTO deliveries (channel_id, article_id, created_at, held) VALUES (?, ?, ?, "
    "COALESCE((SELECT 1 FROM subscriptions WHERE channel_id = ? AND digest <> 'off' AND ? = 0), 0)) "
    "ON CONFLICT DO NOTHING"
)


async def queue(
    db: Database, channel_ids: Iterable[int], article_ids: Iterable[str], now: str, *, at_once: bool = False
) -> int:
    """Queue every article for every channel (a pair already queued is left as it is); returns how
    many pairs were asked for. ``now`` is the time queued: for a channel that takes digests, the
    row is held for the digest of the period holding ``now``; ``at_once`` posts it on its own
    whatever the channel's mode (a subscription's backfill)."""
    articles = list(article_ids)
    pairs = [(c, a, now, c, int(at_once)) for c in channel_ids for a in articles]
    if pairs:
        await db.executemany(_QUEUE, pairs)
    return len(pairs)


# Claims (issue 18: several processes on one database). A process claims the due rows it is about
# to post (the delivery worker, through bot.storage.subscriptions and bot.storage.digests), for a
# lease; another process skips them until the lease lapses, then takes them over.


def claimant() -> str:
    """A process's name in the claims: ``host:pid:random`` (the random part tells apart two runs
    that got the same pid, e.g. pid 1 in a restarted container)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def gone(identity: str, me: str) -> bool:
    """Whether the process that ``identity`` names is known to be dead: it ran on this host (the
    host of ``me``), under a pid that no running process has. A process on another host is never
    judged from here, nor one under a live pid (this one's own, a restarted container's pid 1):
    their claims lapse with their lease."""
    host, _, rest = identity.partition(":")
    pid_text = rest.partition(":")[0]
    if host != me.partition(":")[0] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # EPERM: alive, another user's
        return False
    return False


_CLAIMANTS = (
    "SELECT DISTINCT claimed_by FROM {table} WHERE status = 'pending' AND claimed_by IS NOT NULL AND claimed_by <> ?"
)
_LAPSE = "UPDATE {table} SET lease_until = NULL WHERE status = 'pending' AND claimed_by = ?"


async def lapse_dead_claims(db: Database, table: str, me: str) -> int:
    """End at once the leases of the processes of this host that died (``gone``) on ``table``
    (deliveries or digests): a restarted bot takes over what its previous run had in flight without
    waiting for the lease. Returns how many rows were freed."""
    async with db.execute(_CLAIMANTS.format(table=table), (me,)) as cur:
        dead = [r[0] for r in await cur.fetchall() if gone(r[0], me)]
    freed = 0
    for identity in dead:
        freed += (await db.execute(_LAPSE.format(table=table), (identity,))).rowcount
    return freed
