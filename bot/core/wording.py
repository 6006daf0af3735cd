"""User-facing wording shared by the terminal and Discord: one phrasing for each thing said in both."""

from __future__ import annotations

from bot.core.models import Feed


def duration(seconds: float) -> str:
    """600 -> "10 min", 7200 -> "2 h", 90 -> "90 s"."""
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def feed_state(feed: Feed) -> str:
    """What a feed listing shows: disabled and why, failing, ok, or not polled yet."""
    if feed.disabled:
        return f"DISABLED since {_minute(feed.disabled_at)}: {feed.disabled_reason}"
    if feed.failures:
        return f"failing ({feed.failures} failure{'s' if feed.failures != 1 else ''} in a row)"
    if feed.last_ok_at:
        return f"ok, last polled {_minute(feed.last_ok_at)} UTC"
    return "not polled yet"


def _minute(iso_time: str | None) -> str:
    return (iso_time or "?")[:16].replace("T", " ")


def not_found(ref: str, closest: list[str]) -> str:
    """What the terminal and Discord say when no article matches ``ref``: the nearest titles, if any."""
    hint = " Did you mean " + " or ".join(f"“{title}”" for title in closest) + "?" if closest else ""
    return f"I couldn't find an article matching “{ref.strip()[:100]}”.{hint}"


def not_found_terminal(ref: str, closest: list[str]) -> str:
    """The terminal's form of ``not_found`` (``briefbot brief REF``): the input as typed (quoted as
    Python would, so spaces and quotes show) and the nearest articles' slugs, which it accepts."""
    return f"no article matches {ref!r}" + (f"; closest: {', '.join(closest)}" if closest else "")
