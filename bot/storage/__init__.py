"""SQLite: numbered migrations and repositories with named queries, returning bot.core.models types.
Imports core only (never analysis or sources)."""
