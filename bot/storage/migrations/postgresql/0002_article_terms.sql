-- PostgreSQL port of ../sqlite/0002_article_terms.sql (INTEGER -> BIGINT, REAL -> DOUBLE PRECISION, INTEGER PRIMARY KEY ->
-- an identity column, no WITHOUT ROWID).
-- Each live article's signature terms, for "related articles": articles sharing weighted terms.

CREATE TABLE article_terms (
    term       TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    weight     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (term, article_id)
);

CREATE INDEX article_terms_by_article ON article_terms (article_id);
