"""Where articles come from: files, web pages, feeds, and the HTTP fetcher with its address checks.
Everything read here is hostile: bounded in size and time. May import core and analysis (names)."""
