"""Chinese and Japanese, which write no spaces between words: counting their words, ending their sentences."""

from __future__ import annotations

import re

# Han ideographs (with the iteration mark 々 and 〇), hiragana and katakana (with ー), and Hangul is
# left out: Korean puts spaces between words.
CJK_CHAR = re.compile(
    r"[\u3005\u3007\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
CJK_WORDS_PER_MINUTE = 500  # characters a minute, the usual reading speed given for Japanese and Chinese


_CJK_GAP = re.compile(CJK_CHAR.pattern[:-1] + r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def count_words(text: str) -> tuple[int, int]:
    """(words, CJK characters). Words are what spaces separate; Chinese and Japanese put no spaces
    between words, so each of their characters is counted on its own, and the words are what is left
    once those characters and their punctuation are taken out (text without them: ``len(text.split())``)."""
    cjk = len(CJK_CHAR.findall(text))
    if not cjk:
        return len(text.split()), 0
    return sum(1 for t in _CJK_GAP.sub(" ", text).split() if any(c.isalnum() for c in t)), cjk


# Sentence ends of Chinese and Japanese, which syntok only sees when a space follows them: 。！？
# (and the halfwidth ｡). A cut comes after the mark and any closing brackets or quotation marks,
# never inside an open bracket, and not before hiragana right after a closing mark (「…。」と言った).
CJK_END = re.compile(r"[。！？｡]")
_CJK_OPEN = "「『（“‘【《〈(["
_CJK_CLOSE = "」』）”’】》〉)]"
_HIRAGANA = re.compile(r"[\u3041-\u309f]")


def cjk_cuts(sentence: str) -> list[int]:
    """Offsets inside ``sentence`` where a Chinese or Japanese sentence ends with no space after it."""
    cuts: list[int] = []
    depth = 0
    i = 0
    while i < len(sentence):
        ch = sentence[i]
        i += 1
        if ch in _CJK_OPEN:
            depth += 1
        elif ch in _CJK_CLOSE:
            depth = max(0, depth - 1)
        elif CJK_END.match(ch):
            while i < len(sentence) and (CJK_END.match(sentence[i]) or sentence[i] in "!?"):
                i += 1
            closed = 0
            while i < len(sentence) and sentence[i] in _CJK_CLOSE:
                closed += 1
                i += 1
            depth = max(0, depth - closed)
            rest = sentence[i : i + 1]
            if depth == 0 and rest.strip() and not (closed and _HIRAGANA.match(rest)):
                cuts.append(i)
    return cuts
