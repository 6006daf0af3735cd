"""Turning a raw article into an Article: title, standfirst, body, authors, publication, boilerplate out.

Everything here works on paragraphs. The order matters and is the order of ``parse_article``:
paywall cut, publication, boilerplate, repeated title, byline, bio and disclaimer, standfirst.
"""

from __future__ import annotations

import hashlib
import re

from bot.analysis.credits import credit_line
from bot.analysis.names import ANY_NAME, FULL_NAME, looks_like_person
from bot.core.cjk import count_words
from bot.core.models import Article, Author, RawArticle
from bot.core.text import fold, slugify, split_sentences

# --- boilerplate ---------------------------------------------------------------------------------

# A paragraph that starts a paywall: everything from it on is the publisher's pitch, not the article.
# A fallback for text without its page: a page's markup shows a paywall in any language
# (bot.sources.paywall, RawArticle.preview_only). One row per language: English, then German,
# French, Spanish, Italian, Portuguese and Dutch (the languages of bot.analysis.credits).
_PAYWALL_PHRASES = (
    r"keep reading(?: for free)?\b|continue reading\b.{0,40}(?:subscri|sign in|log in|register)|"
    r"to (?:continue|keep) reading|"
    r"to (?:view|read|see|access) the (?:full|rest of the|entire|complete) (?:story|article)|"
    r"get (?:instant |unlimited |full )?access to (?:the rest of )?this (?:article|story)|"
    r"(?:the rest of )?this (?:article|story|content) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members)|"
    r"(?:already a (?:subscriber|member)\??\s*(?:log|sign) ?in)|"
    r"subscribe (?:now |today )?to (?:continue|keep) reading|"
    r"you(?:'|’)ve (?:reached|read) (?:your|all your) (?:free|monthly)? ?(?:article|story|limit)",
    r"(?:jetzt )?weiterlesen mit\b|lesen sie (?:jetzt )?weiter mit\b|(?:jetzt )?abonnieren und weiterlesen|"
    r"dieser (?:artikel|beitrag|inhalt) ist (?:nur )?(?:für|exklusiv für) (?:abonnenten|abonnentinnen|abonnierende)",
    r"(?:la suite de )?cet article est réservé aux abonnés|la suite est réservée aux abonnés|"
    r"(?:abonnez-vous|abonnez vous) pour (?:lire|continuer)|il vous reste \d+\s*% de cet article",
    r"este (?:contenido|artículo) es (?:exclusivo )?(?:para|solo para) (?:suscriptores|socios)|"
    r"suscríbete para (?:seguir|continuar) leyendo|para (?:seguir|continuar) leyendo,? (?:suscríbete|hazte)",
    r"questo (?:articolo|contenuto) è riservato agli abbonati|abbonati per (?:continuare a leggere|leggere)",
    r"este (?:conteúdo|artigo) é exclusivo para assinantes|assine para (?:continuar|ler)",
    r"dit (?:artikel|stuk) is (?:alleen|exclusief) (?:voor|beschikbaar voor) abonnees|"
    r"(?:word abonnee|neem een abonnement) (?:en|om) (?:lees|verder te lezen)",
)
_PAYWALL = re.compile(rf"^(?:{'|'.join(_PAYWALL_PHRASES)})", re.I)

# Short paragraphs that sell, share or navigate rather than report.
_PITCH = re.compile(
    r"(?:^|\b)(?:subscribe (?:now|today|here)|subscribe to (?:our|the) (?:newsletter|podcast|channel)|"
    r"already a (?:subscriber|member)|log in here|sign up (?:now |here |today )?(?:for|to)\b|"
    r"sign up for (?:our|the) .*newsletter|get (?:our|the) .*newsletter|"
    r"follow us on|share (?:this|on) (?:article|story|facebook|twitter)|click here|"
    r"advertisement|sponsored content|(?:all|some) rights reserved|"
    r"read (?:more|the full (?:article|story))\s*(?::|»|›|→|\.{3}|…|$)|related (?:articles|stories|coverage)\s*:?\s*$|"
    r"this (?:article|story) (?:is|was) (?:brought to you|sponsored)|"
    r"(?:free|all-access|premium) (?:trial|subscription)|"
    r"(?:^|\s)newsletter sign-?up)",
    re.I,
)
_PITCH_MAX_WORDS = 40
_CLAUSE_BREAK = frozenset(".!?:;,…-–—|•·»›\"“”'‘’([")

