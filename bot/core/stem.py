"""The stemmer every layer shares: summaries and keywords weigh stems, and search matches them."""

from __future__ import annotations

from functools import lru_cache

from bot.core.text import fold


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: enough to conflate sanction/sanctions, talk/talked/talking."""
    w = fold(word)
    # An English possessive is the word itself: "China’s" and "leaders'" weigh as china, leader.
    if w[-2:] in {"'s", "’s"}:
        w = w[:-2]
    w = w.rstrip("'’")
    for suffix, min_len in (
        ("ational", 8),
        ("ization", 8),
        ("ingly", 7),
        ("ments", 7),
        ("ment", 6),
        ("ness", 6),
        ("ings", 6),
        ("ing", 5),
        ("edly", 6),
        ("ies", 5),
        ("ied", 5),
        ("ed", 4),
        ("es", 5),
        ("ly", 5),
        ("s", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len:
            w = w[: -len(suffix)]
            if suffix in {"ies", "ied"}:
                w += "y"
            break
    return w
