-- Claims on the outbox (issue 18): several bot processes may share one database, so a due row is
-- claimed before it is posted. ``claimed_by`` names the process (host:pid:random, chosen once per
-- process, bot.storage.outbox.claimant); ``lease_until`` (unix time, like next_attempt) is when the
-- claim lapses: a row claimed by another process is skipped until then, and taken over after (that
-- process died). The outcome of a post (delivered, retry, cancelled) is written only by the
-- process that holds the claim. A row in flight is pending and claimed: the index finds the claims
-- of a process that died.

ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until REAL;
ALTER TABLE digests ADD COLUMN claimed_by TEXT;
ALTER TABLE digests ADD COLUMN lease_until REAL;

CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE status = 'pending' AND claimed_by IS NOT NULL;
CREATE INDEX digests_claimed ON digests (claimed_by) WHERE status = 'pending' AND claimed_by IS NOT NULL;