_IMAGE_CREDIT = re.compile(
    r"^(?:\(?(?:(?:top|lead|featured|main|header|cover)\s+)?(?:image|photo|photograph|picture|illustration|video|graphic)s?"
    r"(?:\s+(?:credit|courtesy|source))?\s*(?::|\||—|–|-|by\b|courtesy\b)|"
    r"\(?credits?\s*:|"
    r"\(?(?:photo|image)\s+(?:by|via|courtesy of)\b|"
    r"caption\s*:)",
    re.I,
)
# A caption's credit at its end: "... (Jane Doe/Agency)", "[Featured Image by Jane Doe/Agency]",
# "Photo credit: Jane Doe/Site": a name, a slash and a source without spaces, in brackets or after
# a colon. Whatever the agency or the language; a slash between spaced words is a heading's.
_CAPTION_CREDIT = re.compile(r"(?:[(\[]|:\s)[^()\[\]:]{0,80}?[A-Z][\w&'’-]+/[A-Z][\w.&'’ -]*[)\]]?\s*$")

# --- authors -------------------------------------------------------------------------------------

_NAME_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"


def _byline_patterns(lazy: str) -> tuple[re.Pattern[str], ...]:
    names = rf"{FULL_NAME}(?:{_NAME_SEP}{FULL_NAME})*{lazy}"
    return (
        # By Jane Doe | By Jane Doe and John Roe | By Jane Doe, Staff Writer | By JANE DOE
        re.compile(rf"^by\s+(?P<names>{names})(?:\s*(?:,|\||—|–|-)\s*(?P<role>[^|]{{2,80}}))?\.?$", re.I),
        # Jane Doe | Reuters   or   Jane Doe — Staff Writer
        re.compile(rf"^(?P<names>{names})\s*(?:\||—|–)\s*(?P<role>[^|]{{2,80}})$"),
        # - Jane Doe, Staff Writer
        re.compile(rf"^[-–—]\s*(?P<names>{names})(?:\s*,\s*(?P<role>.{{2,80}}))?$"),
    )


# Greedy first ("By Jane Doe, Jim Poe and John Roe"), then lazy ("- Jane Doe, Staff Writer").
_BYLINE_PATTERNS = _byline_patterns("") + _byline_patterns("?")
_BYLINE_ROLE = re.compile(
    r"(?:writer|editor|reporter|correspondent|columnist|contributor|staff|journalist|bureau|chief|"
    r"news|press|times|post|journal|reuters|associated|agency|herald|tribune|guardian|daily|wire|magazine)",
    re.I,
)

_BIO_CUES = re.compile(
    r"\b(?:fellow|professor|lecturer|researcher|scholar|author of|editor|correspondent|reporter|writer|"
    r"journalist|columnist|contributor|director|analyst|founder|president of|chair|dean|adviser|advisor|"
    r"former|served as|serves as|teaches|writes (?:about|on|for)|based in|holds a|ph\.?d|phd|candidate at|"
    r"student at|associate|expert|specialist|member of)\b",
    re.I,
)
_BIO_OPENING = re.compile(
    rf"^(?P<name>{FULL_NAME})(?:,\s*(?P<appositive>(?:an?|the)\s[^,]{{3,160}}),)?\s+"
    rf"(?P<verb>is|was|serves as|has been|writes|teaches|covers|reports)\s+(?P<rest>.+)$",
    re.S,
)
_DISCLAIMER = re.compile(
    r"(?:views (?:expressed|presented)|opinions (?:expressed|are)|"
    r"(?:are|is) (?:his|her|their|the author(?:'|’)s|my) own|"
    r"do(?:es)? not (?:necessarily )?(?:reflect|represent)|"
    r"this (?:article|piece|essay|story) (?:first |originally )?(?:appeared|was (?:first |originally )?published)|"
    r"(?:first|originally) (?:appeared|published) (?:in|on|at)\b)",
    re.I,
)
_ROLE_SPLIT = re.compile(r"^(?P<title>.+?)\s+(?:in|at|of|with|for)\s+(?:the\s+)?(?P<org>[A-Z].+)$")

