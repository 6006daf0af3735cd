"""Who a quotation's speaker is: the people an article has named so far, their gender as the text
itself shows it, and the clean-up of a speaker mention.

- ``People`` remembers the persons named, in order of mention, and what the text says of each one's
  gender: an honorific (Mr. / Mrs. / Ms.), a gendered noun before the name or in apposition after it
  ("spokeswoman Hope Hicks", "Jane Doe, the wife of ...") or the pronouns that follow the person's
  mentions (an object "her" is someone else's: "Trump criticized her,"). A
  pronoun goes to the most recent person whose known gender does not contradict it; a person of
  unknown gender stays a candidate for either pronoun.
- Only people are remembered: a run of capitalised words with a word of places or institutions in it
  ("Western High School", "Air Force One", "Democratic Party") is not a person.
- ``Vocabulary`` knows which capitalised words the text also writes in lower case ("Few",
  "Afterwards", "Replied"): such a word before a name was glued on by the sentence, not part of it.
"""

from __future__ import annotations

import bisect
import re

from bot.analysis.cues import ADVERBS, SPEECH_VERBS
from bot.analysis.names import (
    ABBREVIATED_HONORIFICS,
    FULL_NAME,
    FULL_NAME_RE,
    HONORIFIC,
    INSTITUTION_WORDS,
    NOT_NAMES,
    ORGANISATION_NOUNS,
    PARTICLE,
    SUFFIX,
    TITLE_WORDS,
    TOKEN,
    is_honorific,
    is_institution,
    is_organisation,
    is_person,
    without_honorific,
)
from bot.core.stem import stem
from bot.core.text import fold

MAX_PEOPLE = 200
# How many of the latest persons a pronoun may refer to.
_PRONOUN_REACH = 30
# How far past a person's mention a pronoun is taken as referring to that person.
_GENDER_REACH = 160

# A full name, or an honorific and a surname ("Mr. Pitt").
_PERSON_MENTION = re.compile(rf"(?<![\w.])({FULL_NAME}|{HONORIFIC}{TOKEN})")


# The pronouns that, right after a person's mention, refer to that person ("Smith said he", "Smith
# and his", "she herself"); an object pronoun ("Smith told him", "asked her") is someone else.
# "Laura Dern, who won for her role": in a relative clause on the person, "her" is the person too.
_RELATIVE = re.compile(r"\s*,?\s*who\b[^.,;!?]{0,80}?\b(?:his|her)\b", re.I)
# "her" as an object is someone else ("Trump told her that", "asked her."); as a possessive ("Clinton
# defended her record") it is mostly the person's.
_PRONOUN = re.compile(r"\b(?:he|his|himself|she|hers|herself|her)\b", re.I)
_OBJECT_AFTER = re.compile(
    r"\s*(?:[.,;:!?)—–]|$)|\s+(?:to|that|and|or|for|in|on|at|about|with|of|as|from|by|the|a|an)\b"
)


def _subject_pronoun(window: str) -> re.Match[str] | None:
    """The first pronoun in ``window`` (the text after a person's mention) that can be that person."""
    for p in _PRONOUN.finditer(window):
        if p.group(0).lower() != "her" or not _OBJECT_AFTER.match(window, p.end()):
            return p
    return None


