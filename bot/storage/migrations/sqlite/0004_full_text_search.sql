-- Full-text search (SQLite FTS5) over quotations (their words, speaker and sentence) and over
-- every sentence of every live article ("passages", offered when no quotation matches).
-- Porter stemming; case and accents ignored. External-content indexes kept in step by triggers.

CREATE TABLE quotes_v4 (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    speaker    TEXT,
    context    TEXT NOT NULL,
    is_key     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (article_id, position)
);

INSERT INTO quotes_v4 (article_id, position, text, speaker, context, is_key)
SELECT article_id, position, text, speaker, context, is_key FROM quotes ORDER BY article_id, position;

DROP TABLE quotes;
ALTER TABLE quotes_v4 RENAME TO quotes;

CREATE INDEX quotes_by_speaker ON quotes (speaker) WHERE speaker IS NOT NULL;

CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    text, speaker, context,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text, speaker, context) VALUES (new.id, new.text, new.speaker, new.context);
END;

CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker, context)
    VALUES ('delete', old.id, old.text, old.speaker, old.context);
END;

INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');

CREATE TABLE passages (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    UNIQUE (article_id, position)
);

CREATE VIRTUAL TABLE passages_fts USING fts5 (
    text,
    content = 'passages', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- The sentences of articles analysed before this version, from their cached analyses.
INSERT INTO passages (article_id, position, text)
SELECT a.id, CAST(s.key AS INTEGER), s.value
FROM articles AS a
JOIN analyses AS an ON an.rowid = (
    SELECT rowid FROM analyses WHERE content_hash = a.content_hash ORDER BY created_at DESC LIMIT 1
)
JOIN json_each(an.analysis_json, '$.sentences') AS s
WHERE a.retired_at IS NULL;

-- Word-pair indexes: each pair of neighbouring (folded, stemmed) words as one token, so a phrase
-- query finds its candidates in one posting list. Filled by the application (bot.search.pair_tokens);
-- rows are keyed by the quotation's or passage's id. Rows from before this version are filled in
-- by the library on its first sync.
CREATE VIRTUAL TABLE quote_pairs USING fts5 (pairs, detail = none, tokenize = "unicode61 tokenchars '_'");
CREATE VIRTUAL TABLE passage_pairs USING fts5 (pairs, detail = none, tokenize = "unicode61 tokenchars '_'");