# --- publication ---------------------------------------------------------------------------------

_PUB_NAME = r"(?P<pub>(?:The\s+)?[A-Z][\w&’'.-]*(?:\s+(?:of\s+|the\s+|and\s+|&\s+)?[A-Z][\w&’'.-]*){0,5})"
_PUBLICATION_PATTERNS = (
    re.compile(rf"\bsubscription to {_PUB_NAME}"),
    re.compile(rf"\bsubscriber to {_PUB_NAME}"),
    re.compile(rf"^More (?:from )?{_PUB_NAME}\s*$"),
    re.compile(rf"\b(?:originally|first) (?:appeared|published) (?:in|on|at|by) {_PUB_NAME}"),
    re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s*)?{_PUB_NAME}"),
    re.compile(rf"\bSubscribe to {_PUB_NAME}"),
)
_NOT_PUBLICATIONS = frozenset({"our", "the", "this", "all", "us", "here", "now", "today", "access", "full"})


def content_hash(raw: RawArticle) -> str:
    """Hash of everything that shapes the article, so an unchanged file is never analysed twice."""
    h = hashlib.sha256()
    for part in (raw.title, raw.text, raw.author, raw.url, raw.published, raw.publication, raw.standfirst):
        h.update((part or "").encode("utf-8"))
        h.update(b"\x1f")
    for name, role in raw.credits:  # only where there are any: the hash of every other article stays
        h.update(f"{name}\x1e{role}".encode())
        h.update(b"\x1f")
    return h.hexdigest()


def article_id(hash_hex: str) -> str:
    return hash_hex[:16]


def parse_article(raw: RawArticle, *, id: str | None = None, slug: str | None = None) -> Article:
    """Parse a raw article. Pure: the same input always gives the same Article."""
    from bot.core.text import paragraphs as split_paragraphs

    digest = content_hash(raw)
    title = (raw.title or "").strip()
    paras = split_paragraphs(raw.text)

    paras, preview_only, tail = _cut_paywall(paras)
    preview_only = preview_only or raw.preview_only
    publication = raw.publication or _find_publication(paras + tail)
    paras = [p for p in paras if not _is_boilerplate(p, publication)]
    paras = _reflow(paras)
    if title:
        key = _title_key(title)
        paras = [p for i, p in enumerate(paras) if not _repeats_title(p, key, opening=i < 3)]

    authors: list[Author] = []
    if raw.authors:
        authors = [Author(name=n) for n in raw.authors]
    elif raw.author:
        authors = [Author(name=n) for n in _split_names(raw.author)]
    paras, byline_authors = _take_byline(paras)  # before list markers go: "- Jane Doe, Staff Writer"
    paras = [_LIST_MARKER.sub("", p, count=1) for p in paras]
    if not authors:
        authors = byline_authors
    paras, credit_lines, reporters = _take_credits(paras)
    if not authors:
        authors = [Author(name=n) for n in reporters]
    paras, bio_author, disclaimer = _take_bio(paras, authors)
    if bio_author is not None:
        authors = _merge_author(authors, bio_author)
    authors = _with_credits(authors, [*raw.credits, *credit_lines])

    standfirst = raw.standfirst
    if standfirst is None and title:
        paras, standfirst = _take_standfirst(paras)

    if not title:
        title = _fallback_title(paras)
    return Article(
        id=id or article_id(digest),
        slug=slug or slugify(title),
        title=title,
        standfirst=standfirst,
        paragraphs=tuple(paras),
        authors=tuple(authors),
        disclaimer=disclaimer,
        publication=publication,
        url=raw.url,
        published=raw.published,
        preview_only=preview_only,
        content_hash=digest,
        source_path=raw.source_path,
    )


def _title_key(text: str) -> str:
    return re.sub(r"\W+", " ", fold(text)).strip()


# A list item's marker at a paragraph's start: "- ", "• ", "* ", "1. ", "2) ".
_LIST_MARKER = re.compile(r"^(?:[-–•*·▪◦]|\d{1,2}[.)])\s+(?=\S)")
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]»。！？]$")


