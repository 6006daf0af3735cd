"""User-facing wording shared by the terminal and Discord: one phrasing for each thing said in both."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.models import Author, Feed, Quote


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
        return f"failing ({plural(feed.failures, 'failure')} in a row)"
    if feed.last_ok_at:
        return f"ok, last polled {_minute(feed.last_ok_at)} UTC"
    return "not polled yet"


def plural(n: int, noun: str) -> str:
    """1, "feed" -> "1 feed"; 3, "feed" -> "3 feeds"."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


# --- feeds -------------------------------------------------------------------------------------

FEED_IN_CONFIG = "It is in BRIEFBOT_FEEDS: it comes back at the next start unless you take it out."


def feed_added(feed: Feed, *, new: bool, previous: Feed | None) -> str:
    """What adding a feed did: added it, enabled it again (it was disabled), or nothing (it was there)."""
    every = f"polled every {duration(feed.interval)}"
    if new:
        return f"Added {feed.url}, {every}."
    if previous is not None and previous.disabled:
        return f"Enabled {feed.url} again, {every}."
    return f"{feed.url} was already there; {every}."


def feed_removed(url: str) -> str:
    return f"Removed {url} (its articles stay in the library)."


def feed_lines(feed: Feed, inert: Callable[[str], str] = str) -> list[str]:
    """A feed in a listing: its address (and whether BRIEFBOT_FEEDS names it); its interval, items
    and state; its last error while it is enabled. ``inert`` makes the text that comes from outside
    (the address, the errors) safe where it is shown: Discord's markdown, say."""
    origin = " (BRIEFBOT_FEEDS)" if feed.origin == "config" else ""
    lines = [
        f"{inert(feed.url)}{origin}",
        f"every {duration(feed.interval)}, {feed.items} items, {inert(feed_state(feed))}",
    ]
    if feed.last_error and not feed.disabled:
        lines.append(f"last error: {inert(feed.last_error)}")
    return lines


# --- authors -----------------------------------------------------------------------------------


# How a byline says each credit (bot.core.models.CREDIT_ROLES) after the writers.
CREDIT_PHRASES = {
    "additional reporting": "additional reporting by",
    "editor": "edited by",
    "translator": "translated by",
    "compiler": "compiled by",
    "photographer": "photographs by",
    "illustrator": "illustrations by",
    "contributor": "with contributions by",
}


def author_names(authors: Sequence[Author]) -> str:
    """ "Jane Doe and John Roe"; the people credited for something else after the writers, in their
    role: "Jane Doe · edited by Ann Lee and Bo Roe · translated by Cy Poe" ("Edited by Ann Lee" when
    no writer is named)."""
    writers = [a.name for a in authors if not a.credit]
    credits: dict[str, list[str]] = {}
    for a in authors:
        if a.credit:
            credits.setdefault(a.credit, []).append(a.name)
    bits = [_and(writers)] if writers else []
    bits += [f"{CREDIT_PHRASES.get(role, role)} {_and(names)}" for role, names in credits.items()]
    text = " · ".join(bits)
    return text[:1].upper() + text[1:] if not writers else text


def _and(names: list[str]) -> str:
    return " and ".join(names)


def byline(authors: Sequence[Author], publication: str | None) -> str | None:
    """ "By Jane Doe and John Roe · edited by Ann Lee · The Example Times", or None when neither is known."""
    bits = []
    if authors:
        names = author_names(authors)
        bits.append("By " + names if any(not a.credit for a in authors) else names)
    if publication:
        bits.append(publication)
    return " · ".join(bits) or None


def about_author(author: Author, *, named: bool) -> str | None:
    """What a brief says about its author: the bio, else the role ("Jane Doe, a fellow at the
    Example Institute"; without the name where a heading beside it says it: ``named=False``)."""
    if author.bio:
        return author.bio
    if not author.role:
        return None
    return f"{author.name}, {author.role}" if named else author.role


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


def speaker_line(q: Quote) -> str:
    """Who said a quotation, as the bot and the terminal show it: "Speaker, description"."""
    who = q.speaker or "unattributed"
    return f"{who}, {q.speaker_description}" if q.speaker_description else who
