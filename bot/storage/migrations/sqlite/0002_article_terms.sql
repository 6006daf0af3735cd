-- Each live article's signature terms, for "related articles": articles sharing weighted terms.

CREATE TABLE article_terms (
    term       TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    weight     REAL NOT NULL,
    PRIMARY KEY (term, article_id)
) WITHOUT ROWID;

CREATE INDEX article_terms_by_article ON article_terms (article_id);
