"""Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) and
sentence ends syntok does not know: counting words, cutting sentences, terms to rank sentences by,
Korean particles."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

# Han ideographs (with the iteration mark 々 and 〇), hiragana and katakana (with ー), and Hangul is
# left out: Korean puts spaces between words.
CJK_CHAR = re.compile(
    r"[\u3005\u3007\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
CJK_WORDS_PER_MINUTE = 500  # characters a minute, the usual reading speed given for Japanese and Chinese

# Letters and marks of Thai, Lao, Khmer and Myanmar (their digits and punctuation left out).
_SEA = r"\u0e01-\u0e3a\u0e40-\u0e4e\u0e81-\u0ecd\u1000-\u103f\u1050-\u109d\u1780-\u17d3\u17dd\u19e0-\u19ff\uaa60-\uaa7f"
SEA_RUN = re.compile(rf"[{_SEA}]+")
_THAI_LAO = r"\u0e01-\u0e4e\u0e81-\u0ecd"
# A cluster is a letter with the marks written on, under or after it (a vowel written before its consonant,
# เ แ โ ใ ไ, goes with the consonant; a stacked consonant of Khmer or Myanmar and a killed final of Myanmar
# go with the letter before). A Thai, Lao or Khmer word is about three of them, a Myanmar word two (a Myanmar
# cluster is a syllable): nothing better is known without a dictionary.
_CLUSTER = re.compile(
    r"[\u0e40-\u0e44\u0ec0-\u0ec4]?[^\u0e30-\u0e33\u0e45\u0eb0\u0eb2\u0eb3]"
    r"(?:[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e\u0eb0-\u0ebc\u0ec8-\u0ecd\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064"
    r"\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d\u17b4-\u17d1\u17d3\u17dd]"
    r"|[\u17d2\u1039].|.(?=\u1037?\u103a))*",
    re.S,
)
CLUSTERS_PER_WORD = 3
MYANMAR_CLUSTERS_PER_WORD = 2  # a Myanmar cluster is a whole syllable


def clusters(run: str) -> list[str]:
    """A run of Thai, Lao, Khmer or Myanmar letters cut into clusters (letters with their marks)."""
    return _CLUSTER.findall(run)


def _per_word(run: str) -> int:
    return MYANMAR_CLUSTERS_PER_WORD if "\u1000" <= run[0] <= "\u109f" else CLUSTERS_PER_WORD


_GAP = re.compile(
    CJK_CHAR.pattern[:-1]
    + _SEA
    + r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u0e2f\u0e5a\u0e5b"
    r"\u104a-\u104f\u17d4-\u17da]"
)


def count_words(text: str) -> tuple[int, int]:
    """(words, CJK characters). Words are what spaces separate; Chinese and Japanese put no spaces
    between words, so each of their characters is counted on its own; Thai, Lao, Khmer and Myanmar
    words are estimated, a word every CLUSTERS_PER_WORD clusters (MYANMAR_CLUSTERS_PER_WORD in
    Myanmar). The words are what is left once those scripts and their punctuation are taken out (text
    without them: ``len(text.split())``), plus the estimate."""
    cjk = len(CJK_CHAR.findall(text))
    runs = SEA_RUN.findall(text)
    if not cjk and not runs:
        return len(text.split()), 0
    sea = sum(-(-len(clusters(run)) // _per_word(run)) for run in runs)
    return sum(1 for t in _GAP.sub(" ", text).split() if any(c.isalnum() for c in t)) + sea, cjk


# Sentence ends syntok does not see. 。！？｡ of Chinese and Japanese when no space follows them (syntok
# cuts there when one does); and, space or not, the Arabic question mark ؟ and Urdu full stop ۔, the
# Devanagari danda । ॥, the Khmer ។ ៕, the Myanmar ။, the Ethiopic ። and the Armenian ։. A cut comes after
# the mark and any closing brackets or quotation marks, never inside an open bracket, and not before
# hiragana right after a closing mark (「…。」と言った). Thai and Lao end sentences with a space (below).
_CJK_END = "。！？｡"
_OTHER_END = "؟۔।॥។៕။።։"
CJK_END = re.compile(rf"[{_CJK_END}{_OTHER_END}]|(?<=[{_THAI_LAO}]) (?=[{_THAI_LAO}])")
_CJK_OPEN = "「『（“‘【《〈([«"
_CJK_CLOSE = "」』）”’】》〉)]»"
_HIRAGANA = re.compile(r"[\u3041-\u309f]")


def cjk_cuts(sentence: str) -> list[int]:
    """Offsets inside ``sentence`` where a sentence ends that syntok did not cut: each offset is the
    start of the next sentence (any space before it belongs to the sentence before)."""
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
        elif ch in _CJK_END or ch in _OTHER_END:
            while i < len(sentence) and (sentence[i] in _CJK_END or sentence[i] in _OTHER_END or sentence[i] in "!?"):
                i += 1
            closed = 0
            while i < len(sentence) and sentence[i] in _CJK_CLOSE:
                closed += 1
                i += 1
            depth = max(0, depth - closed)
            if ch in _OTHER_END:
                while i < len(sentence) and sentence[i].isspace():
                    i += 1
            rest = sentence[i : i + 1]
            if depth == 0 and rest.strip() and not (closed and _HIRAGANA.match(rest)):
                cuts.append(i)
    if " " in sentence and SEA_RUN.search(sentence):
        cuts = sorted(set(cuts) | set(_thai_cuts(sentence)))
    return cuts


# Thai and Lao have no sentence punctuation: a space between two of their letters ends a clause or a
# sentence, and also stands around names and between a name and a surname. A piece shorter than
# MIN_THAI_CLUSTERS (a name, a date) joins the text after it, and a piece that begins with a word
# that continues a sentence ("by", "which", "and", "but", "or", "so as to", "that") joins the one before.
_THAI_SPACE = re.compile(rf"(?<=[{_THAI_LAO}]) +(?=[{_THAI_LAO}])")
MIN_THAI_CLUSTERS = 20
_THAI_CONTINUES = (
    "โดย",
    "ซึ่ง",
    "และ",
    "แต่",
    "หรือ",
    "เพื่อ",
    "ที่",
    "ว่า",
    "ทำให้",
    "กล่าว",
    "ระบุ",
    "เปิดเผย",
    "ແລະ",
    "ໂດຍ",
    "ຊຶ່ງ",
    "ເພື່ອ",
    "ແຕ່",
)


def _thai_cuts(sentence: str) -> list[int]:
    depth_at = _depths(sentence)
    starts = [m.end() for m in _THAI_SPACE.finditer(sentence) if not depth_at[m.start()]]
    bounds = [0, *starts, len(sentence)]
    sizes = [len(clusters("".join(SEA_RUN.findall(sentence[a:b])))) for a, b in itertools.pairwise(bounds)]
    cuts: list[int] = []
    size = 0
    for k, start in enumerate(starts):
        size += sizes[k]
        if size >= MIN_THAI_CLUSTERS and not sentence.startswith(_THAI_CONTINUES, start):
            cuts.append(start)
            size = 0
    if cuts and size + sizes[-1] < MIN_THAI_CLUSTERS:
        cuts.pop()  # a short last piece stays with the sentence before it
    return cuts


def _depths(sentence: str) -> list[int]:
    """The bracket and quotation depth before each character."""
    out: list[int] = []
    depth = 0
    for ch in sentence:
        out.append(depth)
        if ch in _CJK_OPEN:
            depth += 1
        elif ch in _CJK_CLOSE:
            depth = max(0, depth - 1)
    return out


def script_terms(word: str) -> list[str]:
    """A word token as terms to compare sentences by: itself, or, where it holds a run of Chinese,
    Japanese, Thai, Lao, Khmer or Myanmar (a whole clause, as no spaces cut it), the pairs of
    neighbouring characters (clusters for the scripts of South-East Asia) in those runs and the
    word's other pieces as they are."""
    if word.isascii() or not (CJK_CHAR.search(word) or SEA_RUN.search(word)):
        return [word]
    terms: list[str] = []
    for m in _SCRIPT_PIECE.finditer(word):
        if m.lastgroup == "cjk":
            units = list(m.group(0))
        elif m.lastgroup == "sea":
            units = clusters(m.group(0))
        else:
            terms.append(m.group(0))
            continue
        terms.extend(units if len(units) == 1 else [a + b for a, b in itertools.pairwise(units)])
    return terms