# Gendered nouns of a person, as a title right before the name ("spokeswoman Hope Hicks",
# "Congressman Jim Jordan") or in apposition after it ("Hope Hicks, a Trump spokeswoman,", "Jane
# Doe, the wife of ..."): words in -woman and -man (written in lower case, or a title of office in
# capitals; not "German") and the nouns of kinship.
_GENDER_NOUN = (
    r"(?:[a-z]+|Congress|Assembly|Council|Chair|Spokes)(?:wo)?man|"
    r"wife|mother|daughter|sister|widow|actress|husband|father|son|brother|widower|actor"
)
_NOUN_BEFORE = re.compile(rf"(?<![\w-])({_GENDER_NOUN})[ \t\xa0]+$")
_NOUN_AFTER = re.compile(
    rf"^\s*,\s*(?:an?|the|his|her|their|its|[A-Z][\w’'-]*[’']s)\s+(?:[\w’'-]+\s+){{0,3}}?({_GENDER_NOUN})\b"
)
_GENDER_NOUN_RE = re.compile(_GENDER_NOUN)
_FEMALE_NOUNS = re.compile(r"(?:.*woman|wife|mother|daughter|sister|widow|actress)$")
_MALE_HONORIFICS = {"mr", "sir", "lord"}
_FEMALE_HONORIFICS = {"mrs", "ms", "miss", "dame", "lady"}
# "in New Hampshire", "at Georgetown University": a name after these is a place or an institution.
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|on|near|across|outside|inside|into)\s*$", re.I)
_CAPITALISED = re.compile(r"(?<![\w.’'-])[A-Z][\w’'-]+")
_BREAK = re.compile(r"[.!?:;\"“”‘’()\[\]—–]")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_NUMBER_BEFORE = re.compile(r"\d\w*[ \t\xa0]+$")
_NUMBER_AFTER = re.compile(r"[ \t\xa0]+\d")
# A single capitalised word written as a thing's or a place's name: after "the", "in" or "at", and
# followed by a possessive, punctuation or a word that does not continue a name ("the Pentagon said",
# "in Utah,"; not "the Clinton campaign").
_THING = re.compile(
    r"(?<![\w’'])(?:the\s+([A-Z][a-z][\w’'-]*)(?=[’']s\b)|(?:the|in|at)\s+([A-Z][a-z][\w’'-]*)(?=\s*[,.;:!?)]|"
    r"\s+(?:said|says|has|had|is|was|and|or|to|in|on|for|of|that|which|will|would|did|does|reported|announced)\b))"
)
_A_NOUN = re.compile(
    r"(?<![\w’'])(?:a|an)\s+([A-Z][a-z][\w’'-]*)(?=\s*[,.;:!?)]|\s+(?:who|whose|from|of|in|with|and|or|like)\b)"
)
# An abbreviated honorific inside a run ("Army Gen. Mark Milley", "Navy Capt. Jeff Davis").
_RUN_HONORIFIC = rf"(?:{'|'.join(ABBREVIATED_HONORIFICS)})\.(?=[ \t\xa0]+[A-Z])"
_NAME_RUN = re.compile(
    rf"{HONORIFIC}?{TOKEN}(?:[ \t\xa0]+(?:{PARTICLE}[ \t\xa0]+)?(?:{_RUN_HONORIFIC}|{TOKEN}))*{SUFFIX}?"
)


def name_run(text: str, start: int) -> str | None:
    """The whole run of capitalised name tokens at ``start`` ("White House Press Secretary Josh
    Earnest"), longer than a speaker pattern takes in."""
    m = _NAME_RUN.match(text, start)
    return m.group(0) if m else None


def pronoun_gender(pronoun: str) -> str | None:
    low = pronoun.lower()
    if low in {"he", "him", "his", "himself"}:
        return "m"
    if low in {"she", "her", "hers", "herself"}:
        return "f"
    return None


def follows_preposition(text: str, start: int) -> bool:
    """Whether the word before offset ``start`` is a preposition of place ("in", "at", "on")."""
    return bool(_PLACE_BEFORE.search(text[max(0, start - 12) : start]))


def apposition(speaker: str, segment: str, *, generic: bool = False) -> str | None:
    """ "The Mandan, North Dakota, police chief, Jason Ziegler, said": after a place, an institution
    or a description (``generic``), the person's name set off by commas in ``segment`` (the text
    after the speaker) is the speaker."""
    if not segment.startswith(","):
        return None
    parts = [p.strip().rstrip(".") for p in segment.split(",")[1:5]]
    if not (generic or is_institution(speaker) or (parts and is_institution(parts[0]))):
        return None
    for part in parts:
        if FULL_NAME_RE.match(part) and is_person(part):
            return part
    return None


# Descriptions of a speaker headed by a document, not by who issued it ("the statement", "the ad").
_DOCUMENT_NOUNS = frozenset(
    """statement report memo letter book article ruling study poll survey editorial ad filing complaint
    lawsuit suit release email tweet post video transcript document piece headline story""".split()
)
_DESCRIPTION = re.compile(r"^(?:the|a|an|my|his|her|their|our|its|one|another)\s", re.I)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_GOES_ON = re.compile(rf"[ \t\xa0]+(?!(?:{ADVERBS})(?:{SPEECH_VERBS})\b)[a-z]")


# One word with a capital inside ("PolitiFact", "HuffPost"), not a surname's prefix ("McCain", "DeSantis").
_INNER_CAPITAL = re.compile(r"(?!Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O[’'])[A-Z][a-z]+[A-Z][A-Za-z]*")


