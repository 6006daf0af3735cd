-- Links members asked to be briefed on (/brief url:, the "Brief this article" message command), by
-- their normalised address (bot.sources.feeds.normalise_link): which article the page gave and when
-- it was fetched, so the same link asked again within a while is briefed from the library instead of
-- fetched again. Written with the article, in the same transaction, by the one ingest path.

CREATE TABLE links (
    link       TEXT PRIMARY KEY,  -- normalised
    article_id TEXT NOT NULL,
    fetched_at REAL NOT NULL      -- unix time
);

-- Whether an article came from a member's link (and so was stored without being posted): asked
-- when a feed brings the same article, which is then posted after all.
CREATE INDEX links_by_article ON links (article_id);