def paired(term: str) -> bool:
    """Whether a term is a pair from ``script_terms`` (two characters that say more than an English two-letter word)."""
    return bool(CJK_CHAR.match(term) or SEA_RUN.match(term))


_SCRIPT_PIECE = re.compile(
    rf"(?P<cjk>{CJK_CHAR.pattern}+)|(?P<sea>[{_SEA}]+)|(?P<other>(?:(?!{CJK_CHAR.pattern})[^\W_{_SEA}])+)"
)


# Korean writes particles onto the word before them (정부는, 정부가, 정부의: the government). A particle
# comes off a word when what is left is attested in the same text: written alone, or with another particle.
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_PARTICLES = sorted(
    "은 는 이 가 을 를 의 에 도 만 와 과 로 으로 에서 에게 한테 까지 부터 보다 처럼 만큼 이나 이며 이고 라고 이라고 "
    "에서는 에서도 에는 으로는 로는 과는 와는 에게는 들 들은 들이 들을 들의 들과 들도 들에게".split(),
    key=len,
    reverse=True,
)


def korean_stems(words: Iterable[str]) -> dict[str, str]:
    """Each Korean word of ``words`` mapped to itself without its particle, where the text attests the rest."""
    hangul = {w for w in words if _HANGUL.match(w)}
    stems_of = {w: [w[: -len(p)] for p in _PARTICLES if w.endswith(p) and len(w) > len(p)] for w in hangul}
    seen: Counter[str] = Counter()
    for w, stems in stems_of.items():
        seen.update({w, *stems})
    out: dict[str, str] = {}
    for w, stems in stems_of.items():
        attested = [s for s in stems if seen[s] >= 2 and len(s) >= 2]
        if attested:
            out[w] = attested[0]
    return out
