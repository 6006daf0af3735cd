"""Container health check for briefbot: exit 0 when the bot has its database open and migrated.

Healthy means: the database file exists, its write-ahead log exists (the bot opens the database only
after Discord accepted its token, keeps it open while it runs, and removes the log when it stops),
and the schema is at this code's version. It cannot tell whether the gateway connection is up right
now: the bot writes no heartbeat. Usage: python /app/deploy/healthcheck.py (reads BRIEFBOT_DB).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from bot.storage.db import migrations


def main() -> int:
    path = Path(os.environ.get("BRIEFBOT_DB", "").strip() or "data/briefbot.sqlite3")
    if not path.is_file():
        print(f"unhealthy: no database at {path} yet")
        return 1
    if not Path(f"{path}-wal").exists():
        print(f"unhealthy: {path} is not open (no write-ahead log): the bot is not running or not logged in")
        return 1
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        print(f"unhealthy: {path}: {exc}")
        return 1
    expected = len(migrations())
    if version != expected:
        print(f"unhealthy: {path} is at schema version {version}, this briefbot's is {expected}")
        return 1
    print(f"ok: {path} open, schema version {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
