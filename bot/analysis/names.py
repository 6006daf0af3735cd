"""People's names: what one looks like, in one place (Latin, Greek and Cyrillic scripts).

The three recognisers of names use what is here and nothing of their own: bylines in text
(bot.analysis.parsing), bylines in web pages (bot.sources.bylines) and quotation speakers
(bot.analysis.quotes). Here are the lists (honorifics, particles, suffixes, months, words that are
never a name, words of organisations, words that end a byline's name), the regular-expression
building blocks for names in running text, and the tests on one candidate name: whether it looks like
a person's (``looks_like_person``), the name at the start of a byline part (``name_at_start``), and
whether two names are one person (``name_key``, ``same_person``, ``dedupe_names``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.text import fold

# --- the lists -----------------------------------------------------------------------------------

# Honorifics and titles written before a name. The abbreviated ones take a full stop ("Dr.") that
# does not end a sentence; the others are whole words.
ABBREVIATED_HONORIFICS = tuple("Mr Mrs Ms Mx Dr Prof Sen Rep Gov Gen Col Lt Sgt Capt Adm Rev".split())
HONORIFICS = (*ABBREVIATED_HONORIFICS, "Sir", "Dame", "Lord", "Lady")
# Lower-case words inside a name: "Ludwig van Beethoven", "Osama bin Laden".
PARTICLES = tuple("de da del della der den di du la le van von bin ibn al el y".split())
# After a name: "Martin Luther King Jr.", "John Smith III".
ABBREVIATED_SUFFIXES = ("Jr", "Sr")
SUFFIXES = (*ABBREVIATED_SUFFIXES, "III", "II", "IV")
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Capitalised words that start sentences or name things, never people (as written: "Mr." with its stop).
NOT_NAMES = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Their Our My Its There Here But And Or So
    Yet For Nor If When While After Before Since Because Although Though As At In On By Of To From With
    Without Under Over Into Through During Between Among About Against Like Unlike Still Even Only Also Then
    Now Today Yesterday Tomorrow However Meanwhile Moreover Instead Indeed President Senator Governor Secretary
    Minister Prime Chairman Chief Director Officials Official Spokesman Spokeswoman Spokesperson Republicans
    Democrats Republican Democrat Congress Senate House White Washington Beijing China America American United
    States U.S. Mr. Mrs. Ms. Dr. Sen. Rep. Read More Subscribe Image Photo Getty Reuters AP AFP Associated
    Press Staff Writer Editor Correspondent Reporter Contributor Columnist Said Says Asked Told Added Wrote
    Noted According Speaking Watch Video Click Follow Share Sign Note
    """.split()
    + _WEEKDAYS
    + [m.capitalize() for m in MONTHS]
)

# Words (folded) that end a name in a byline: roles, interface labels, what follows a name on a page.
BYLINE_STOP_WORDS = frozenset(
    """
    staff writer writers editor editors reporter reporters correspondent correspondents contributor contributors
    columnist columnists producer producers fellow analyst senior junior chief deputy associate assistant managing
    executive contributing special national international political politics business news desk team bureau
    ceo cto cfo founder president director head lead host anchor photographer photographers illustrator
    updated update version published posted modified last view views link copied copy more follow following share shares
    email e-mail contact see full bio profile read comments comment min minute minutes ago hour hours today
    yesterday and or with the for from in at of on by via about all articles stories posts archive rss feed
    get subscribe sign log print save sponsored advertisement opinion analysis review video audio photo image
    author authors autor autorin autoren auteur auteure auteurs autore autori
    engineer engineers developer developers scientist scientists researcher researchers designer designers
    manager managers officer officers professor lecturer strategist consultant specialist advocate evangelist
    architect intern
    """.split()
)
# The word "author" in languages bylines are written in: a credit with it is a label ("No Author",
# "Follow Author", "Autor"), not a name.
AUTHOR_WORDS = frozenset("author authors autor autorin autoren auteur auteure auteurs autore autori".split())
# Words (folded) that make a credit an organisation rather than a person.
ORG_WORDS = frozenset(
    """
    news post times daily journal press media insider magazine network group inc ltd llc staff team desk reuters
    associated wire service agency online herald tribune telegraph guardian gazette review weekly report radio tv
    television
    broadcasting company corporation university institute foundation committee council department office
    editorial board contributors newsroom club association society center centre
    """.split()
)

