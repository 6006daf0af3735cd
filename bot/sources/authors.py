"""Who wrote a page, from its author evidence (bot.sources.evidence), most explicit source first:

1. JSON-LD: the ``author`` (or ``creator``) of the page's Article/Posting node, ``@graph`` and
   ``@id`` references followed;
2. ``<meta>`` tags naming an author (``author``, ``article:author``, ``parsely-author``,
   ``sailthru.author``, ``dc.creator``, ``byl``, ``citation_author``, ...);
3. the visible byline nearest the headline: a "By ..." line (or "von", "par", "por", ...), an element
   whose class or id says byline or author, ``itemprop=author``, ``rel=author`` or a link to an
   author's page whose text names the person its address does. Bylines in the parts of the page
   around the article are not its byline: comments, sidebars and widgets, related stories and
   teasers of other articles, reference lists, navigation, the site's header and footer (see
   bot.sources.evidence); nor are any on a page of many bylines and no headline (a list of stories);
4. "Written by" in ``twitter:label``/``twitter:data`` (the account that posted the page);
5. trafilatura's own guess.

Every value is cleaned ("By", roles such as "Staff Writer", dates, e-mail and web addresses, handles,
the site's own name, "See all stories" and the like are dropped) and split into names
(bot.sources.bylines); a declared value written family name first ("Doe, Jane", as Dublin Core and
citation tags write names) is turned round, and trafilatura's guess loses the words of the web
addresses in the author values (it makes "Ebb Org" of "(http://ebb.org/...)").
The first source that names a person wins; a later source that names the same
people and more (the headline byline "By A and B" where the meta tag has only A) extends it. The
publisher, and people the page credits for photographs or styling, are not authors; a site named for a
person is that person's own, and keeps its owner as author. Naming no person, a
credit or user name printed right under the headline ("By Example Wire", "harbourfan") is the author,
then an organisation the page declares as author.

People the page credits for something other than the writing (:func:`choose_credits`: "Edited by",
"Übersetzung:", "Additional reporting by", JSON-LD ``editor`` and ``translator``; the role words are
bot.analysis.credits's) are kept apart, with their role, and are not writers however the page marks
them up; but a reporter credited for additional reporting, or a contributor, whom the page's author
metadata lists stays a writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.analysis.credits import credit_line, may_hold_credit
from bot.analysis.names import (
    BYLINE_STOP_WORDS,
    INITIALS,
    NAME_TOKEN,
    NOT_NAMES,
    ORG_WORDS,
    dedupe_names,
    is_institution,
    is_particle,
    name_key,
    same_person,
)
from bot.core.text import fold
from bot.sources.bylines import BY, CREDIT, byline_names, byline_parts, organisation_name, person_name
from bot.sources.evidence import Evidence

_MAX_SPAN_PIECES = 40  # a byline element holds a few names, a role and a date, not a story list
# Text between two names of one byline: "and", ",", or a dateline-style place ("in London and").
_SEPARATOR_ONLY = re.compile(
    r"\s*(?:(?:in|at|from)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*)?(?:,|and|&|AND|;|\||/|·|•|-|–|—|und|et|y|e|og|och)?\s*"
)
_LIST_BYLINES = 4  # different bylines on a page without a headline: a list of stories
_NEAR_PIECES = 6  # text nodes: bylines this close to the nearest one count as equally near
_HANDLE_DISTANCE = 12  # a bare handle counts as the byline only right by the headline
_KIND_RANK = {"by": 0, "itemprop": 0, "rel": 1, "link": 1, "class": 2}


def choose_authors(
    evidence: Evidence,
    *,
    title: str | None = None,
    site: str | None = None,
    url: str | None = None,
    fallback: str | None = None,
    credits: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """The page's authors from its evidence (see the module docstring for the order). ``credits``
    (from :func:`choose_credits`): people the page credits in another role, who are not its writers
    however the page marks them up (an "Edited by" line around an ``itemprop=author``)."""
    stop = _site_words(site, url)
    in_role = {name_key(n) for n, role in credits if role not in _WRITERS_TOO}
    visible = _visible_bylines(evidence, title, stop)
    if not evidence.headlines and len({tuple(b.names) for b in visible if b.names}) >= _LIST_BYLINES:
        visible = []  # no headline and many people's bylines: a list of stories, not one article
    byline = _nearest([b for b in visible if b.names])
    # A credit or handle printed as the byline right by the headline ("harbourfan", "By Example Staff")
    # beats a person's byline further away (a related story's) and trafilatura's guess.
    handle = _nearest([b for b in visible if b.credit and b.rank <= 1 and b.distance <= _HANDLE_DISTANCE])
    if handle and byline and byline.distance > handle.distance + _NEAR_PIECES:
        byline = None
    found = [
        _names(evidence.jsonld, stop),
        _names(evidence.meta, stop),
        byline.names if byline else [],
        _names(evidence.posted_by, stop),
        [handle.credit] if handle and handle.credit else [],
        _names([fallback] if fallback else [], stop | _address_words(evidence)),
    ]
    # People the page credits for photographs, styling, video and the like did not write it, even
    # where a meta tag lists every contributor.
    credited = _credited(evidence, stop)
    found = [[n for n in names if name_key(n) not in credited] or names for names in found]
    found = [[n for n in names if name_key(n) not in in_role] for names in found]
    # The publisher is not an author ("Example Media Group" in a meta tag beside the writer's name), but a
    # blog's owner often is: a source that names only the owner is used when no other names anyone.
    # A site named for a person is that person's own site: the owner is its author, not its publisher.
    owners = [set(name_key(o)) for o in (*evidence.owners, site or "") if name_key(o) and not _is_person(o)]
    sources = [[n for n in names if not any(set(name_key(n)) <= o for o in owners)] for names in found]
    if not any(sources):
        sources = found
    declared = [o for v in evidence.jsonld_orgs if (o := organisation_name(v, whole=True))]
    declared += [o for v in (*evidence.jsonld, *evidence.meta) if (o := organisation_name(v))]
    if not sources[0] and not sources[1]:
        # No declared person. A credit the page declares (JSON-LD or meta) and also prints as the
        # byline nearest the headline ("By: Example Wire"), nearer than any person's, is the author.
        credit = _nearest([b for b in visible if b.credit])
        if (
            credit is not None
            and (byline is None or credit.distance < byline.distance)
            and any(name_key(credit.credit or "") == name_key(d) for d in declared)
        ):
            return [credit.credit or ""]
    chosen = next((s for s in sources if s), [])
    if chosen:
        for other in sources:
            if len(other) > len(chosen) and all(
                any(same_person(name_key(c), name_key(o)) for o in other) for c in chosen
            ):
                chosen = other
        return dedupe_names(chosen)
    return declared[:1]


# Roles that a page's author metadata may rightly list among its writers: a contributor, a reporter
# credited for additional reporting ("By A" where the metadata says "A, B" and a line "Additional
# reporting by B"). Editors, translators, photographers and the like are never the writers.
_WRITERS_TOO = frozenset({"contributor", "additional reporting"})

# A credit line that credits photographs or illustrations is the article's only near its headline;
# further down it is a picture's caption.
_NEAR_HEADLINE = 15
# Where a text node holds several credits: "Reporting by A; Additional reporting by B; Editing by C".
_CREDIT_SEPARATOR = re.compile(r"\s*(?:[;|·•]|(?<=[a-z]{2})\.\s+|\s[-–—]\s)\s*")


def choose_credits(
    evidence: Evidence,
    *,
    title: str | None = None,
    site: str | None = None,
    url: str | None = None,
) -> list[tuple[str, str]]:
    """People the page credits for something other than the writing, as (name, role), in order: the
    article's JSON-LD ``editor``, ``translator``, ``illustrator`` and ``contributor``, then the
    visible credit lines (bot.analysis.credits: "Edited by", "Übersetzung:", "Additional reporting
    by"), which stand at the start of a line or after another credit, outside the parts of the page
    around the article; photographs and illustrations only near the headline."""
    stop = _site_words(site, url)
    found: list[tuple[str, str]] = [(n, role) for role, value in evidence.jsonld_credits for n in _names([value], stop)]
    anchor = _headline_index(evidence, title)
    pieces = evidence.pieces
    around = evidence.around or [False] * len(pieces)
    for i, piece in enumerate(pieces):
        if around[i] or not may_hold_credit(piece) or len(piece.split()) > 60:
            continue
        segments = _CREDIT_SEPARATOR.split(piece)
        for j, segment in enumerate(segments):
            credit = credit_line(segment)
            if credit is None or (j == 0 and not _starts_line(evidence, i)):
                continue
            role, rest = credit
            if role in ("photographer", "illustrator") and abs(_distance(i, anchor)) > _NEAR_HEADLINE:
                continue
            if rest.strip():
                names = byline_names(rest, stop_words=stop) if len(rest.split()) <= 30 else []
            else:  # "Edited by" and the names in the elements that follow
                names = _run_names(pieces[i + 1 : i + 8], stop) if j == len(segments) - 1 else []
            found += [(n, role) for n in names]
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, ...]] = set()
    for name, role in found:
        if name_key(name) not in seen:
            seen.add(name_key(name))
            out.append((name, role))
    return out


def keep_credits(credits: list[tuple[str, str]], writers: list[str]) -> list[tuple[str, str]]:
    """The credits of people who are not also the writers (a JSON-LD ``contributor`` that is the author)."""
    keys = [name_key(w) for w in writers]
    return [(n, r) for n, r in credits if not any(same_person(name_key(n), k) for k in keys)]


_CREDIT = re.compile(
    r"^\s*(?:photo(?:graph)?(?:s|y|ed)?|images?|pictures?|illustrat\w*|model+ed|styl(?:ed|ing)|hair|make-?up|"
    r"video|graphics?|design(?:ed)?|art direction|cinematography|animation|produced|shot)"
    r"(?:\s+and\s+\w+)?\s+(?:by|courtesy of)\b\s*:?\s*(?P<rest>.*)$",
    re.I | re.S,
)


def _credited(evidence: Evidence, stop: frozenset[str]) -> set[tuple[str, ...]]:
    """Name keys of the people credited for something other than the writing ("Photographed by X")."""
    out: set[tuple[str, ...]] = set()
    pieces = evidence.pieces
    for i, piece in enumerate(pieces):
        m = _CREDIT.match(piece)
        if m and len(piece.split()) <= 12:
            out.update(name_key(n) for n in _run_names([m.group("rest"), *pieces[i + 1 : i + 4]], stop))
    return out


def _names(values: Iterable[str], stop: frozenset[str]) -> list[str]:
    """Names in declared values (JSON-LD, meta tags), where "jane doe" in lower case is still a name
    and "Doe, Jane" (family name first, as library catalogues and Dublin Core write it) is Jane Doe."""
    values = [_given_first(v) for v in values]
    return dedupe_names(n for v in values for n in byline_names(v if _has_upper(v) else v.title(), stop_words=stop))


# "Family, Given": one name word before the comma; after it, given names or initials and the
# particles that go before the family name ("Jong, Michiel de" is Michiel de Jong).
_FAMILY_FIRST = re.compile(r"^\s*(?P<family>[^\s,;]+)\s*,\s*(?P<given>[^\s,;]+(?:\s+[^\s,;]+){0,2})\s*$")


def _given_first(value: str) -> str:
    """A declared value of one name written family name first, given name first; else unchanged."""
    m = _FAMILY_FIRST.match(value)
    if not m:
        return value
    family, given = m.group("family"), m.group("given").split()
    if not NAME_TOKEN.match(family) or fold(family) in BYLINE_STOP_WORDS or family in NOT_NAMES:
        return value
    if not (NAME_TOKEN.match(given[0]) or INITIALS.match(given[0])) or not all(
        NAME_TOKEN.match(t) or INITIALS.match(t) or is_particle(t) for t in given
    ):
        return value
    if any(fold(t.rstrip(".")) in BYLINE_STOP_WORDS or t in NOT_NAMES or fold(t) in ORG_WORDS for t in given):
        return value  # "Doe, Staff Writer", "Doe, Reuters"
    return f"{' '.join(given)} {family}"


def _has_upper(value: str) -> bool:
    return any(c.isupper() for c in value)


def _is_person(name: str) -> bool:
    """A site or publisher named as a person is ("Jane Doe", not "Jane Doe Media"; "Jane Doe (jdoe)"
    with a handle or nickname in brackets)."""
    name = " ".join(re.sub(r"\([^()]*\)", " ", name).split())
    found = person_name(name)
    return found is not None and name_key(found) == name_key(name) and not is_institution(found)


def _site_words(site: str | None, url: str | None) -> frozenset[str]:
    """Words of the site's own name and address: "Jane Doe ExampleNews" ends before "ExampleNews"."""
    words: set[str] = set()
    if site and not _is_person(site):  # "Jane Doe" as a site's name does not end "Jane Doe" the name
        words.update(w for w in re.findall(r"\w+", fold(site)) if len(w) > 2)
    if url:
        host = urlsplit(url).hostname or ""
        labels = [label for label in host.split(".") if label not in {"www", "com", "org", "net", "co", "uk"}]
        words.update(label for label in labels if len(label) > 2)
    return frozenset(words)


def _address_words(evidence: Evidence) -> frozenset[str]:
    """The labels of the web addresses in the page's author values: trafilatura's guess makes
    "Ebb Org" of "Jane Doe (http://ebb.org/jdoe/)"."""
    hosts = re.findall(r"https?://([^/\s:?#]+)", " ".join([*evidence.meta, *evidence.jsonld]))
    return frozenset(label for host in hosts for label in fold(host).split(".") if len(label) > 2)


@dataclass(frozen=True, slots=True)
class _Byline:
    distance: float  # from the headline, in text nodes
    rank: int  # how explicit: "By" text and itemprop first, a class name last
    names: list[str]  # the people it names
    credit: str | None  # or, naming no person, the organisation or handle it credits


def _visible_bylines(evidence: Evidence, title: str | None, stop: frozenset[str]) -> list[_Byline]:
    """Every byline in the page's text: "By ..." text and byline elements, with their distance
    from the headline."""
    anchor = _headline_index(evidence, title)
    found: list[_Byline] = []
    pieces = evidence.pieces
    around = evidence.around or [False] * len(pieces)
    for i, piece in enumerate(pieces):
        m = BY.match(piece) if not _is_credit(piece) else None
        if m and len(piece.split()) <= 12 and _starts_line(evidence, i) and not around[i]:
            following = pieces[i + 1 : i + 8]
            if byline_names(m.group("rest"), stop_words=stop):
                # "By A" holds a name: the byline goes on in the same line ("and <a>B</a>"), not in
                # the next block, which is the story.
                end = next((j for j in range(i + 1, min(i + 8, len(pieces))) if evidence.starts[j]), i + 8)
                following = pieces[i + 1 : end]
            found.append(_byline(_distance(i, anchor), "by", [m.group("rest"), *following], stop))
    slugs = evidence.slugs or [""] * len(evidence.spans)
    for (start, end, kind), slug in zip(evidence.spans, slugs, strict=True):
        if end - start > _MAX_SPAN_PIECES or around[start]:
            continue  # a story list, or a commenter's, a related story's or a cited work's byline
        if kind == "link" and not (_stands_alone(evidence, start, end) and _names_slug(pieces[start:end], slug)):
            continue  # "Zum Profil", "Follow": a link to a profile whose text is not the person's name
        texts = pieces[start:end]
        by = next((j for j, t in enumerate(texts) if BY.match(t) and len(t.split()) <= 12 and not _is_credit(t)), None)
        if by is not None:  # "Section  By A and B  Date": only what follows "By"
            run = [BY.sub(r"\g<rest>", texts[by]), *texts[by + 1 :]]
            found.append(_byline(_distance(start, anchor), kind, run, stop))
        else:
            byline = _byline(_distance(start, anchor), kind, texts, stop, skip=3)
            if byline.names:  # "<a rel=author>A</a> and <a rel=author>B</a>": B follows outside A's element
                byline.names.extend(_more_names(pieces, end, stop))
            found.append(byline)
    return [b for b in found if b.names or b.credit]


def _is_credit(text: str) -> bool:
    """ "Photo by", "Edited by": a credit for something other than the writing, not a byline."""
    return bool(CREDIT.match(text) or _CREDIT.match(text)) or (may_hold_credit(text) and credit_line(text) is not None)


def _names_slug(texts: list[str], slug: str) -> bool:
    """Whether a profile link's text names the person its address does: "Jane Doe" for
    /author/jane-doe or /u/jdoe. An address without a readable name (/profile/123) says nothing;
    text in a script other than Latin cannot be checked against a readable one, and does not count."""
    if len(slug) < 4:
        return True
    words = [w for w in re.findall(r"[a-z]+", fold(" ".join(texts))) if len(w) >= 3]
    return any(w in slug for w in words)  # a name in another script cannot be checked against it


def _more_names(pieces: list[str], i: int, stop: frozenset[str]) -> list[str]:
    """Names after text node i that a separator ("and", ",", "&") joins to a byline's last name."""
    more: list[str] = []
    while i + 1 < len(pieces) and _SEPARATOR_ONLY.fullmatch(pieces[i]) and pieces[i].strip():
        following = " ".join(pieces[i + 1].split())
        found = byline_names(following, stop_words=stop) if len(following.split()) <= 6 else []
        if not found:
            break
        more.extend(found)
        i += 2
    return more


def _stands_alone(evidence: Evidence, start: int, end: int) -> bool:
    """Whether the text nodes start..end are not part of a sentence: a link to a person's page in
    a byline, not "<a href=/people/x>X</a> was married ..." in the story."""
    if not _starts_line(evidence, start):
        return False
    if end >= len(evidence.pieces) or evidence.starts[end]:
        return True
    after = evidence.pieces[end].strip()
    return not after[:1].islower()


def _starts_line(evidence: Evidence, i: int) -> bool:
    """Whether text node i begins a line: after a block boundary, or after text that ends without
    a letter ("March 3, 2024 · By ..."), not inside a sentence ("a novel written <a>by X</a>")."""
    if evidence.starts[i] or i == 0:
        return True
    before = evidence.pieces[i - 1].rstrip()
    return not before or not (before[-1].isalpha() or before[-1] == ",")


def _byline(distance: float, kind: str, run: list[str], stop: frozenset[str], *, skip: int = 0) -> _Byline:
    names = _run_names(run, stop, skip=skip)
    credit = None
    if not names and kind != "class":
        first = next((t for t in run if t.strip()), "")
        credit = organisation_name(first, handle=True)
    return _Byline(distance, _KIND_RANK[kind], names, credit)


def _nearest(bylines: list[_Byline]) -> _Byline | None:
    """Among the bylines about as near the headline as the nearest, the most explicit."""
    if not bylines:
        return None
    nearest = min(b.distance for b in bylines)
    close = [b for b in bylines if b.distance <= nearest + _NEAR_PIECES]
    return min(close, key=lambda b: (b.rank, b.distance, -len(b.names)))


def _run_names(texts: list[str], stop: frozenset[str], *, skip: int = 0) -> list[str]:
    """The names in a run of text nodes ("By", "A", ", ", "B", "March 3"), up to the first node
    after them that names no one; up to ``skip`` nodes before the first name are passed over."""
    names: list[str] = []
    skipped = 0
    for text in texts:
        text = " ".join(text.split())  # a line break in the markup is a space, not a separator
        if _SEPARATOR_ONLY.fullmatch(text):
            continue
        words = len(text.split())
        if names and words > 6 and text[:1].isupper() and not _starts_with_name(text, stop):
            break  # the next paragraph ("HARBOURTON, North Island — A plan to ..."), not more of the byline
        found = byline_names(text, stop_words=stop) if words <= 12 else []
        if found and skipped and not names and not any(c.isupper() for n in found for c in n):
            found = []  # a word without case after other text ("... 發表在 痞客邦 留言"): nothing says it is a name
        if found:
            names.extend(found)
            continue
        if names or skipped >= skip:
            break
        skipped += any(c.isalnum() for c in text)  # "[" before a name is not text passed over
    return dedupe_names(names)


def _starts_with_name(text: str, stop: frozenset[str]) -> bool:
    parts = byline_parts(text)
    return bool(parts) and person_name(parts[0], stop_words=stop) is not None


def _headline_index(evidence: Evidence, title: str | None) -> int | None:
    if not evidence.headlines:
        return None
    if title:
        key = set(re.findall(r"\w+", fold(title)))

        def overlap(h: tuple[int, str]) -> float:
            words = set(re.findall(r"\w+", fold(h[1])))
            return len(words & key) / max(1, len(words | key))

        best = max(evidence.headlines, key=overlap)
        if overlap(best) >= 0.3:
            return best[0]
    return evidence.headlines[0][0]


def _distance(index: int, anchor: int | None) -> float:
    if anchor is None:
        return float(index)
    # A byline usually follows the headline; one before it is less likely the article's.
    return float(index - anchor) if index >= anchor else 3.0 * (anchor - index)
