"""Byline strings into people's names: "By JANE DOE and John Roe, Staff Writers" -> ["Jane Doe",
"John Roe"], and a credit that names no person ("Example Staff") as an organisation. What a name
looks like is bot.analysis.names's; this module knows how a page writes a byline around it ("By",
separators, addresses, handles, bracketed notes). A bracketed role that is not the writing ("Ann Lee
(photography)") credits its person for something else; the writer's label of Chinese and Japanese
bylines ("作者：", "文● ") introduces a byline as "By" does."""

from __future__ import annotations

import re

from bot.analysis.names import (
    AUTHOR_WORDS,
    BYLINE_STOP_WORDS,
    NOT_NAMES,
    dedupe_names,
    is_institution,
    name_at_start,
)
from bot.core.text import fold, normalise

MAX_NAMES_PER_VALUE = 20  # names read from one value ("A, B, C, ..." in one meta tag)

# "By", "Written by", "Story and photos by": what introduces a byline; ``rest`` is what follows. The
# word "by" of other languages (German "von", French "par", Spanish and Portuguese "por", Dutch
# "door", Italian "di", Scandinavian "av"/"af", Polish "przez", Russian "от") introduces one as well: it is never
# part of the name, which is told by what follows: nothing (the name is in the next element) or two
# words or more ("Von Miller" is a name).
_BY_WORDS = ("by", "von", "par", "por", "di", "door", "av", "af", "przez", "от")
# Chinese and Japanese write the writer's label before a mark instead: "文● ", "作者：", "記者／".
_CJK_BY_WORDS = ("文", "作者", "著者", "撰文", "記者", "记者")
BY = re.compile(
    r"^\s*(?:(?:written|posted|words|story|text|reporting|report|published|compiled)(?:\s+and\s+\w+)?\s+)?"
    rf"(?:(?:by|(?:{'|'.join(_BY_WORDS[1:])})(?=\s*:?\s*(?:$|[^\s:]+\s+\S)))(?!\w)\s*:?|"
    rf"(?:{'|'.join(_CJK_BY_WORDS)})\s*[:：●/／|｜])\s*(?P<rest>.*)$",
    re.I | re.S,
)
_URL_OR_MAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|@\w+")
# Between two names: punctuation, "and", "with", and (in lower case only, as a capital may be an
# initial) "and"/"with" of other languages: "und", "et", "y", "e", "og", "och", "avec", "mit", "con".
_SEPARATORS = re.compile(
    r"\s*(?:[;|·•/\n，、；／]|\s[-–—]\s|,(?!\s*(?:Jr|Sr)\b)|\s+(?:and|with|&)\s+|&|(?-i:(?<=[a-z]{2})\.\s+(?=[A-Z]))"
    r"|\s+(?-i:und|et|y|e|og|och|avec|mit|con)\s+)\s*",
    re.I,
)
_ACRONYM = re.compile(r"^[A-Z]{3,5}$")
_WITH = re.compile(r"\(\s*(?:with|and|avec|mit|con|und|et|y|e)\s+([^()]{1,80})\)", re.I)


# What credits people for something other than the writing: "Photos by", "Photographer:", "Video:".
CREDIT = re.compile(
    r"^\s*(?:photo\w*|fotos?|pictures?|images?|illustrat\w*|video\w*|graphics?|styl\w*|hair|make-?up|"
    r"design\w*|art direction|cinematograph\w*|animation|produc\w*|camera|edited)\b(?:\s+and\s+\w+)?"
    r"\s*(?:by\b|courtesy\b|:)",
    re.I,
)


