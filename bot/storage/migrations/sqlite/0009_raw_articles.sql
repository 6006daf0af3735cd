-- The text every article was analysed from, as its source gave it (bot.core.models.RawArticle), by
-- content hash: what re-analyses an article when the analysis changes (ANALYSIS_VERSION), whatever
-- its origin. A file can be read again; a feed article's page may be gone, so its text is kept here.
-- Written with the article, in the same transaction, by the one ingest path (bot.library.ingest).
-- Articles stored before this table existed have no row: they keep their newest stored analysis.

CREATE TABLE raw_articles (
    content_hash TEXT PRIMARY KEY,
    raw_json     TEXT NOT NULL,  -- RawArticle's fields
    created_at   TEXT NOT NULL
);