def speaker_kind(
    speaker: str | None, people: People, vocabulary: Vocabulary | None = None, *, cue: str = "", at: int = 0
) -> str | None:
    """Whether a quotation's speaker is a "person" or an "organisation" (or a place speaking for its
    government) the text makes speak, or None when it is neither or not known ("the statement",
    "the ad", no speaker). Decided from the name's form (``is_organisation``: "the DNC", "CNN",
    "Sierra Club"), a description's head noun ("the ministry", "a spokesman"), the persons the text
    has named (``people``) and, for a single name, the cue it was found in (``cue``, the speaker at
    offset ``at``: "said the Pentagon") and how the text writes it elsewhere ("in Utah", "the
    Pentagon's": ``Vocabulary.things``, unless it is also a surname there). A single name that
    speaks with no such sign is a person's, as elsewhere ("Brafman said")."""
    if not speaker:
        return None
    if _DESCRIPTION.match(speaker) and not speaker.split()[-1][:1].isupper():
        head = fold(speaker.split()[-1])
        if head in _DOCUMENT_NOUNS:
            return None
        # "said one former campaign staffer": the cue's description goes on past the noun matched.
        goes_on = _GOES_ON.match(cue, at + len(speaker)) if cue[at : at + len(speaker)] == speaker else None
        return "organisation" if head in ORGANISATION_NOUNS and not goes_on else "person"
    if is_honorific(speaker.split()[0]) or speaker in people:
        return "person"
    single = speaker.split()[-1] if re.fullmatch(r"(?i:the)\s+\S+|\S+", speaker) else None
    if vocabulary is not None and single in vocabulary.person_nouns:
        return "person"  # "the Republican said": the text also writes "a Republican"
    if vocabulary is not None and single and single.endswith("s") and single[:-1] in vocabulary.surnames:
        return "person"  # "a person close to the Clintons": a family the text names (Hillary Clinton)
    if is_organisation(speaker):
        return "organisation"
    if " " in speaker or (vocabulary is not None and speaker in vocabulary.surnames):
        return "person"  # a person's name, maybe after a title ("Oversight Chairman Jason Chaffetz")
    if _INNER_CAPITAL.fullmatch(speaker):
        return "organisation"  # "PolitiFact", "BuzzFeed": one word, capitals inside, no person's surname
    # A single name: "said the Pentagon", or a name the text writes as a thing's. (A statement is no
    # sign: persons issue them too, "Obama said in a statement", "Thiel wrote in a statement".)
    if _THE_BEFORE.search(cue, max(0, at - 5), at) or (vocabulary is not None and speaker in vocabulary.things):
        return "organisation"
    return "person"


# "said GOP strategist Keith Nahigian", "said Concord resident Whit Symms", "said Clinton campaign
# chairman John Podesta": after a name that is not a person's, one to three lower-case words of a
# title, then a person's name.
_TITLE_THEN_NAME = re.compile(r"^[ \t\xa0]+((?:[a-z][\w-]*[ \t\xa0]+){1,3})(?=[A-Z])")
_NOT_TITLE = frozenset(
    """in at on of to and or for with from by about after before during as when while that who which whose
    the a an his her their its this these those said says told added wrote""".split()
)


def titled_person(segment: str, vocabulary: Vocabulary | None) -> str | None:
    """The person a title in ``segment`` (the text after a speaker that is not a person's) names:
    " strategist Keith Nahigian" -> "Keith Nahigian"; None when it names no one."""
    m = _TITLE_THEN_NAME.match(segment)
    if m is None or any(w in _NOT_TITLE for w in m.group(1).split()):
        return None
    run = name_run(segment, m.end())
    name = clean_name(run, vocabulary) if run else None
    return name if name and is_person(name) else None