def _reflow(paras: list[str]) -> list[str]:
    """Join a paragraph onto the one before when a page's line break split a sentence: the one
    before ends without sentence punctuation (nor a dash or a comma that could end a heading) and
    this one starts with a lower-case letter. A heading, a byline or a list item ends without
    punctuation too, but what follows them starts with a capital."""
    out: list[str] = []
    for p in paras:
        if out and p[:1].islower() and not _SENTENCE_END.search(out[-1]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out


def _repeats_title(p: str, key: str, *, opening: bool) -> bool:
    """The headline again: the title's words exactly, or, among the opening paragraphs, the title
    with or without a site's name (at most five words more, the shorter at least half the longer):
    a page's title "Headline | Site" over a body that opens with "Headline", or the reverse."""
    pkey = _title_key(p)
    if pkey == key:
        return True
    if not opening or not pkey or (_SENTENCE_END.search(p) and not p.endswith(("?", "!"))):
        return False
    short, long = (pkey, key) if len(pkey) < len(key) else (key, pkey)
    if len(short) < 0.5 * len(long):
        return False
    if long.startswith(short + " "):
        rest = long[len(short) :]
    elif long.endswith(" " + short):
        rest = long[: -len(short)]
    else:
        return False
    return len(rest.split()) <= 5


def _fallback_title(paras: list[str]) -> str:
    """Without a title, the opening words of the text stand in (for display only)."""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", paras[0], maxsplit=1)[0] if paras else "Untitled"
    return first if len(first) <= 100 else first[:99].rsplit(" ", 1)[0] + "…"


def _cut_paywall(paras: list[str]) -> tuple[list[str], bool, list[str]]:
    for i, p in enumerate(paras):
        if len(p.split()) <= 60 and _PAYWALL.search(p):
            return paras[:i], True, paras[i:]
    return paras, False, []


def _is_boilerplate(p: str, publication: str | None) -> bool:
    n_words = len(p.split())
    if n_words <= 25 and (_IMAGE_CREDIT.match(p) or (_CAPTION_CREDIT.search(p) and not p.rstrip().endswith("."))):
        return True
    if n_words <= _PITCH_MAX_WORDS and any(_opens_clause(p, m.start()) for m in _PITCH.finditer(p)):
        return True
    return bool(publication and re.fullmatch(rf"More (?:from )?{re.escape(publication)}\.?", p, re.I))


def _opens_clause(p: str, start: int) -> bool:
    """A pitch speaks to the reader: its words open the paragraph or a clause ("Sign up for our
    newsletter", "For more, sign up ..."), or stand as a label ("Advertisement"). The same words
    inside a sentence report ("the campaign's television advertisement", "to get men to sign up for
    updates") and are the article's."""
    before = p[:start].rstrip()
    return not before or before[-1] in _CLAUSE_BREAK


def _find_publication(paras: list[str]) -> str | None:
    for p in paras:
        if len(p.split()) > 60:
            continue
        for pattern in _PUBLICATION_PATTERNS:
            m = pattern.search(p)
            if m:
                pub = _clean_publication(m.group("pub"))
                if pub:
                    return pub
    return None


def _clean_publication(pub: str) -> str | None:
    pub = re.sub(r"[\s.:,;'’]+$", "", pub.strip())
    pub = re.sub(r"\s+(?:Subscribe|Log|Sign|Get|Click|Read|Today|Now)\b.*$", "", pub)
    if not pub or pub.lower() in _NOT_PUBLICATIONS or len(pub) < 3:
        return None
    return pub


def _split_names(names: str) -> list[str]:
    """Several names in one string. Semicolons, when present, are the only separators: "A; B"
    is how the file and page readers (bot/sources) pass a list of names, so "Friends and Neighbours
    Trust; Jane Doe" is two names."""
    if ";" in names:
        return [p.strip() for p in names.split(";") if p.strip()]
    parts = re.split(r"\s*(?:,\s*and\s+|\s+and\s+|&|,)\s*", names.strip())
    return [p.strip() for p in parts if p.strip()]


def _take_byline(paras: list[str]) -> tuple[list[str], list[Author]]:
    """A byline in the first few paragraphs: "By Jane Doe", "Jane Doe | Reuters", "- Jane Doe, Staff Writer"."""
    for i, p in enumerate(paras[:4]):
        if len(p.split()) > 20:
            continue
        for pattern in _BYLINE_PATTERNS:
            m = pattern.match(p.strip())
            if not m:
                continue
            role = (m.group("role") or "").strip().rstrip(".") or None
            by = p.lower().startswith("by ")
            if (role or not by) and not (role and _BYLINE_ROLE.search(role)):
                continue
            names = [_titlecase_if_shouting(n) for n in _split_names(m.group("names"))]
            if not all(looks_like_person(n) for n in names):
                continue
            authors = [Author(name=n, role=role if len(names) == 1 else None) for n in names]
            return paras[:i] + paras[i + 1 :], authors
    return paras, []


_CREDIT_PARAGRAPH_WORDS = 30
_WRITER_CREDIT = re.compile(r"^\s*(?:reporting|writing|written|text|words)\s+by\s+(?P<rest>.+)$", re.I)


def _take_credits(paras: list[str]) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Credit lines among the first four and the last three paragraphs ("Edited by Jane Doe",
    "Übersetzung: Ann Lee", "Reporting by A; Additional reporting by B; Editing by C"): out of the
    body, as (name, role), with the writers such a line names ("Reporting by A")."""
    n = len(paras)
    where = sorted({*range(min(4, n)), *range(max(0, n - 3), n)})
    credits: list[tuple[str, str]] = []
    writers: list[str] = []
    drop: set[int] = set()
    for i in where:
        p = paras[i]
        if len(p.split()) > _CREDIT_PARAGRAPH_WORDS or (credit_line(p) is None and not _WRITER_CREDIT.match(p)):
            continue
        found: list[tuple[str, str | None]] = []
        for segment in re.split(r"\s*[;|·•]\s*|(?<=[a-z]{2})\.\s+", p.strip().rstrip(".")):
            credit = credit_line(segment)
            writer = _WRITER_CREDIT.match(segment)
            rest, role = (credit[1], credit[0]) if credit else (writer.group("rest"), None) if writer else ("", None)
            names = [_PLACE_AFTER.sub("", n) for n in _split_names(rest.strip().rstrip("."))]
            if not names or not all(looks_like_person(n) for n in names):
                break
            found += [(n, role) for n in names]
        else:
            drop.add(i)
            credits += [(n, r) for n, r in found if r]
            writers += [n for n, r in found if not r]
    return [p for i, p in enumerate(paras) if i not in drop], credits, writers


_PLACE_AFTER = re.compile(r"\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}$")  # "Jane Doe in Washington"


def _with_credits(authors: list[Author], credits: list[tuple[str, str]]) -> list[Author]:
    """The writers, then each person credited in another role once, in order, unless a writer."""
    out = [a for a in authors if not a.credit]
    seen = {fold(a.name) for a in out}
    for name, role in credits:
        if fold(name) not in seen:
            seen.add(fold(name))
            out.append(Author(name=name, credit=role))
    return out


def _titlecase_if_shouting(name: str) -> str:
    return name.title() if name.isupper() else name


def _take_bio(paras: list[str], authors: list[Author]) -> tuple[list[str], Author | None, str | None]:
    """An author bio paragraph at the end (or the start) of the article, with its disclaimer."""
    if len(paras) < 2:
        return paras, None, None
    known = {fold(a.name) for a in authors}
    candidates = [len(paras) - 1, len(paras) - 2, 0] if len(paras) > 2 else [len(paras) - 1, 0]
    for i in candidates:
        p = paras[i]
        if len(p.split()) > 150:
            continue
        parsed = _parse_bio(p)
        if parsed is None:
            continue
        author, disclaimer = parsed
        # A start-of-article "X is a ..." is a bio only for a known author or with a clear cue.
        if i == 0 and fold(author.name) not in known and not _BIO_CUES.search(author.bio or ""):
            continue
        rest = paras[:i] + paras[i + 1 :]
        if (
            disclaimer is None
            and i + 1 < len(paras)
            and _DISCLAIMER.search(paras[i + 1])
            and len(paras[i + 1].split()) < 80
        ):
            disclaimer = paras[i + 1]
            rest = paras[:i] + paras[i + 2 :]
        return rest, author, disclaimer
    # A disclaimer on its own at the end.
    if _DISCLAIMER.search(paras[-1]) and len(paras[-1].split()) < 80:
        return paras[:-1], None, paras[-1]
    return paras, None, None


def _parse_bio(p: str) -> tuple[Author, str | None] | None:
    m = _BIO_OPENING.match(p)
    if not m or not looks_like_person(m.group("name")):
        return None
    sentences = split_sentences(p)
    bio_sents = [s for s in sentences if not _DISCLAIMER.search(s)]
    disclaimer_sents = [s for s in sentences if _DISCLAIMER.search(s)]
    bio = " ".join(bio_sents) or None
    if not bio or not _BIO_CUES.search(bio):
        return None
    role = _role_from_bio(m.group("appositive"), m.group("verb"), m.group("rest"))
    title = affiliation = None
    if role:
        split = _ROLE_SPLIT.match(role)
        if split:
            title, affiliation = split.group("title"), split.group("org")
        else:
            title = role
    author = Author(
        name=m.group("name").strip(),
        role=role,
        title=title,
        affiliation=affiliation,
        bio=bio,
    )
    return author, " ".join(disclaimer_sents) or None


def _role_from_bio(appositive: str | None, verb: str, rest: str) -> str | None:
    phrase = appositive
    if phrase is None and verb in {"is", "was", "serves as", "has been"}:
        phrase = split_sentences(rest)[0] if rest else None
    if not phrase:
        return None
    phrase = re.sub(r"^(?:an?|the|currently|also)\s+", "", phrase.strip(), flags=re.I)
    # The role ends where the bio moves on to something else.
    phrase = re.split(
        r",\s+(?:and\s+)?(?:where|who|which|and the author|author of)\b"
        r"|\s+and\s+(?:the\s+)?(?:author|co-author|editor) of\b|;|\.\s",
        phrase,
    )[0]
    phrase = phrase.strip().rstrip(".,")
    if not phrase or len(phrase) > 200 or phrase.lower().startswith(("the author of", "author of")):
        return None
    return phrase


def _merge_author(authors: list[Author], bio: Author) -> list[Author]:
    for i, a in enumerate(authors):
        if fold(a.name) == fold(bio.name) or fold(bio.name).endswith(fold(a.name.split()[-1])):
            merged = Author(
                name=a.name, role=bio.role or a.role, title=bio.title, affiliation=bio.affiliation, bio=bio.bio
            )
            return [*authors[:i], merged, *authors[i + 1 :]]
    if authors:
        # The bio names someone other than the byline: a co-author described at the end.
        return [*authors, bio]
    return [bio]


_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\([A-Za-z .]+\))?\s*(?:—|–|-{1,2})\s")


_LEDE_END = re.compile(r"[.!?…\"”’»。！？]$")
_BY = re.compile(r"^(?:by|von|par|por|di|door)\s", re.I)


def _lede_like(p: str) -> bool:
    """A standfirst is a sentence, not a byline: six words or more (25 characters in scripts written
    without spaces) ending as a sentence does, or twelve words or more (a dek without its full stop).
    A heading, a label ("Abstract", "Highlights"), a date or a list item is not."""
    n_words = len(p.split())
    if n_words < 6 and not (len(p) >= 25 and len(p) >= 8 * n_words):
        return False
    return (n_words >= 12 or bool(_LEDE_END.search(p))) and not _BY.match(p)


def _take_standfirst(paras: list[str]) -> tuple[list[str], str | None]:
    """A short paragraph right after the title that introduces rather than reports."""
    if len(paras) < 2:
        return paras, None
    first = paras[0]
    n_words = sum(count_words(first))  # a Chinese or Japanese character counts as a word
    if not _lede_like(first) or n_words > 30 or len(split_sentences(first)) > 2 or _DATELINE.match(first):
        return paras, None
    if first.startswith(("“", '"', "‘")) or re.match(rf"^{ANY_NAME}\s+(?:said|says)\b", first):
        return paras, None
    # The body that follows is substantially longer than the standfirst.
    if sum(count_words(paras[1])) < n_words:
        return paras, None
    return paras[1:], first
