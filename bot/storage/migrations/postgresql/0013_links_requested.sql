-- When each link was last asked for (/brief url:, Brief this article), reused or fetched: an article
-- that only members' links brought is kept BRIEFBOT_LINKS_KEEP_DAYS after its last request, and the
-- least recently asked for go first when there are more than the cap (bot.library.links). Links
-- stored before this migration count from when they were fetched.

ALTER TABLE links ADD COLUMN requested_at DOUBLE PRECISION NOT NULL DEFAULT 0;

UPDATE links SET requested_at = fetched_at;

CREATE INDEX links_by_request ON links (requested_at);