# Words (folded) of places, institutions, works and events: a capitalised phrase with one of them is
# not a person ("Georgetown University", "Air Force One", "Rust Belt", "New Hampshire").
INSTITUTION_WORDS = ORG_WORDS | frozenset(
    """
    university college school academy institute department party state states county city town village
    district province republic kingdom union federation council committee commission force forces army navy
    corps guard court senate congress parliament assembly administration government ministry embassy
    convention conference summit caucus primary campaign fund bank exchange church cathedral hospital
    agency bureau channel network station airport street avenue road square belt land island islands
    valley river mountain mountains beach coast new mexico
    america american africa europe asia twitter facebook instagram youtube google amazon
    """.split()
)

# --- patterns for names in running text ----------------------------------------------------------


def _chars(predicate: object, ranges: tuple[tuple[int, int], ...]) -> str:
    out = []
    for lo, hi in ranges:
        out.extend(chr(c) for c in range(lo, hi + 1) if predicate(chr(c)))  # type: ignore[operator]
    return re.escape("".join(out))


_RANGES = ((0x41, 0x7A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF))
UPPER = _chars(str.isupper, _RANGES)
LOWER = _chars(str.islower, _RANGES)

# One capitalised name token: "Russel", "O’Brien", "McDonald", "Jean-Paul", or an initial "J.".
TOKEN = (
    rf"(?:[{UPPER}](?:[{LOWER}]{{1,3}}[{UPPER}][{LOWER}]+|['’][{UPPER}][{LOWER}]+|"
    rf"[{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+|['’][{UPPER}][{LOWER}]+)*)(?!\w)|(?:[{UPPER}]\.){{1,3}})"
)
_HONORIFICS = "|".join(HONORIFICS)
_ABBREVIATED_SUFFIXES = "|".join(ABBREVIATED_SUFFIXES)
_OTHER_SUFFIXES = "|".join(s for s in SUFFIXES if s not in ABBREVIATED_SUFFIXES)
PARTICLE = rf"(?:{'|'.join(PARTICLES)})"
SUFFIX = rf"(?:,?\s+(?:(?:{_ABBREVIATED_SUFFIXES})\.|{_OTHER_SUFFIXES}))"
HONORIFIC = rf"(?:(?:{_HONORIFICS})\.?\s+)"

# A person's full name: two to four tokens, optional honorific, particles and suffix.
FULL_NAME = rf"(?:{HONORIFIC}?{TOKEN}(?:\s+(?:{PARTICLE}\s+)?{TOKEN}){{1,3}}{SUFFIX}?)"
# A name as speakers are often written: one token ("Obama") or more, or an honorific plus surname.
ANY_NAME = rf"(?:{HONORIFIC}?{TOKEN}(?:\s+(?:{PARTICLE}\s+)?{TOKEN}){{0,3}}{SUFFIX}?)"

FULL_NAME_RE = re.compile(rf"^{FULL_NAME}$")
_HONORIFIC_RE = re.compile(rf"^{HONORIFIC}")
_HONORIFIC_TOKEN = re.compile(rf"^(?:{_HONORIFICS})\.?$")

# --- patterns for one token of a byline ----------------------------------------------------------

NAME_TOKEN = re.compile(rf"^{TOKEN}$")
INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$|^(?:[A-Z]\.){1,3}[A-Z]?$")
_PARTICLE_TOKEN = re.compile(rf"^{PARTICLE}$")
_SUFFIX_TOKEN = re.compile(rf"^(?:(?:{_ABBREVIATED_SUFFIXES})\.?|{_OTHER_SUFFIXES})$")
NICKNAME = re.compile(r"^[\"“‘'][^\"“”‘’']{2,30}[\"”’']$")


def is_honorific(token: str) -> bool:
    """ "Dr.", "Mr", "Sir": a title before a name, not part of it."""
    return bool(_HONORIFIC_TOKEN.match(token))


def without_honorific(name: str) -> str:
    """ "Dr. Jane Doe" -> "Jane Doe"."""
    return _HONORIFIC_RE.sub("", name)


def is_particle(token: str) -> bool:
    return token.islower() and bool(_PARTICLE_TOKEN.match(token))


def is_suffix(token: str) -> bool:
    return bool(_SUFFIX_TOKEN.match(token))


# --- is this a person's name? --------------------------------------------------------------------


def looks_like_person(name: str) -> bool:
    """A person's name ("Daniel Russel", "Mr. Smith"), not a run of capitalised common words."""
    name = name.strip()
    if not FULL_NAME_RE.match(name) and not _HONORIFIC_RE.match(name):
        return False
    bare = without_honorific(name)
    tokens = bare.split()
    if not tokens or (len(tokens) < 2 and bare == name):
        return False
    return not any(t.rstrip(".,") in NOT_NAMES or t in NOT_NAMES for t in tokens)


