"""The times the repositories write: now, and an article's published date, as ISO 8601 text.

A clock is a callable returning unix time (``time.time`` in production). The objects that decide
by the calendar (the library's ingest, the subscriptions, the digest periods) are given one, so a
test can move time; ``utcnow`` reads the one it is given."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]


def iso(timestamp: float) -> str:
    """A unix time as the ISO 8601 text the tables hold (UTC, to the second): sorts as it compares."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def utcnow(clock: Clock = time.time) -> str:
    return iso(clock())


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 form of a published date when it can be read, for sorting; None otherwise."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y", "%Y/%m/%d"):
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")
