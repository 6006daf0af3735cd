"""RSS and Atom feeds as documents: parsing a feed into entries, an entry's own text, and the
forms entries are compared in (normalised links, text hashes). No I/O: bot.library.feeds polls."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bot.core.models import RawArticle
from bot.core.text import normalise

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class FeedError(Exception):
    """A feed body that is not a usable RSS or Atom feed; the message says why."""


def normalise_link(link: str | None) -> str | None:
    """An article address for comparison: lower-case scheme and host, no fragment, no tracking parameters."""
    if not link or not link.strip():
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return link.strip()
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(_TRACKING)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def text_hash(raw: RawArticle) -> str:
    """SHA-256 of an article's text with whitespace folded and a leading headline (a first line equal
    to the title) left out: the same article however a feed dates, labels or re-titles it."""
    lines = raw.text.strip().split("\n")
    if raw.title and lines and " ".join(lines[0].split()).casefold() == " ".join(raw.title.split()).casefold():
        lines = lines[1:]
    return hashlib.sha256(" ".join(" ".join(lines).split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    guid: str | None
    link: str | None
    title: str | None
    author: str | None
    published: str | None
    content_html: str | None  # the entry's full content, else its summary


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: list[Entry]


def parse_feed(body: bytes, base_url: str | None = None) -> ParsedFeed:
    """RSS or Atom into entries, newest first as the feed lists them; FeedError when it is neither.
    feedparser tolerates broken markup: a feed with a syntax error but readable entries is used.
    Relative entry links are resolved against ``base_url`` (where the feed was fetched from)."""
    import feedparser  # imported here: only the poller needs it

    if not body.strip():
        raise FeedError("empty answer")
    parsed = feedparser.parse(body)  # bytes, never a URL: feedparser must not fetch anything itself
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FeedError("not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"malformed feed ({parsed.get('bozo_exception')})")
    entries: list[Entry] = []
    for e in parsed.entries:
        content = e.get("content")
        html = content[0].get("value") if content else None
        link = _clean(e.get("link"))
        if link and base_url:
            link = urljoin(base_url, link)
        entries.append(
            Entry(
                guid=_clean(e.get("id")),
                link=link,
                title=_clean(e.get("title")),
                author=entry_author(e),
                published=_clean(e.get("published") or e.get("updated")),
                content_html=html or e.get("summary") or None,
            )
        )
    return ParsedFeed(_clean(parsed.feed.get("title")), entries)


_EMAIL = r"[^\s@()<>]+@[^\s@()<>]+"
_NAME_THEN_EMAIL = re.compile(
    rf"^(?P<name>[^()<>]*?)\s*(?:\(\s*(?:mailto:)?{_EMAIL}\s*\)|<\s*(?:mailto:)?{_EMAIL}\s*>)$"
)
_EMAIL_THEN_NAME = re.compile(rf"^(?:mailto:)?{_EMAIL}\s*\((?P<name>[^()]*)\)$")
FEED_AUTHOR_SEPARATOR = "; "  # several authors in Entry.author, as bot.sources.pages passes them


def clean_author(value: object) -> str | None:
    """A feed's author string as a name: "John (noreply@blogger.com)", "noreply@blogger.com (John)"
    and "Example editor <me@example.com>" give "John" and "Example editor"; an address alone, none."""
    value = _clean(value)
    if value is None:
        return None
    m = _NAME_THEN_EMAIL.match(value) or _EMAIL_THEN_NAME.match(value)
    if m:
        value = " ".join(m.group("name").split())
    if not value or re.fullmatch(rf"(?:mailto:)?{_EMAIL}", value):
        return None
    return value


def entry_author(entry: Mapping[str, Any]) -> str | None:
    """Every author an entry names, in order, cleaned (see clean_author), joined by "; ": feedparser
    keeps only the last of several ``dc:creator`` in ``author`` but all of them in ``authors``."""
    names: list[str] = []
    for detail in entry.get("authors") or []:
        if isinstance(detail, Mapping):
            name = clean_author(detail.get("name"))
            if name and name not in names:
                names.append(name)
    if not names and (name := clean_author(entry.get("author"))):
        names.append(name)
    return FEED_AUTHOR_SEPARATOR.join(names) or None


def entry_text(html: str | None) -> str:
    """The text of an entry's content or summary (HTML), one paragraph per block element."""
    if not html or not html.strip():
        return ""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr"):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = [" ".join(p.split()) for p in normalise(root.text_content()).split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def entry_raw(entry: Entry, feed_title: str | None) -> RawArticle | None:
    """The article as the feed itself gives it (content or summary), or None when it has no text."""
    text = entry_text(entry.content_html)
    if not text:
        return None
    return RawArticle(
        text=text,
        title=entry.title,
        author=entry.author,
        url=entry.link,
        published=entry.published,
        publication=feed_title,
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
