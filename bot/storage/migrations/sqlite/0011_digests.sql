-- Digests: a subscription may post one digest per period (daily or weekly) instead of one post per
-- article. Its articles are still queued in the deliveries outbox (one row per channel and article,
-- so an article reaches a channel once whatever its mode), held there until their period closes;
-- closing a period writes one digests row, keyed by (channel, period start), and points the held
-- rows at it, in one transaction. The delivery worker posts the digest in parts, each with its own
-- nonce, and counts the parts Discord accepted.

CREATE TABLE digests (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('daily', 'weekly')),
    period_start TEXT NOT NULL,                   -- ISO 8601, UTC; the period is [start, end)
    period_end   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'cancelled')),
    parts_sent   INTEGER NOT NULL DEFAULT 0,      -- messages of the digest Discord has accepted
    message_id   INTEGER,                         -- the first of them
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,         -- unix time; retries back off
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    delivered_at TEXT,
    UNIQUE (channel_id, period_start)             -- one digest per channel and period
);

ALTER TABLE subscriptions ADD COLUMN digest TEXT NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily', 'weekly'));
-- The start (ISO 8601, UTC) of the channel's open period: the next digest covers from here to the
-- period's end. NULL when the channel takes each article as it comes.
ALTER TABLE subscriptions ADD COLUMN digest_from TEXT;

ALTER TABLE deliveries ADD COLUMN held INTEGER NOT NULL DEFAULT 0;   -- 1: for the channel's digest
ALTER TABLE deliveries ADD COLUMN digest_id INTEGER REFERENCES digests (id);

CREATE INDEX digests_due ON digests (next_attempt) WHERE status = 'pending';
CREATE INDEX deliveries_held ON deliveries (channel_id, created_at) WHERE held = 1 AND digest_id IS NULL;
CREATE INDEX deliveries_by_digest ON deliveries (digest_id) WHERE digest_id IS NOT NULL;
