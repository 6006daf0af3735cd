"""Turning what a user types into a safe SQLite FTS5 query.

Nothing the user types reaches FTS5 as syntax. The text is read as words, "quoted phrases" and
words ending in `*` (prefixes); every word becomes a quoted FTS5 string, so `OR`, `NEAR(`, `-`,
`:`, `^` and parentheses are searched for as the words they contain (or dropped when they contain
none), never obeyed. The terms are joined with AND: a quotation must hold all of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERMS = 16
MAX_WORD_CHARS = 64

# Words as FTS5's unicode61 tokenizer sees them: runs of letters, digits and marks.
_WORD = re.compile(r"[^\W_]+")
_PHRASE_OR_TOKEN = re.compile(r'"([^"]*)"|(\S+)')

HIGHLIGHT_OPEN = "\ue000"
HIGHLIGHT_CLOSE = "\ue001"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: ``match`` is the FTS5 expression, ``terms`` what the user will see."""

    match: str
    terms: tuple[str, ...]
    truncated: bool = False  # more than MAX_TERMS terms were typed; the first ones were used


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(text)]


def parse_query(text: str | None) -> SearchQuery | None:
    """The FTS5 query for ``text``, or None when it holds nothing to search for."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    shown: list[str] = []
    truncated = False
    for m in _PHRASE_OR_TOKEN.finditer(text):
        phrase, token = m.group(1), m.group(2)
        if phrase is not None:
            words = _words(phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
                shown.append('"' + " ".join(words) + '"')
            continue
        words = _words(token)
        if not words:
            continue
        prefix = token.endswith("*")
        for i, word in enumerate(words):
            star = "*" if prefix and i == len(words) - 1 else ""
            parts.append(f'"{word}"{star}')
            shown.append(word + star)
        if len(parts) > MAX_TERMS:
            truncated = True
            break
    truncated = truncated or len(parts) > MAX_TERMS
    parts, shown = parts[:MAX_TERMS], shown[:MAX_TERMS]
    if not parts:
        return None
    return SearchQuery(match=" AND ".join(parts), terms=tuple(shown), truncated=truncated)


def speaker_filter(name: str | None) -> str | None:
    """An FTS5 column filter matching quotations whose speaker has all these words."""
    words = _words(unicodedata.normalize("NFC", name or ""))[:MAX_TERMS]
    if not words:
        return None
    return "speaker : (" + " AND ".join(f'"{w}"' for w in words) + ")"


def combine(*expressions: str | None) -> str | None:
    present = [f"({e})" for e in expressions if e]
    return " AND ".join(present) or None
