"""Key phrases: runs of content words (RAKE-style candidates) scored by frequency and spread."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.core.cjk import CJK_CHAR, SEA_RUN, clusters, korean_stems
from bot.core.stem import stem
from bot.core.stopwords import stop_words_for
from bot.core.text import MARKS, STOP_WORDS, fold

_TOKEN = re.compile(
    rf"(?:[A-Z]\.){{2,}}|[^\W\d_][{MARKS}]*(?:[\w{MARKS}'’.-]*[^\W_][{MARKS}]*)?|[.,;:!?()\"“”«»—–]|\s-\s"
)
_ELISION = re.compile(r"^[^\W\d_]{1,4}['’](?=[^\W\d_])")
MAX_PHRASE_WORDS = 3
MAX_KEYWORDS = 8


def keywords(sentences: Sequence[str], limit: int = MAX_KEYWORDS, *, stops: frozenset[str] | None = None) -> list[str]:
    """5 to 8 key phrases (fewer only when the text has fewer), most important first. ``stops``:
    the stop words of the text's language (found here when not given)."""
    if _mostly_cjk(sentences):
        return _cjk_keywords(sentences, limit)
    stops = stops if stops is not None else stop_words_for(sentences)
    korean = korean_stems(m.group(0) for s in sentences for m in _TOKEN.finditer(s))
    counts: Counter[tuple[str, ...]] = Counter()
    spread: Counter[tuple[str, ...]] = Counter()  # how many sentences use the phrase
    word_freq: Counter[str] = Counter()
    runs_by_sentence: list[list[tuple[list[str], list[str]]]] = []
    for sentence in sentences:
        runs = [(run, [stem(w) for w in run]) for run in _candidate_runs(sentence, stops, korean)]
        runs_by_sentence.append(runs)
        keys: list[tuple[str, ...]] = []
        for _run, stems in runs:
            word_freq.update(stems)
            n = len(stems)
            for size in range(1, min(MAX_PHRASE_WORDS, n) + 1):
                keys.extend(tuple(stems[i : i + size]) for i in range(n - size + 1))
        counts.update(keys)
        spread.update(set(keys))

    def score(key: tuple[str, ...]) -> float:
        words_score = sum(word_freq[w] for w in key) / len(key)
        multi = 1.0 + 0.6 * (len(key) - 1)
        return counts[key] * multi * (1.0 + 0.1 * spread[key]) + 0.2 * words_score

    # Counter keeps first-insertion order, so ties go to the phrase that appears first.
    candidates = [k for k, c in counts.items() if c >= (2 if len(k) > 1 else 1)]
    order = {k: i for i, k in enumerate(candidates)}
    ranked = sorted(candidates, key=lambda k: (-score(k), order[k]))
    chosen: list[tuple[str, ...]] = []
    for key in ranked:
        if any(_overlaps(key, c) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) >= limit:
            break
    return [_display(_surfaces(key, runs_by_sentence)) for key in chosen]


def _surfaces(key: tuple[str, ...], runs_by_sentence: list[list[tuple[list[str], list[str]]]]) -> Counter[str]:
    """How a chosen phrase is written in the text, form by form."""
    forms: Counter[str] = Counter()
    size = len(key)
    for runs in runs_by_sentence:
        for run, stems in runs:
            for i in range(len(stems) - size + 1):
                if tuple(stems[i : i + size]) == key:
                    forms[" ".join(run[i : i + size])] += 1
    return forms


def _candidate_runs(
    sentence: str, stops: frozenset[str] = STOP_WORDS, korean: dict[str, str] | None = None
) -> list[list[str]]:
    """Runs of content words; ``korean`` maps Korean words to themselves without their particles."""
    runs: list[list[str]] = []
    current: list[str] = []
    for m in _TOKEN.finditer(sentence):
        tok = m.group(0)
        if korean:
            tok = korean.get(tok, tok)
        is_word = tok[0].isalpha()
        folded = fold(tok)
        if stops is not STOP_WORDS:  # French, Italian, Catalan elision: d’un, l’une, qu’il, dell’altro
            folded = _ELISION.sub("", folded)
        if not is_word or folded in stops or len(tok) < 2 or folded.rstrip("’'s") in stops:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(tok.rstrip("’'").removesuffix("’s").removesuffix("'s"))
    if current:
        runs.append(current)
    return runs


def _overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(set(a) & set(b))


def _display(surfaces: Counter[str]) -> str:
    """The commonest written form, lower-cased unless it is always capitalised (a name)."""
    form, _ = surfaces.most_common(1)[0]
    if all(any(c.isupper() for c in w[:1]) for s in surfaces for w in s.split()):
        return form
    return form.lower() if not any(w.isupper() and len(w) > 1 for w in form.split()) else form


