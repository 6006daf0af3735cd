"""Regular-expression building blocks for people's names (Latin, Greek and Cyrillic scripts)."""

from __future__ import annotations

import re


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
PARTICLE = r"(?:de|da|del|della|der|den|di|du|la|le|van|von|bin|ibn|al|el|y)"
SUFFIX = r"(?:,?\s+(?:Jr\.|Sr\.|III|II|IV))"
HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Adm|Rev|Sir|Dame|Lord|Lady)\.?\s+)"

# A person's full name: two to four tokens, optional honorific, particles and suffix.
FULL_NAME = rf"(?:{HONORIFIC}?{TOKEN}(?:\s+(?:{PARTICLE}\s+)?{TOKEN}){{1,3}}{SUFFIX}?)"
# A name as speakers are often written: one token ("Obama") or more, or an honorific plus surname.
ANY_NAME = rf"(?:{HONORIFIC}?{TOKEN}(?:\s+(?:{PARTICLE}\s+)?{TOKEN}){{0,3}}{SUFFIX}?)"

FULL_NAME_RE = re.compile(rf"^{FULL_NAME}$")

# Capitalised words that start sentences or name things, never people.
NOT_NAMES = frozenset(
    """
    The A An This That These Those It He She They We I You His Her Their Our My Its There Here But And Or So
    Yet For Nor If When While After Before Since Because Although Though As At In On By Of To From With
    Without Under Over Into Through During Between Among About Against Like Unlike Still Even Only Also Then
    Now Today Yesterday Tomorrow However Meanwhile Moreover Instead Indeed Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October November
    December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec President Senator Governor Secretary Minister
    Prime Chairman Chief Director Officials Official Spokesman Spokeswoman Spokesperson Republicans Democrats
    Republican Democrat Congress Senate House White Washington Beijing China America American United States
    U.S. Mr. Mrs. Ms. Dr. Sen. Rep. Read More Subscribe Image Photo Getty Reuters AP AFP Associated Press
    Staff Writer Editor Correspondent Reporter Contributor Columnist Said Says Asked Told Added Wrote Noted
    According Speaking Watch Video Click Follow Share Sign Note
    """.split()
)


_HONORIFIC_RE = re.compile(rf"^{HONORIFIC}")


def looks_like_person(name: str) -> bool:
    """A person's name ("Daniel Russel", "Mr. Smith"), not a run of capitalised common words."""
    name = name.strip()
    if not FULL_NAME_RE.match(name) and not _HONORIFIC_RE.match(name):
        return False
    bare = _HONORIFIC_RE.sub("", name)
    tokens = bare.split()
    if not tokens or (len(tokens) < 2 and bare == name):
        return False
    return not any(t.rstrip(".,") in NOT_NAMES or t in NOT_NAMES for t in tokens)
