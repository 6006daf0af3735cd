"""Domain rules for subscriptions: keyword filters and delivery identity. No Discord, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from bot.core.models import Analysis, Article
from bot.core.text import fold

MAX_KEYWORDS = 10
MAX_KEYWORD_CHARS = 50


def parse_keywords(text: str | None) -> list[str]:
    """Comma-separated keywords, trimmed, de-duplicated (ignoring case), at most MAX_KEYWORDS."""
    out: list[str] = []
    seen: set[str] = set()
    for part in (text or "").split(","):
        keyword = " ".join(part.split())[:MAX_KEYWORD_CHARS]
        if keyword and fold(keyword) not in seen:
            seen.add(fold(keyword))
            out.append(keyword)
    return out[:MAX_KEYWORDS]


def matches(article: Article, analysis: Analysis, keywords: Iterable[str]) -> bool:
    """Whether an article passes a channel's filter: no keywords, or any keyword found as whole
    words (ignoring case and accents) in its title, standfirst, body or key phrases."""
    keywords = [k for k in keywords if k.strip()]
    if not keywords:
        return True
    haystack = " ".join([article.title, article.standfirst or "", article.body, " ".join(analysis.keywords)])
    folded = fold(haystack)
    return any(re.search(rf"(?<!\w){re.escape(fold(k))}(?!\w)", folded) for k in keywords)


def delivery_nonce(channel_id: int, article_id: str) -> str:
    """The nonce of the post of an article to a channel: the same on every attempt, so Discord
    (with enforce_nonce) returns the first message instead of posting a second one."""
    digest = hashlib.sha256(f"{channel_id}:{article_id}".encode()).hexdigest()
    return "bb" + digest[:23]  # Discord allows 25 characters


def digest_nonce(channel_id: int, period_start: str, part: int) -> str:
    """The nonce of one message (``part``, from 0) of a channel's digest for the period starting at
    ``period_start``: the same on every attempt, as for an article's post."""
    digest = hashlib.sha256(f"digest:{channel_id}:{period_start}:{part}".encode()).hexdigest()
    return "bd" + digest[:23]


THREAD_LOCKED = 160005  # Discord's JSON error code for a post to a locked thread


def permanent_failure(status: int, code: int = 0) -> str | None:
    """Why a channel post that Discord answered with HTTP ``status`` (and JSON error ``code``) will
    never succeed as it is, or None when trying again later may work: a server error (5xx) or a rate
    limit (429) passes; any other 4xx is Discord refusing the post itself. A 401 is the bot's own
    token being refused, not the channel's fault (the bot stops on it), so it pauses no subscription."""
    if status == 403 and code == THREAD_LOCKED:
        return "the thread is locked: only its moderators may post in it"
    if status == 403:
        return "Discord refused access to the channel (missing permissions)"
    if status == 404:
        return "the channel no longer exists"
    if 400 <= status < 500 and status not in (401, 429):
        return f"Discord refused the post ({status})"
    return None