# Chinese and Japanese put no spaces between words, so whitespace tokens are whole clauses. There the
# candidates are katakana words (runs of katakana, loan words and names, taken whole), runs of Han
# characters of 2 to 4 (longer runs give their 2- to 4-character pieces), and Latin-script words;
# hiragana (Japanese grammatical endings and particles) and punctuation separate them. A piece is
# kept when it occurs at least twice (or is a whole run) and no longer piece holding it occurs as often; the commonest
# come first, longer ones ahead at equal counts, none inside another.
_CJK_PIECE = re.compile(
    r"(?P<kata>[\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9f]{2,})"
    r"|(?P<han>[\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,})"
    r"|(?P<latin>[A-Za-z\u00c0-\u024f][\w'’.-]*[A-Za-z0-9\u00c0-\u024f]|[A-Za-z]{2,})"
    rf"|(?P<sea>{SEA_RUN.pattern})"
)
# Thai, Lao, Khmer and Myanmar runs are whole clauses: their pieces are runs of 3 (2 in Myanmar) to _MAX_SEA
# clusters that neither begin nor end with a function word ("and", "that", "will", "in", "of"; the Myanmar
# sentence ending and plural; the Khmer "past", "at", "and"), kept like the Han pieces.
_SEA_FUNCTION = tuple(
    "และ ว่า จะ ให้ ไม่ ใน ก็ ซึ่ง แล้ว ของ กับ จาก โดย เป็น သည် များ ကို တွင် ၏ နှင့် မည် ရန် ဟု បាន នៅ និង ថា នឹង ដែល ជា ក៏ ពី".split()
)
_SEA_LEADING = ("ที่", "ได้", "ถึง", *_SEA_FUNCTION)  # these also end words: พื้นที่ (an area), รายได้ (income)
_MAX_SEA = 8
_MAX_SEA_WORD = 4  # a run between spaces this short is taken whole, as a word
# Chinese function characters ("of", "is", "at", "and", "this", ...): a Han piece does not begin or end with one.
_HAN_FUNCTION = frozenset("的了是在和也就都而及与與着著或把被对對为為这這那个個之其")
_MAX_HAN = 4


def _mostly_cjk(sentences: Sequence[str]) -> bool:
    text = "".join(sentences)
    cjk = len(CJK_CHAR.findall(text)) + sum(map(len, SEA_RUN.findall(text)))
    return cjk > 0 and cjk >= sum(1 for c in text if c.isalpha()) - cjk


def _cjk_pieces(sentence: str) -> list[tuple[str, bool]]:
    """The candidate pieces of a sentence, each with whether it is a whole run."""
    pieces: list[tuple[str, bool]] = []
    for m in _CJK_PIECE.finditer(sentence):
        run = m.group(0)
        if m.lastgroup == "han" and len(run) > _MAX_HAN:
            for size in range(2, min(_MAX_HAN, len(run)) + 1):
                for i in range(len(run) - size + 1):
                    piece = run[i : i + size]
                    if piece[0] not in _HAN_FUNCTION and piece[-1] not in _HAN_FUNCTION:
                        pieces.append((piece, False))
        elif m.lastgroup == "sea":
            units = clusters(run)
            # a Myanmar cluster is a syllable; a Thai, Lao or Khmer one is often less (a final consonant)
            least = 2 if "\u1000" <= run[0] <= "\u109f" else 3
            for size in range(least, min(_MAX_SEA, len(units)) + 1):
                for i in range(len(units) - size + 1):
                    piece = "".join(units[i : i + size])
                    if not piece.startswith(_SEA_LEADING) and not piece.endswith(_SEA_FUNCTION):
                        pieces.append((piece, size == len(units) <= _MAX_SEA_WORD))
        elif m.lastgroup != "latin" or fold(run) not in STOP_WORDS:
            pieces.append((run, True))
    return pieces


def _cjk_keywords(sentences: Sequence[str], limit: int) -> list[str]:
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    whole: set[str] = set()
    for sentence in sentences:
        for piece, is_run in _cjk_pieces(sentence):
            key = piece.casefold()
            counts[key] += 1
            forms.setdefault(key, Counter())[piece] += 1
            if is_run:
                whole.add(key)
    frequent = [k for k, c in counts.items() if c >= 2 or k in whole]
    closed = [k for k in frequent if not any(len(o) > len(k) and k in o and counts[o] >= counts[k] for o in frequent)]
    order = {k: i for i, k in enumerate(closed)}
    ranked = sorted(closed, key=lambda k: (-counts[k], -len(k), order[k]))
    chosen: list[str] = []
    for key in ranked:
        half = len(key) // 2
        if any(key in c or c in key for c in chosen) or (
            SEA_RUN.match(key) and any(key[:half] in c or key[half:] in c for c in chosen)
        ):  # a Thai piece shifted along a longer word than _MAX_SEA clusters
            continue
        chosen.append(key)
        if len(chosen) >= limit:
            break
    return [forms[k].most_common(1)[0][0] for k in chosen]
