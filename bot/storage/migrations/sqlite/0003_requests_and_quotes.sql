-- Who asked for what (for /history and /forget), and every article's quotations (for /quotes).

CREATE TABLE requests (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    guild_id   INTEGER,                      -- NULL in direct messages
    channel_id INTEGER,
    article_id TEXT NOT NULL,                -- kept when an article is retired: history still names it
    command    TEXT NOT NULL,                -- brief, summary, quotes, author
    created_at TEXT NOT NULL
);

CREATE INDEX requests_by_user ON requests (user_id, created_at DESC);

CREATE TABLE quotes (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,            -- order in the article
    text        TEXT NOT NULL,
    speaker     TEXT,
    context     TEXT NOT NULL,
    is_key      INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,               -- folded (lower case, no accents) text and speaker
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