class Vocabulary:
    """The words one text writes in lower case, and the capitalised words it writes mid-sentence
    (after a lower-case word), so that a sentence-initial common word can be told from a name."""

    def __init__(self, paragraphs: list[str] | tuple[str, ...]) -> None:
        self.lower: set[str] = set()
        self.mid_capital: set[str] = set()
        self.name_parts: set[str] = set()  # capitalised words after the first of a name mid-sentence
        self.surnames: set[str] = set()  # the last words of persons' full names, and names after an honorific
        self.things: set[str] = set()  # single capitalised words written as a thing's: "the Pentagon", "in Utah"
        self.person_nouns: set[str] = set()  # "a Republican", "Texans": words for people, not names
        for para in paragraphs:
            prev, end, in_name = "", 0, False
            for m in _WORD.finditer(para):
                w = m.group(0)
                if _BREAK.search(para, end, m.start()):
                    prev = ""  # a new sentence or clause: its first word is capitalised anyway
                    in_name = False
                if w.islower():
                    self.lower.add(w)
                    in_name = False
                elif w[:1].isupper() and prev.islower():
                    self.mid_capital.add(w)
                    in_name = True
                elif w[:1].isupper() and in_name and prev[:1].isupper():
                    # On through the name a mid-sentence word starts ("chief executive Ian Read").
                    self.name_parts.add(w)
                else:
                    in_name = False
                prev, end = w, m.end()
            for m in _PERSON_MENTION.finditer(para):
                name = m.group(1)
                if is_honorific(name.split()[0]) or is_person(name):
                    self.surnames.add(name.split()[-1])
            self.things.update(m.group(1) or m.group(2) for m in _THING.finditer(para))
            self.person_nouns.update(m.group(1) for m in _A_NOUN.finditer(para))
        # "Republicans", "Texans" written as common plurals: "the Republican" is one of them.
        self.person_nouns.update(w[:-1] for w in self.mid_capital if w.endswith(("ans", "ats")))
        self.lower_stems = {stem(w) for w in self.lower}

    def is_common_word(self, token: str) -> bool:
        """A capitalised word the text otherwise writes in lower case and never capitalises
        mid-sentence: "Afterwards", "Few"; not "Warren" or "Bush" when written as names."""
        if not token[:1].isupper() or is_honorific(token):
            return False
        return self._written_lower(token) and token not in self.mid_capital and token not in self.name_parts

    def _written_lower(self, token: str) -> bool:
        low = token.lower()
        return low in self.lower or stem(low) in self.lower_stems  # "Replied": "replies"

    def names_a_thing(self, name: str) -> bool:
        """A capitalised phrase whose every word the text also writes in lower case ("Energy
        Control", "Horror Story", "Public Policy"): a thing's name, not a person's."""
        tokens = [t for t in without_honorific(name).split() if len(t.rstrip(".")) > 1]
        return bool(tokens) and all(self._written_lower(t) for t in tokens)


def clean_name(speaker: str, vocabulary: Vocabulary | None) -> str:
    """Strip what a sentence glued before a name: "Afterwards Penny Smith" -> "Penny Smith",
    "State Hillary Clinton" -> "Hillary Clinton" (a title word), while at least one token remains."""
    tokens = speaker.split()
    # "Army Gen. Mark Milley", "Democratic Sen. Claire McCaskill": the person starts at the honorific.
    inner = [i for i, t in enumerate(tokens[:-1]) if i and t.endswith(".") and is_honorific(t)]
    if inner:
        tokens = tokens[inner[-1] :]
    while len(tokens) > 1 and not is_honorific(tokens[0]):
        first = tokens[0]
        glued = first in NOT_NAMES or fold(first) in INSTITUTION_WORDS or fold(first) in TITLE_WORDS
        glued = glued or bool(_GENDER_NOUN_RE.fullmatch(first))  # "Congresswoman Maxine Waters"
        if not glued and vocabulary is not None:
            glued = vocabulary.is_common_word(first)
        if not glued:
            break
        tokens = tokens[1:]
    return " ".join(tokens)


