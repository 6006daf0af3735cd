"""Credit lines: the words with which an article credits people for something other than the
writing ("Edited by", "Translated from the Spanish by", "Übersetzung:", "Traducción de", "A cura di",
"Photographs by", "Additional reporting by", "Compiled by"), in several languages.

A table of roles, not of publications: each row is one way a language writes one role, either a
phrase ending in that language's word "by" ("edited by", "traduit par", "übersetzt von", "a cura
di"), which the names follow, or a label that a colon ends ("Übersetzung:", "Redaktion:",
"Fotos:"). The role is one of bot.core.models.CREDIT_ROLES. Where the credit stands (in a byline, a
credit line of its own, the page's metadata) is for the callers to judge (bot.sources.authors,
bot.analysis.parsing).

Photographers and illustrators are credited with a plural ("Photographs by", "Fotos:"): "Photo by"
under one picture credits that picture, not the article. "Reporting by" is not here: it is how a
wire story names its writer ("By" in bot.sources.bylines).

Languages: English; German, French, Spanish, Italian, Portuguese and Dutch, the languages written
in the Latin script whose publishers credit translators and editors this way most often (and, but
Dutch and Italian, the languages of the pages in the evaluation set besides English).
"""

from __future__ import annotations

import re

# (role, phrases ending in the word "by", labels ended by a colon), one row per language.
_ROWS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # English
    ("additional reporting", (r"(?:with\s+)?additional reporting(?:\s+and\s+\w+)?\s+(?:by|from)",), ()),
    ("editor", (r"edited(?:\s+and\s+\w+)?\s+by", r"editing\s+by"), (r"edited", r"editing", r"editor")),
    ("translator", (r"translated(?:\s+from(?:\s+the)?\s+\w+)?\s+by", r"translation\s+by"), (r"translation",)),
    ("compiler", (r"compiled\s+by",), ()),
    ("photographer", (r"photo(?:graph)?s\s+by", r"photography\s+by"), (r"photographs", r"photography")),
    ("illustrator", (r"illustrations\s+by", r"illustrated\s+by"), (r"illustrations",)),
    # German
    ("additional reporting", (), (r"mitarbeit",)),
    ("editor", (r"redigiert\s+von", r"bearbeitet\s+von"), (r"redaktion", r"bearbeitung")),
    ("translator", (r"übersetzt\s+von", r"aus\s+dem\s+\w+\s+(?:übersetzt\s+)?von"), (r"übersetzung",)),
    ("compiler", (r"zusammengestellt\s+von",), ()),
    ("photographer", (r"fotos\s+von",), (r"fotos", r"fotografie")),
    ("illustrator", (r"illustrationen\s+von", r"illustriert\s+von"), (r"illustrationen",)),
    # French
    ("additional reporting", (r"avec\s+la\s+collaboration\s+de",), ()),
    ("editor", (r"édité\s+par",), (r"édition",)),
    ("translator", (r"traduit(?:\s+de\s+l['’]\w+)?\s+par",), (r"traduction",)),
    ("compiler", (r"propos\s+recueillis\s+par",), ()),
    ("photographer", (r"photos\s+de",), (r"photos", r"photographies")),
    ("illustrator", (r"illustrations\s+de", r"illustré\s+par"), ()),
    # Spanish
    ("additional reporting", (r"con\s+información\s+de",), ()),
    ("editor", (r"editado\s+por",), (r"edición",)),
    ("translator", (r"traducción\s+de", r"traducido(?:\s+del\s+\w+)?\s+por"), (r"traducción",)),
    ("compiler", (r"recopilado\s+por",), ()),
    ("photographer", (r"fotografías\s+de", r"fotos\s+de"), (r"fotografías",)),
    ("illustrator", (r"ilustraciones\s+de",), (r"ilustraciones",)),
    # Italian
    ("editor", (r"a\s+cura\s+di",), ()),
    ("translator", (r"tradotto\s+da", r"traduzione\s+di"), (r"traduzione",)),
    ("photographer", (r"fotografie\s+di",), ()),
    ("illustrator", (r"illustrazioni\s+di",), (r"illustrazioni",)),
    # Portuguese
    ("editor", (r"editado\s+por",), (r"edição",)),
    ("translator", (r"traduzido\s+por", r"tradução\s+de"), (r"tradução",)),
    ("photographer", (r"fotografias\s+de",), (r"fotografias",)),
    ("illustrator", (r"ilustrações\s+de",), (r"ilustrações",)),
    # Dutch
    ("editor", (r"bewerkt\s+door", r"geredigeerd\s+door"), (r"redactie", r"eindredactie")),
    ("translator", (r"vertaald\s+door",), (r"vertaling",)),
    ("photographer", (), (r"foto['’]s", r"fotografie")),
    ("illustrator", (), (r"illustraties",)),
)


def _pattern() -> re.Pattern[str]:
    alternatives = []
    for i, (_, phrases, labels) in enumerate(_ROWS):
        options = [rf"{p}(?!\w)\s*:?" for p in phrases] + [rf"{label}\s*:" for label in labels]
        if options:
            alternatives.append(rf"(?P<r{i}>{'|'.join(options)})")
    return re.compile(rf"^\s*(?:{'|'.join(alternatives)})\s*(?P<rest>.*)$", re.I | re.S)


_CREDIT_LINE = _pattern()
# The first word of three letters or more of every row's phrases and labels ("cura" of "a cura di"):
# text without any of them holds no credit.
_FIRST_WORDS = sorted(
    {
        m.group(0)
        for _, phrases, labels in _ROWS
        for p in (*phrases, *labels)
        if (m := re.search(r"[^\W\d_]{3,}", p.removeprefix(r"(?:with\s+)?").replace(r"\w", " ")))
    }
)
_ANY_CREDIT = re.compile(rf"(?<!\w)(?:{'|'.join(_FIRST_WORDS)})", re.I)


def may_hold_credit(text: str) -> bool:
    """Whether ``text`` has a word that opens a credit somewhere (a quick test before credit_line)."""
    return _ANY_CREDIT.search(text) is not None


def credit_line(text: str) -> tuple[str, str] | None:
    """(role, what follows) when ``text`` opens with a credit ("Edited by Ann Lee" -> ("editor", "Ann
    Lee"), "Übersetzung: Bo Roe" -> ("translator", "Bo Roe")); None otherwise. What follows may be
    empty (the names are in the next element)."""
    m = _CREDIT_LINE.match(text)
    if not m:
        return None
    i = next(int(k[1:]) for k, v in m.groupdict().items() if k != "rest" and v is not None)
    return _ROWS[i][0], m.group("rest")
