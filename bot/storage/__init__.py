"""Storage on SQLite (the default) or PostgreSQL: one Database interface (database.py), numbered
migrations per backend, and repositories with named queries, returning bot.core.models types.
Imports core only (never analysis or sources)."""