class People:
    """The persons an article has named, most recent last, with their gender where the text says it."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary
        self.names: list[str] = []
        self.votes: dict[str, list[int]] = {}  # bare name -> [male, female] evidence

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def remember(self, name: str) -> None:
        """Append the latest person named, forgetting the oldest beyond MAX_PEOPLE."""
        if name in self.names:
            self.names.remove(name)
        self.names.append(name)
        if len(self.names) > MAX_PEOPLE:
            dropped = self.names.pop(0)
            if all(without_honorific(n) != without_honorific(dropped) for n in self.names):
                self.votes.pop(without_honorific(dropped), None)
        first = name.split()[0].rstrip(".").lower()
        if first in _MALE_HONORIFICS:
            self._vote(name, "m", 3)
        elif first in _FEMALE_HONORIFICS:
            self._vote(name, "f", 3)

    def _vote(self, name: str, gender: str, weight: int = 1) -> None:
        v = self.votes.setdefault(without_honorific(name), [0, 0])
        v[0 if gender == "m" else 1] += weight

    def gender(self, name: str) -> str | None:
        bare = without_honorific(name)
        v = self.votes.get(bare)
        if " " in bare and bare.split()[-1] in self.votes:
            # "Laura Dern" and "Ms. Dern": the surname's evidence counts for the full name too.
            w = self.votes[bare.split()[-1]]
            v = [w[0] + (v[0] if v else 0), w[1] + (v[1] if v else 0)]
        elif v is None and " " not in bare:
            # A surname alone: the gender of the one remembered full name it ends, if only one.
            full = {without_honorific(n) for n in self.names if n.split()[-1] == bare and " " in without_honorific(n)}
            if len(full) == 1:
                v = self.votes.get(full.pop())
        if not v or v[0] == v[1]:
            return None
        return "m" if v[0] > v[1] else "f"

    def note(self, text: str) -> None:
        """Remember the persons ``text`` names, and the gender of the pronouns that follow each."""
        mentions: list[tuple[int, int, str]] = []
        end = 0
        for m in _PERSON_MENTION.finditer(text):
            if m.start() < end:
                continue
            # The whole run of name tokens, less the title words before the name ("Michigan Attorney
            # General Bill Schuette" -> "Bill Schuette").
            run = name_run(text, m.start()) or m.group(1)
            end = m.start() + len(run)
            name = clean_name(run, self.vocabulary)
            thing = self.vocabulary is not None and self.vocabulary.names_a_thing(name)
            # A number in the name ("20th Century Fox", "Blade Runner 2049"): a thing's name.
            thing = thing or bool(_NUMBER_BEFORE.search(text, max(0, m.start() - 12), m.start()))
            thing = thing or bool(_NUMBER_AFTER.match(text, end))
            if is_person(name) and not thing and not follows_preposition(text, m.start()):
                mentions.append((m.start(), end, name))
        mentions.extend(self._surname_mentions(text, mentions))
        mentions.sort()
        for i, (_, at, name) in enumerate(mentions):
            self.remember(name)
            stop = mentions[i + 1][0] if i + 1 < len(mentions) else len(text)
            window = text[at : min(stop, at + _GENDER_REACH)]
            p = _RELATIVE.match(window) or _subject_pronoun(window)
            if p is not None:
                self._vote(name, pronoun_gender(p.group(0).split()[-1]) or "m")
            start = at - len(name)
            noun = _NOUN_BEFORE.search(text, max(0, start - 30), start) or _NOUN_AFTER.match(window)
            if noun is not None:
                self._vote(name, "f" if _FEMALE_NOUNS.match(noun.group(1)) else "m", 2)

    def _surname_mentions(self, text: str, full: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """A person already named, named again by surname alone ("Sanders"): the mention makes that
        person the latest again. A surname two remembered persons share (the Clintons) is left out."""
        by_surname: dict[str, str | None] = {}
        for name in self.names:
            surname = name.split()[-1]
            if surname in by_surname and by_surname[surname] != name:
                by_surname[surname] = None
            else:
                by_surname[surname] = name
        for _, _, name in full:
            by_surname.setdefault(name.split()[-1], name)
        if not by_surname:
            return []
        starts = [a for a, _, _ in full]  # in order, not overlapping
        out = []
        for m in _CAPITALISED.finditer(text):
            name = by_surname.get(m.group(0))
            k = bisect.bisect_right(starts, m.start()) - 1
            if name and not (k >= 0 and m.start() < full[k][1]):
                out.append((m.start(), m.end(), name))
        return out

    def resolve(self, pronoun: str) -> str | None:
        """The person a pronoun speaker ("he", "she") refers to: the most recent one whose gender
        does not contradict it. "I", "we" and "they" are not resolved."""
        wanted = pronoun_gender(pronoun)
        if wanted is None:
            return None
        for name in reversed(self.names[-_PRONOUN_REACH:]):
            g = self.gender(name)
            if g is None or g == wanted:
                return name
        return None

    def expand(self, speaker: str) -> str:
        """A bare surname ("Obama") as the latest full name it ends ("Barack Obama")."""
        bare = without_honorific(speaker)
        if " " in bare:
            return speaker
        for person in reversed(self.names):
            if person.split()[-1] == bare:
                return person
        return speaker


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.I)
_DESCRIPTION_WORDS = re.compile(r"(?:[ \t\xa0]+[a-z][\w-]*){1,3}")


def description(text: str, start: int, name: str) -> str | None:
    """ "said the New York businessman": a name after "the" and before a lower-case noun is a word of
    a description, not the speaker; the description is ("the New York businessman")."""
    det = _DETERMINER_BEFORE.search(text, max(0, start - 5), start)
    end = start + len(name)
    words_after = _DESCRIPTION_WORDS.match(text, end) if det and text[start:end] == name else None
    if words_after is None:
        return None
    nouns: list[str] = []
    for w in words_after.group(0).split():
        if w in _NOT_DESCRIPTION or re.fullmatch(SPEECH_VERBS, w):
            break
        nouns.append(w)
    return " ".join([text[det.start() : end], *nouns]) if nouns else None


_NOT_DESCRIPTION = _NOT_TITLE | frozenset("is was has had will would".split())
