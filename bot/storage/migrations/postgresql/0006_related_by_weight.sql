-- PostgreSQL port of ../sqlite/0006_related_by_weight.sql (INTEGER -> BIGINT, REAL -> DOUBLE PRECISION, INTEGER PRIMARY KEY ->
-- an identity column, no WITHOUT ROWID).
-- Related articles read each shared term's strongest postings only, so the cost of the query does
-- not grow with the number of articles that share a common term.
CREATE INDEX article_terms_by_weight ON article_terms (term, weight DESC);