# A name in a script without case or spaces between words: two to four Han characters (Chinese,
# Japanese), family and given name apart or not ("松村太郎", "中村 真子"); two to four Hangul
# syllables; a foreign name in Katakana, its parts joined by a middle dot ("ディオゴ・カルレト").
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々"
CJK_NAME = re.compile(
    rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,3}}[ \u3000][{_HAN}]{{1,3}}|[\uac00-\ud7a3]{{2,4}}|"
    rf"[\uac00-\ud7a3]{{1,2}} [\uac00-\ud7a3]{{1,3}}|[\u30a0-\u30ff]{{2,10}}[・＝][\u30a0-\u30ff]{{2,10}})$"
)


def name_at_start(part: str, *, stop_words: frozenset[str] = frozenset()) -> str | None:
    """The person's name at the start of one part of a byline ("Jane Doe Staff Writer" ->
    "Jane Doe", "Dr. Jane Doe" -> "Jane Doe"), or None when the part does not start with one.
    ``stop_words`` (folded) end the name as BYLINE_STOP_WORDS do: the site's own name, say.
    A part that is only a name in a script without case (CJK_NAME) is that name."""
    if CJK_NAME.match(part.strip()):
        # "著者", "記者", "翻訳者": a word ending in 者 ("person who") is a role, not a name.
        return None if part.strip().endswith("者") else part.strip()
    if not re.search(r"(?:\b[A-Z]|\bJr|\bSr)\.$", part):
        part = part.rstrip(".")
    if not part or len(part.split()) > 9:
        return None
    letters = [c for c in part if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        part = part.title()  # JANE DOE
    tokens = _name_tokens(part)
    if tokens and is_honorific(tokens[0]):
        tokens = tokens[1:]  # "Dr. Jane Doe": the byline's person is Jane Doe
    names: list[str] = []
    for i, token in enumerate(tokens):
        bare = token.rstrip(",")
        low = fold(bare.rstrip("."))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if low in stop_words or low in BYLINE_STOP_WORDS:
            break
        if low in MONTHS and (not nxt or nxt[:1].isdigit() or len(names) >= 2):
            break
        if bare in NOT_NAMES and low not in MONTHS and not names:
            return None
        if (
            NAME_TOKEN.match(bare)
            or INITIALS.match(bare)
            or NICKNAME.match(bare)
            or (names and is_suffix(bare))
            or (names and is_particle(bare) and _particle_leads_to_name(tokens[i + 1 :]))
        ):
            names.append(bare)
        else:
            break
    names = _undouble(names)
    core = [t for t in names if not is_particle(t) and not NICKNAME.match(t) and not is_suffix(t)]
    if not 2 <= len(core) <= 5 or all(INITIALS.match(t) for t in core):
        return None
    if any(fold(t) in ORG_WORDS for t in core) or all(t in NOT_NAMES for t in core):
        return None
    if INITIALS.match(core[-1]) and len(core[-1]) <= 2:
        return None  # "Doe J." is a name cut short or a reference, not a byline
    return " ".join(names)


def _particle_leads_to_name(rest: list[str]) -> bool:
    """ "van der Berg": particles are part of a name only when a name word follows them."""
    for token in rest:
        bare = token.rstrip(",")
        if is_particle(bare):
            continue
        return bool(NAME_TOKEN.match(bare))
    return False


def _name_tokens(part: str) -> list[str]:
    """Whitespace tokens, with a quoted nickname ("Bobby Joe") kept as one token."""
    return [m.group(0) for m in re.finditer(r"[\"“][^\"“”]{2,30}[\"”]|\S+", part)]


def _undouble(tokens: list[str]) -> list[str]:
    """A name printed twice by a layout ("Jane Doe Jane Doe") once ("Jane Doe")."""
    n = len(tokens)
    if n >= 4 and n % 2 == 0 and tokens[: n // 2] == tokens[n // 2 :]:
        return tokens[: n // 2]
    return tokens


# --- one person, several spellings ---------------------------------------------------------------


def name_key(name: str) -> tuple[str, ...]:
    """A name as folded word tokens, for comparing names: case, accents and punctuation ignored."""
    return tuple(re.findall(r"\w+", fold(name)))


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two name keys are one person: equal, or "Jane Doe" and "Jane Q. Doe" (the same first
    and last word, the shorter's words all in the longer)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and short[0] == long_[0] and short[-1] == long_[-1] and set(short) <= set(long_)


def dedupe_names(names: Iterable[str]) -> list[str]:
    """Names with each person once, in order of first mention, in its fullest form.

    Two names can be the same person only when their first and last words agree (see same_person),
    so each name is compared only with earlier names that share them: linear in the names, not
    quadratic, for a page that lists thousands."""
    out: list[str] = []
    keys: list[tuple[str, ...]] = []
    ends: dict[tuple[str, str], list[int]] = {}  # (first word, last word) -> positions in out
    for name in names:
        key = name_key(name)
        if not key:
            continue
        same_ends = ends.setdefault((key[0], key[-1]), [])
        same = next((i for i in same_ends if same_person(keys[i], key)), None)
        if same is None:
            same_ends.append(len(out))
            out.append(name)
            keys.append(key)
        elif len(key) > len(keys[same]):  # keep the fuller form: "Jane Q. Doe" over "Jane Doe"
            out[same], keys[same] = name, key
    return out


# The first word of a place's name: "North Carolina", "San Diego", "Fort Worth", "Mount Vernon".
PLACE_FIRST_WORDS = frozenset(
    "north south east west northern southern eastern western san santa los las fort mount".split()
)
# Other words of a title rather than a name ("Michigan Attorney General Bill Schuette").
TITLE_WORDS = frozenset(
    "attorney general judge justice mayor commissioner chairwoman sheriff speaker leader whip ambassador "
    "lieutenant sergeant captain admiral colonel professor coach manager police".split()
)


def is_institution(name: str) -> bool:
    """ "Georgetown University", "Air Force One", "Rust Belt", "North Carolina": a name with a word of
    places, organisations or titles in it, or one ending in an honorific ("Democratic Sen")."""
    tokens = [t.strip(".,’'") for t in name.split()]
    if not tokens:
        return False
    if len(tokens) > 1 and (fold(tokens[0]) in PLACE_FIRST_WORDS or is_honorific(tokens[-1])):
        return True
    return any(fold(t) in INSTITUTION_WORDS or fold(t) in TITLE_WORDS or t.endswith("-based") for t in tokens)


def is_person(name: str) -> bool:
    return looks_like_person(name) and not is_institution(name)


# --- organisations -------------------------------------------------------------------------------

# Nouns (folded) of what an organisation is: in lower case, the head of a description of one ("the
# ministry", "the Clinton campaign", "the newspaper").
ORGANISATION_NOUNS = frozenset(
    """
    party campaign committee commission council board club league alliance coalition federation union
    association society institute institution university college school academy foundation fund trust
    company firm corporation bank group agency bureau department ministry office administration
    government authority court senate congress parliament assembly caucus police army navy military
    embassy church hospital newspaper paper magazine network channel station studio website outlet
    organization organisation staff team
    """.split()
)
# ... and, with the words of publications and firms, the head of an organisation's name in any
# capitalised form ("Democratic National Committee", "Sierra Club", "Breitbart News", "Google Inc").
ORGANISATION_HEADS = ORG_WORDS | ORGANISATION_NOUNS | frozenset("corp co pac".split())
# An acronym written in capitals: "DNC", "CNN", "NATO", "PAC" (a Roman numeral after a name is not one).
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,5}$")
_ROMAN = frozenset("II III IV VI VII VIII".split())
_THE = re.compile(r"^the\s+", re.I)


def is_acronym(token: str) -> bool:
    return bool(_ACRONYM.match(token)) and token not in _ROMAN


def is_organisation(name: str) -> bool:
    """Whether a speaker's name, by its form, is an organisation's (or a place's, speaking for its
    government) rather than a person's: an acronym ("DNC", "the IMF"); a capitalised phrase after
    "the" ("the Washington Post", "the Pentagon"); a name ending in an organisational noun or an
    acronym in any capitalised form ("Sierra Club", "Our Principles PAC"); a name with a word of
    places or institutions in it (``is_institution``: "the White House", "New Hampshire").
    A name after an honorific ("Mr. Church") is a person's."""
    name = name.strip()
    the = _THE.match(name)
    bare = name[the.end() :] if the else name
    tokens = [t for t in (t.strip(".,’'") for t in bare.split()) if t]
    if not tokens or _HONORIFIC_RE.match(bare) or not tokens[-1][:1].isupper():
        return False  # "the New York businessman": a description, not a name
    if the or is_acronym(tokens[-1]) or fold(tokens[-1]) in ORGANISATION_HEADS:
        return True
    if is_honorific(tokens[-1]) or (len(tokens) > 2 and is_person(" ".join(bare.split()[-2:]))):
        return False  # a person's name after a title ("Majority Leader Mitch McConnell") or cut after one
    # A word of places or institutions ("New Hampshire", "Air Force", "Texas-based"); not a title.
    if len(tokens) > 1 and fold(tokens[0]) in PLACE_FIRST_WORDS:
        return True
    return any(fold(t) in INSTITUTION_WORDS or t.endswith("-based") for t in tokens)
