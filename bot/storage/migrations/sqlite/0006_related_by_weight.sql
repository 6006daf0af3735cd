-- Related articles read each shared term's strongest postings only, so the cost of the query does
-- not grow with the number of articles that share a common term.
CREATE INDEX article_terms_by_weight ON article_terms (term, weight DESC);
