"""Full-text search on PostgreSQL: tsvector columns the application fills, queried with tsquery.

SQLite's FTS5 reads words with its unicode61 tokenizer (accents removed) and stems them with its
porter tokenizer. Here the bot does the same before PostgreSQL sees the text: words are runs of
letters and digits of the folded text (bot.core.text.fold), stemmed by the original Porter algorithm
(snowballstemmer's "porter", which stems as FTS5's does: 3,449 of 3,452 words of the seeds and a
synthetic vocabulary alike, the other three are words under 3 letters, which FTS5 leaves as they are,
as ``porter`` here does), and written as a tsvector literal with their positions. Nothing of
PostgreSQL's text search configuration (its parser, dictionaries or stop words, which depend on the
server's locale) takes part: a row holds exactly the lexemes the query is built from. Quotations
weigh their words A, their speaker B and their sentence C, each column's positions one past the last
column's plus a gap, so a phrase never spans two columns (FTS5 matches phrases within a column too).

Queries arrive as the FTS5 expressions bot.core.query builds (quoted words, ``*`` prefixes, quoted
phrases, ``AND``, parentheses, a ``speaker :`` column filter) and are rewritten into a tsquery from
their words alone: every lexeme is quoted, so nothing a user typed is read as tsquery syntax.
"""

from __future__ import annotations

import re

import snowballstemmer

from bot.core.query import MAX_WORD_CHARS
from bot.core.text import fold

_WORD = re.compile(r"[^\W_]+")
# The FTS5 grammar bot.core.query writes: a quoted string (optionally a prefix), a column filter,
# parentheses and AND. Anything else is dropped.
_TOKEN = re.compile(r'"((?:[^"]|"")*)"(\*)?|(\()|(\))|([a-z_]+)\s*:|([^\W_]+)(\*)?')
_WEIGHTS = ("A", "B", "C")
COLUMN_WEIGHT = {"text": "A", "speaker": "B", "context": "C"}
# The tables with a ``search`` vector and the columns it is built from, in weight order (A, B, C).
SEARCHED: dict[str, tuple[str, ...]] = {"quotes": ("text", "speaker", "context"), "passages": ("text",)}
POSITION_GAP = 2  # between columns: no phrase spans two of them
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this


FTS5_MAX_STEMMED = 64  # FTS5's porter leaves longer tokens, and tokens under 3 characters, as they are


STEMS_KEPT = 500_000  # words a ``stems`` memo holds before it starts again (a one-off copy)
STEMS_KEPT_LIVE = 50_000  # the same for a memo that lives as long as the process (a repository's)


def porter(words: list[str], stems: dict[str, str] | None = None, kept: int = STEMS_KEPT) -> list[str]:
    """Words stemmed as FTS5's porter tokenizer stems them (a stemmer of its own for each call: it
    keeps state while it works). ``stems``, the caller's memo of words already stemmed, saves most
    of the work over many rows (a pure-Python stemmer: about 0.1 ms a word)."""
    stemmer = snowballstemmer.stemmer("porter")
    if stems is None:
        return [w if not 3 <= len(w) <= FTS5_MAX_STEMMED else stemmer.stemWord(w) for w in words]
    if len(stems) > kept:
        stems.clear()
    out = []
    for w in words:
        stem = stems.get(w)
        if stem is None:
            stem = stems[w] = w if not 3 <= len(w) <= FTS5_MAX_STEMMED else stemmer.stemWord(w)
        out.append(stem)
    return out


def _words(text: str | None, stems: dict[str, str] | None = None, kept: int = STEMS_KEPT) -> list[str]:
    return porter([w[:MAX_WORD_CHARS] for w in _WORD.findall(fold(text or ""))], stems, kept)


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def search_vector(*columns: str | None, stems: dict[str, str] | None = None, kept: int = STEMS_KEPT) -> str:
    """The tsvector literal of a row's columns (text, speaker, context for a quotation; text for a
    passage): each folded, stemmed word with its positions and its column's weight (``stems``: see porter)."""
    positions: dict[str, list[str]] = {}
    at = 0
    for weight, text in zip(_WEIGHTS, columns, strict=False):
        for word in _words(text, stems, kept):
            at = min(at + 1, MAX_POSITION)
            positions.setdefault(word, []).append(f"{at}{weight}")
        at += POSITION_GAP
    return " ".join(f"{_lexeme(w)}:{','.join(p)}" for w, p in positions.items())


def tsquery(match: str) -> str | None:
    """The tsquery for an FTS5 expression written by bot.core.query (None when it holds no word)."""
    tokens = list(_TOKEN.finditer(match))
    out, _ = _expression(tokens, 0, None)
    return out or None


def _expression(tokens: list[re.Match[str]], i: int, weight: str | None) -> tuple[str, int]:
    """Terms from ``tokens[i]`` up to the closing parenthesis (or the end), joined with &."""
    parts: list[str] = []
    column: str | None = None
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t.group(4):  # )
            break
        if t.group(5):  # column filter: the next term is searched in that column only
            column = COLUMN_WEIGHT.get(t.group(5))
            continue
        if t.group(3):  # (
            inner, i = _expression(tokens, i, column or weight)
            column = None
            if inner:
                parts.append(f"( {inner} )")
            continue
        if t.group(6) == "AND":
            continue
        if t.group(6):  # a bare word
            term = _term(t.group(6), bool(t.group(7)), column or weight)
        else:
            term = _term(t.group(1).replace('""', '"'), bool(t.group(2)), column or weight)
        column = None
        if term:
            parts.append(term)
    return " & ".join(parts), i


def _term(text: str, prefix: bool, weight: str | None) -> str | None:
    """One quoted FTS5 string: a word, a prefix (its last word) or a phrase (words in a row)."""
    raw = [w[:MAX_WORD_CHARS] for w in _WORD.findall(fold(text))]
    if not raw:
        return None
    suffix = f":{weight}" if weight else ""
    stems = porter(raw)
    lexemes = [_lexeme(s) + suffix for s in stems[:-1]]
    # A prefix is stemmed too, as FTS5 stems it: "running*" finds "runner".
    lexemes.append(_lexeme(stems[-1]) + (":*" + (weight or "") if prefix else suffix))
    return lexemes[0] if len(lexemes) == 1 else "( " + " <-> ".join(lexemes) + " )"