def byline_names(value: str, *, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """The people a byline string names, cleaned: "By JANE DOE and John Roe, Staff Writers" ->
    ["Jane Doe", "John Roe"]. Roles, dates, addresses and handles are dropped; so are the people a
    credit names ("By Jane Doe. Photos by Ann Lee and John Roe": Jane Doe) and a place after the
    first name ("Jane Doe, New York")."""
    names: list[str] = []
    for i, (part, credited) in enumerate(_parts(value)[:MAX_NAMES_PER_VALUE]):
        if CREDIT.match(part):
            break  # the photographer and whoever follows
        if credited:
            continue  # "Ann Lee (photography)": credited for something else than the writing
        name = person_name(part, stop_words=stop_words)
        if name and not (i and is_institution(name)):
            names.append(name)
    return dedupe_names(names)


def byline_parts(value: str) -> list[str]:
    """A byline string cut where one name may end and another begin, "By" and addresses dropped."""
    return [part for part, _credited in _parts(value)]


# A role in brackets after a name that is not the writing: "Jane Doe (reporting) and Ann Lee (photography)".
_ROLE_IN_BRACKETS = re.compile(
    r"[(（]\s*(?:photo\w*|fotos?|pictures?|images?|illustrat\w*|video\w*|graphics?|styl\w*|design\w*|"
    r"cinematograph\w*|camera|animation)\s*[)）]",
    re.I,
)
_CREDITED = "\ue000"  # stands where such a role was, until the parts are cut


def _parts(value: str) -> list[tuple[str, bool]]:
    """byline_parts, each with whether a bracketed role credits its person for something else."""
    value = _ROLE_IN_BRACKETS.sub(f" {_CREDITED} ", normalise(value).replace(_CREDITED, " "))
    return [(p.replace(_CREDITED, " ") if _CREDITED in p else p, _CREDITED in p) for p in _cut(value)]


def _cut(value: str) -> list[str]:
    value = value.strip()
    by = BY.match(value) if not CREDIT.match(value) else None  # "Photos by A" stays a credit
    if by:
        value = by.group("rest")
    if not CREDIT.match(value):  # "Author:", "Autor:", "Автор:", "Text:": a label, not a name
        value = re.sub(r"^[^\W\d_]+\s*[:：]\s*(?=\S)", "", value)
    value = _URL_OR_MAIL.sub("\n", value)
    value = _WITH.sub(r", \1", value)  # "Jane Doe (with John Roe)": a co-author
    value = re.sub(r"\((?:[^()]{0,40})\)|\[[^\]]{0,40}\]", " ", value)  # "(R.J.)", "(@handle)", "[Updated]"
    return [p for p in _SEPARATORS.split(value) if p and p.strip()]


def person_name(part: str, *, stop_words: frozenset[str] = frozenset()) -> str | None:
    """The person's name at the start of one byline part ("By Jane Doe Staff Writer" -> "Jane Doe"),
    or None when the part does not start with one."""
    return name_at_start(BY.sub(r"\g<rest>", part.strip()).strip(" \t,:;-–—"), stop_words=stop_words)


def organisation_name(value: str, *, whole: bool = False, handle: bool = False) -> str | None:
    """A credit that names no person but an organisation ("Example Staff", "Example News"), cleaned.
    ``whole``: the value is known to be one name (a JSON-LD Organization), "and" included;
    ``handle``: a user name ("harbourfan") may be in lower case."""
    parts = [BY.sub(r"\g<rest>", normalise(value).strip())] if whole else byline_parts(value)
    if len(parts) != 1:
        return None
    text = " ".join(parts[0].split()).strip(" ,.:;-–—")
    words = text.split()
    # A capital first, or a script without case (Chinese, Japanese, Arabic, ...).
    capital = text[:1].isupper() or all(c.lower() == c.upper() for c in text if c.isalpha())
    capital = capital or (handle and bool(re.fullmatch(r"[^\W\d_][\w.-]{2,30}", text)))
    if not 1 <= len(words) <= 6 or any(c.isdigit() for c in text) or not capital:
        return None
    if len(words) == 1 and (fold(text) in BYLINE_STOP_WORDS or fold(text) in _BY_WORDS or len(text) < 3):
        return None  # "von" alone is the word before a name the page prints elsewhere
    if any(fold(w) in AUTHOR_WORDS for w in words):
        return None  # "No Author", "Follow Author": a label
    if all(fold(w) in BYLINE_STOP_WORDS or (w in NOT_NAMES and not _ACRONYM.match(w)) for w in words):
        return None  # "Log In", "Read More"; but an acronym ("AFP") names an agency
    if fold(text) in {"staff", "admin", "administrator", "editor", "editors", "guest", "unknown", "anonymous"}:
        return None
    return text
