"""Text primitives shared by the engine: normalisation, sentences, words, stop words."""

from __future__ import annotations

import re
import unicodedata

from syntok import segmenter as _syntok

from bot.core.cjk import CJK_END, cjk_cuts, script_terms

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Combining marks of the major scripts (accents, Hebrew and Arabic points, the vowel signs and viramas of Indic
# scripts, Thai, Lao, Tibetan, Myanmar and Khmer vowels and tone marks, kana voicing): Python's \w leaves them
# out, and a word of Hindi or Thai is cut at each of them without this.
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u0900-\u0903\u093a-\u094f\u0951-\u0957"
    "\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u09e2\u09e3\u09fe\u0a01-\u0a03\u0a3c-\u0a51\u0a70\u0a71\u0a75\u0a81-\u0a83"
    "\u0abc-\u0acd\u0ae2\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c-\u0b57\u0b62\u0b63\u0b82\u0bbe-\u0bd7\u0c00-\u0c04"
    "\u0c3c-\u0c56\u0c62\u0c63\u0c81-\u0c83\u0cbc-\u0cd6\u0ce2\u0ce3\u0cf3\u0d00-\u0d03\u0d3b-\u0d4e\u0d57\u0d62\u0d63\u0d81-\u0d83"
    "\u0dca-\u0df3\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece\u0f18\u0f19\u0f35\u0f37\u0f39\u0f3e"
    "\u0f3f\u0f71-\u0f84\u0f86\u0f87\u0f8d-\u0fbc\u0fc6\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064"
    "\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d\u135d-\u135f\u1712-\u1715\u17b4-\u17d3\u17dd"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20f0\u302a-\u302f\u3099\u309a\ufe20-\ufe2f"
)
_WORD = re.compile(rf"[^\W_][{MARKS}]*(?:[\w{MARKS}'’.-]*[^\W_][{MARKS}]*)?")


def normalise(text: str) -> str:
    """NFC, Unix newlines, no control or bidi-override characters, single spaces within lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


MAX_NUL_SHARE = 0.01


def strip_stray_nuls(text: str) -> str:
    """Text with a few stray NUL characters (a bad copy, a broken export) loses them; more than
    MAX_NUL_SHARE of the characters is binary content, refused with ValueError. Callers have already checked
    the bytes are text (valid UTF-8, or UTF-16 with a BOM), which random binary data is not."""
    nuls = text.count("\x00")
    if not nuls:
        return text
    if nuls > len(text) * MAX_NUL_SHARE:
        raise ValueError("binary content (NUL characters)")
    return text.replace("\x00", "")


_LINE_END = re.compile(r"[.!?:;\"”’)\]…]$")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks. A block's lines are joined with spaces when they look
    hard-wrapped (most end mid-sentence); when most end a sentence, each line is a paragraph."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and sum(1 for line in lines[:-1] if _LINE_END.search(line)) * 2 >= len(lines) - 1:
            out.extend(lines)
        elif lines:
            out.append(" ".join(lines))
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, exactly as written, robust to abbreviations and quotation marks.

    syntok's rule-based segmenter does the work; sentences are cut from the paragraph at the
    offsets of their first and last tokens, so no character is changed or invented (pieces put
    back together are cut again from the paragraph, whitespace and all).
    """
    paragraph = paragraph.strip()
    if not paragraph:
        return []
    spans: list[tuple[int, int]] = []
    for base, piece in _chunks(paragraph, _MAX_SEGMENT_CHARS):
        for para in _syntok.analyze(piece.translate(_AS_ASCII_MARKS)):
            for sentence in para:
                start = base + sentence[0].offset
                last = sentence[-1]
                end = base + last.offset + len(last.value)
                text = paragraph[start:end]
                if text.strip():
                    a, b = start + len(text) - len(text.lstrip()), end - len(text) + len(text.rstrip())
                    cuts = [a + c for c in cjk_cuts(paragraph[a:b])] if CJK_END.search(paragraph, a, b) else []
                    for x, y in zip([a, *cuts], [*cuts, b], strict=True):
                        piece = paragraph[x:y]
                        spans.append((x, y - len(piece) + len(piece.rstrip())))
    return [paragraph[a:b] for a, b in _repair(paragraph, spans)]


