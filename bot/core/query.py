"""Turning what a user types into a safe SQLite FTS5 query.

Nothing the user types reaches FTS5 as syntax. The text is read as words, "quoted phrases" and
words ending in `*` (prefixes); every word becomes a quoted FTS5 string, so `OR`, `NEAR(`, `-`,
`:`, `^` and parentheses are searched for as the words they contain (or dropped when they contain
none), never obeyed. The terms are joined with AND: a quotation must hold all of them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from bot.core.stem import stem
from bot.core.text import fold

MAX_TERMS = 16
# What a search returns: matches counted up to COUNT_CAP (more shows as "1,000+"), and at most
# RANK_WINDOW phrase matches ranked, so that many can be paged through (bot/storage/search.py).
COUNT_CAP = 1_000
RANK_WINDOW = 100
MAX_WORD_CHARS = 64

# Words as FTS5's unicode61 tokenizer sees them: runs of letters, digits and marks.
_WORD = re.compile(r"[^\W_]+")
_PHRASE_OR_TOKEN = re.compile(r'"([^"]*)"|(\S+)')

HIGHLIGHT_OPEN = "\ue000"
HIGHLIGHT_CLOSE = "\ue001"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: ``match`` is the FTS5 expression, ``terms`` what the user will see.

    ``pairs`` is set when the query is only phrases: the FTS5 expression over the word-pair index
    (every pair of neighbouring words in every phrase), which finds phrase candidates in one
    posting list instead of intersecting the positions of two common words.
    """

    match: str
    terms: tuple[str, ...]
    truncated: bool = False  # more than MAX_TERMS terms were typed; the first ones were used
    pairs: str | None = None
    phrases: tuple[tuple[str, ...], ...] = ()  # each phrase's folded, stemmed words
    marks: tuple[tuple[str, bool], ...] = ()  # (stem or prefix, is_prefix) of every word, for highlights
    # Each term on its own, as an FTS5 expression: a word, "a phrase" or a prefix* (what ``match``
    # joins with AND), for searches that weigh the terms one by one (bot.library.topics).
    parts: tuple[str, ...] = ()


def _pair_words(text: str) -> list[str]:
    return [stem(w) for w in _words(fold(text))]


def pair_tokens(*texts: str | None) -> str:
    """The text indexed in the word-pair tables: each pair of neighbouring (folded, stemmed) words
    joined by an underscore, for every text given."""
    out: list[str] = []
    for text in texts:
        words = _pair_words(text or "")
        out.extend(f"{a}_{b}" for a, b in itertools.pairwise(words))
    return " ".join(out)


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(text)]


def parse_query(text: str | None) -> SearchQuery | None:
    """The FTS5 query for ``text``, or None when it holds nothing to search for."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    shown: list[str] = []
    pairs: list[str] = []
    phrases: list[tuple[str, ...]] = []
    marks: list[tuple[str, bool]] = []
    only_phrases = True
    truncated = False
    for m in _PHRASE_OR_TOKEN.finditer(text):
        phrase, token = m.group(1), m.group(2)
        if phrase is not None:
            words = _words(phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
                shown.append('"' + " ".join(words) + '"')
                stems = _pair_words(phrase)
                phrases.append(tuple(stems))
                marks.extend((s, False) for s in stems)
                if len(stems) < 2:
                    only_phrases = False
                pairs.extend(f'"{a}_{b}"' for a, b in itertools.pairwise(stems))
            continue
        only_phrases = False
        words = _words(token)
        if not words:
            continue
        prefix = token.endswith("*")
        for i, word in enumerate(words):
            star = "*" if prefix and i == len(words) - 1 else ""
            parts.append(f'"{word}"{star}')
            shown.append(word + star)
            marks.append((fold(word), True) if star else (stem(word), False))
        if len(parts) > MAX_TERMS:
            truncated = True
            break
    truncated = truncated or len(parts) > MAX_TERMS
    parts, shown = parts[:MAX_TERMS], shown[:MAX_TERMS]
    if not parts:
        return None
    use_pairs = only_phrases and pairs and not truncated
    return SearchQuery(
        match=" AND ".join(parts),
        terms=tuple(shown),
        truncated=truncated,
        pairs=" AND ".join(pairs) if use_pairs else None,
        phrases=tuple(phrases),
        marks=tuple(marks),
        parts=tuple(parts),
    )


def highlight(text: str, query: SearchQuery | None) -> str:
    """``text`` with the words the query matches between HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE.

    Words are compared by the same light stemming as the word-pair index; FTS5 matched them with
    the Porter stemmer, so a rare inflection may match without being marked (never the reverse).
    """
    if query is None or not query.marks:
        return text
    whole = {m for m, prefix in query.marks if not prefix}
    prefixes = tuple(m for m, prefix in query.marks if prefix)

    def mark(m: re.Match[str]) -> str:
        word = m.group(0)
        folded = fold(word)
        if stem(word) in whole or folded in whole or (prefixes and folded.startswith(prefixes)):
            return f"{HIGHLIGHT_OPEN}{word}{HIGHLIGHT_CLOSE}"
        return word

    return _WORD.sub(mark, text)


def tf_score(texts: list[str | None], query: SearchQuery, avg_words: float = 20.0) -> float:
    """BM25's term-frequency part (k1 1.2, b 0.75) for the query's words and phrases in ``texts``,
    negated like SQLite's bm25() so that lower is better.

    Used where bm25() would cost too much: its IDF factor counts every document holding each term,
    which for a very common word means reading its whole posting list. Among matches of a query
    whose every term is that common, IDF barely differs, so term frequency orders them as BM25
    would, nearly."""
    words = [w for t in texts for w in _pair_words(t or "")]
    norm = 1.2 * (0.25 + 0.75 * len(words) / avg_words)
    score = 0.0
    phrase_words = {w for p in query.phrases for w in p}
    for mark, prefix in query.marks:
        if mark in phrase_words:
            continue
        tf = sum(1 for w in words if (w.startswith(mark) if prefix else w == mark))
        score += tf / (tf + norm) if tf else 0.0
    for phrase in query.phrases:
        n = len(phrase)
        tf = sum(1 for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == phrase)
        score += tf / (tf + norm) if tf else 0.0
    return -score


def speaker_filter(name: str | None) -> str | None:
    """An FTS5 column filter matching quotations whose speaker has all these words."""
    words = _words(unicodedata.normalize("NFC", name or ""))[:MAX_TERMS]
    if not words:
        return None
    return "speaker : (" + " AND ".join(f'"{w}"' for w in words) + ")"


def combine(*expressions: str | None) -> str | None:
    present = [f"({e})" for e in expressions if e]
    return " AND ".join(present) or None
