-- Articles loaded from the library folder, and their analyses cached by content hash.

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,           -- derived from the content first seen at this path
    slug          TEXT NOT NULL UNIQUE,
    source_path   TEXT UNIQUE,                -- path relative to the articles folder
    content_hash  TEXT NOT NULL,
    title         TEXT NOT NULL,
    author        TEXT,                       -- display names, " and "-joined
    publication   TEXT,
    url           TEXT,
    published     TEXT,
    words         INTEGER NOT NULL,
    preview_only  INTEGER NOT NULL DEFAULT 0,
    file_size     INTEGER,
    file_mtime_ns INTEGER,
    sort_time     TEXT NOT NULL,              -- published date when known, else added_at: "newest first"
    added_at      TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    retired_at    TEXT                        -- set when the file disappears
);

CREATE INDEX articles_newest ON articles (sort_time DESC) WHERE retired_at IS NULL;
CREATE INDEX articles_content ON articles (content_hash);

CREATE TABLE analyses (
    content_hash   TEXT NOT NULL,
    engine_version TEXT NOT NULL,          -- bot.engine.ENGINE_VERSION
    article_json   TEXT NOT NULL,             -- the parsed article, without library id/slug/path
    analysis_json  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (content_hash, engine_version)
);

-- Small facts the bot keeps between runs (for example the hash of the synced command tree).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
