-- Channel subscriptions to new articles, and the delivery outbox: one row per (channel, article),
-- written in the same transaction as the article (or the subscription's backfill), marked
-- delivered only after Discord accepted the post.

CREATE TABLE subscriptions (
    channel_id    INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    keywords      TEXT NOT NULL DEFAULT '[]',     -- JSON list; empty means every new article
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    paused_at     TEXT,                           -- set when Discord refuses the channel (403/404)
    paused_reason TEXT
);

CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id);

CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL,
    article_id   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,         -- unix time; retries back off
    message_id   INTEGER,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    delivered_at TEXT,
    UNIQUE (channel_id, article_id)               -- an article is never queued twice for a channel
);

CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE status = 'pending';
