-- Pages the bot refused to extract because they went over a budget (time, memory) or killed their
-- worker: an article file of the folder or a feed entry's page. Each is tried again only after a
-- delay that doubles with every refusal, so a hostile page costs one budget per retry, not one per
-- poll, and a restart does not fetch or read it again at once.

CREATE TABLE refused_pages (
    key           TEXT PRIMARY KEY,            -- 'file:' + path in the folder, 'feed:' + feed id + ':' + guid or link
    reason        TEXT NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 1,  -- refusals in a row
    retry_at      REAL NOT NULL,               -- unix time of the next try
    file_size     INTEGER,                     -- a file: the version refused (a changed file is tried at once)
    file_mtime_ns INTEGER,
    refused_at    TEXT NOT NULL
);
