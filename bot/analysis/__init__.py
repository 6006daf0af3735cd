"""Pure functions from a raw article to an article, and from an article to its analysis and brief:
parsing, person names, quotes, summary, keywords. No I/O. Imports core only."""