def _repair(paragraph: str, raw: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Put back slivers a splitter can leave: a lone closing quote or bracket, a lower-case
    continuation after a sentence that did not end with terminal punctuation, and the rest of a
    quotation that runs over several sentences (kept whole, up to a few sentences)."""
    out: list[tuple[int, int]] = []
    open_quote = 0  # sentences merged into out[-1] because its quotation is still open
    for start, end in raw:
        sent = paragraph[start:end]
        if out and 0 < open_quote < _MAX_QUOTE_SENTENCES and _quote_open(paragraph[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], end)
            open_quote += 1
            continue
        open_quote = 1 if _quote_open(sent) else 0
        previous = paragraph[out[-1][0] : out[-1][1]] if out else ""
        sliver = bool(_ONLY_PUNCT.match(sent)) or sent[0] in ",;:)]}”’"
        continuation = sent[0].islower() and previous[-1:] not in '.?!”"’)'
        if out and (sliver or continuation):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


# The Greek question mark (U+037E) is NFC-equivalent to ";", which syntok reads as a sentence end; text
# that skipped normalise() still has it. Read as ";" (one character for one: the offsets hold).
_AS_ASCII_MARKS = {0x037E: ";"}

# Beyond this a paragraph is not prose a sentence splitter should parse as a whole: it is
# cut at whitespace into pieces first, so splitting time stays linear in the text length.
_MAX_SEGMENT_CHARS = 20_000
_ONLY_PUNCT = re.compile(r"^[\W_]+$")


def _quote_open(sentence: str) -> bool:
    # a '"' between two Hebrew letters is no quotation mark: the gershayim of an acronym (מנכ"ל, ארה"ב)
    return (
        sentence.count("“") > sentence.count("”")
        or (sentence.count('"') - len(_INNER_QUOTE.findall(sentence))) % 2 == 1
    )


_INNER_QUOTE = re.compile(r'(?<=[\u05d0-\u05ea])"(?=[\u05d0-\u05ea])')


_MAX_QUOTE_SENTENCES = 4


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """The text cut at spaces into pieces of at most ``size`` characters, with their offsets."""
    if len(text) <= size:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def words(text: str) -> list[str]:
    """Word tokens (letters/digits with inner apostrophes, dots and hyphens kept)."""
    return _WORD.findall(text)


def term_words(text: str) -> list[str]:
    """Words to weigh and compare texts by: ``words``, with a run of a script written without spaces
    (Chinese, Japanese, Thai, ...) given as pairs of neighbouring characters (bot.core.cjk.script_terms)."""
    return [t for w in words(text) for t in script_terms(w)]


def fold(text: str) -> str:
    """Lower case without accents, for matching that ignores case and diacritics."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, max_length: int = 60) -> str:
    """A readable ASCII slug: 'Is China Pivoting?' -> 'is-china-pivoting'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        slug = slug[: cut if cut > 0 else max_length].strip("-")
    return slug or "article"


STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "afterwards",
        "again",
        "against",
        "all",
        "almost",
        "alone",
        "along",
        "already",
        "also",
        "although",
        "always",
        "am",
        "among",
        "amongst",
        "an",
        "and",
        "another",
        "any",
        "anyhow",
        "anyone",
        "anything",
        "anyway",
        "anywhere",
        "are",
        "around",
        "as",
        "at",
        "back",
        "be",
        "became",
        "because",
        "become",
        "becomes",
        "becoming",
        "been",
        "before",
        "beforehand",
        "behind",
        "being",
        "below",
        "beside",
        "besides",
        "between",
        "beyond",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "due",
        "during",
        "each",
        "either",
        "else",
        "elsewhere",
        "enough",
        "etc",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "everywhere",
        "except",
        "few",
        "for",
        "former",
        "formerly",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "hence",
        "her",
        "here",
        "hereafter",
        "hereby",
        "herein",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "indeed",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "latter",
        "latterly",
        "least",
        "less",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "meanwhile",
        "might",
        "mine",
        "more",
        "moreover",
        "most",
        "mostly",
        "much",
        "must",
        "my",
        "myself",
        "namely",
        "neither",
        "never",
        "nevertheless",
        "next",
        "no",
        "nobody",
        "none",
        "noone",
        "nor",
        "not",
        "nothing",
        "now",
        "nowhere",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "otherwise",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "perhaps",
        "please",
        "put",
        "rather",
        "re",
        "really",
        "said",
        "same",
        "say",
        "says",
        "see",
        "seem",
        "seemed",
        "seeming",
        "seems",
        "several",
        "she",
        "should",
        "since",
        "so",
        "some",
        "somehow",
        "someone",
        "something",
        "sometime",
        "sometimes",
        "somewhere",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "thence",
        "there",
        "thereafter",
        "thereby",
        "therefore",
        "therein",
        "thereupon",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "throughout",
        "thus",
        "to",
        "together",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "whatever",
        "when",
        "whence",
        "whenever",
        "where",
        "whereafter",
        "whereas",
        "whereby",
        "wherein",
        "whereupon",
        "wherever",
        "whether",
        "which",
        "while",
        "whither",
        "who",
        "whoever",
        "whole",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "weren",
        "won",
        "wouldn",
        "couldn",
        "shouldn",
        "hasn",
        "haven",
        "hadn",
        "ll",
        "ve",
        "d",
        "m",
        "o",
        "y",
        "mr",
        "mrs",
        "ms",
        "dr",
        "told",
        "tell",
        "says",
        "saying",
        "according",
        "new",
        "year",
        "years",
        "time",
        "times",
        "way",
        "ways",
        "week",
        "weeks",
        "day",
        "days",
        "get",
        "got",
        "go",
        "going",
        "went",
        "come",
        "came",
        "take",
        "took",
        "want",
        "wanted",
        "use",
        "used",
        "know",
        "known",
        "think",
        "thought",
        "make",
        "makes",
        "lot",
        "lots",
        "thing",
        "things",
        "many",
        "much",
        "first",
        "second",
        "third",
        "also",
        "able",
    ]
)
