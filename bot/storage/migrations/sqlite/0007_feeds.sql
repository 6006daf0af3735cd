-- RSS and Atom feeds the bot polls, and the items it has taken from them. An item becomes an
-- article of the library (articles.id), stored in the same transaction as the item row, so a new
-- item is queued for subscribed channels exactly once.

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    origin           TEXT NOT NULL DEFAULT 'cli' CHECK (origin IN ('cli', 'config')),  -- config: BRIEFBOT_FEEDS
    interval_seconds REAL NOT NULL,
    title            TEXT,                        -- the feed's own title, once read
    etag             TEXT,                        -- for If-None-Match
    last_modified    TEXT,                        -- for If-Modified-Since
    next_poll        REAL NOT NULL DEFAULT 0,     -- unix time; failures push it back
    failures         INTEGER NOT NULL DEFAULT 0,  -- consecutive
    last_error       TEXT,
    last_polled_at   TEXT,
    last_ok_at       TEXT,
    primed           INTEGER NOT NULL DEFAULT 0,  -- 1 after the first good poll: items before it are not posted
    disabled_at      TEXT,
    disabled_reason  TEXT,
    added_at         TEXT NOT NULL
);

CREATE INDEX feeds_due ON feeds (next_poll) WHERE disabled_at IS NULL;

CREATE TABLE feed_items (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid         TEXT,                            -- the entry's id (guid in RSS, id in Atom)
    link         TEXT,                            -- normalised: no fragment, no utm_ parameters
    content_hash TEXT,                            -- SHA-256 of the article text, whitespace folded
    article_id   TEXT NOT NULL,                   -- the article it became (or duplicated)
    seen_at      TEXT NOT NULL,
    UNIQUE (feed_id, guid)
);

CREATE INDEX feed_items_link ON feed_items (link);
CREATE INDEX feed_items_hash ON feed_items (content_hash);
