"""Quotation marks: where each quotation of a paragraph opens and closes.

Curly, straight and guillemet marks, and a quotation opened with one kind and closed with another
(a straight opening mark and a curly closing one, as pasted text often has them).
"""

from __future__ import annotations

from dataclasses import dataclass

_PAIRS = {"“": "”", "„": "“", "«": "»", '"': '"'}


@dataclass(slots=True)
class Span:
    paragraph: int
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or paragraph end for an unclosed quote)
    text: str
    closed: bool


def find_quote_spans(paragraph: str, index: int = 0) -> list[Span]:
    """Quotation spans in one paragraph, each from its opening mark to its closing mark."""
    spans: list[Span] = []
    i = 0
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch in _PAIRS and _is_opening(paragraph, i):
            close = _find_closing(paragraph, i, _PAIRS[ch])
            if close is None:
                spans.append(Span(index, i, n, paragraph[i + 1 :].strip(), closed=False))
                break
            spans.append(Span(index, i, close + 1, paragraph[i + 1 : close].strip(), closed=True))
            i = close + 1
            continue
        i += 1
    return spans


def _is_opening(text: str, i: int) -> bool:
    ch = text[i]
    if ch in "“«„":
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:;,/") and not after.isspace()


def _find_closing(text: str, start: int, closer: str) -> int | None:
    """The closing mark of the quotation opened at ``start``. A straight opening mark may be closed
    by a curly one and the other way round ("Never underestimate him,” Reid said): the first mark
    of either kind that closes, past any pair nested inside (“He called it "fake" today”)."""
    if closer not in ('"', "”"):
        j = text.find(closer, start + 1)
        return j if j >= 0 else None
    nested_curly = 0
    nested_straight = False
    first_close = None  # a pair nested in a curly quotation that never closes: the first mark
    for j in range(start + 1, len(text)):
        ch = text[j]
        if ch == "“":
            nested_curly += 1
        elif ch == "”":
            if first_close is None and closer == "”":
                first_close = j
            if nested_curly:
                nested_curly -= 1
            else:
                return j
        elif ch == '"':
            if j > 0 and text[j - 1].isspace() and j + 1 < len(text) and text[j + 1].isalnum():
                if closer == '"':
                    continue  # another opening mark
                nested_straight = True
            elif closer == "”" and nested_straight:
                nested_straight = False
            elif closer == '"' or _closes(text, j):
                return j
    return first_close


def _closes(text: str, j: int) -> bool:
    """Whether the straight mark at ``j`` inside a curly quotation ends it: after a word or a stop
    and before a space, a stop or the paragraph's end."""
    after = text[j + 1] if j + 1 < len(text) else " "
    return not text[j - 1].isspace() and (after.isspace() or after in ".,;:!?)—–-")
