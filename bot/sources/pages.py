"""Article pages (HTML) into raw articles: text, title, authors, publication, date and address.

trafilatura finds the article's text, title, date (htmldate, offline), site name, description and
canonical address. Authors come from this module, from the page's own evidence, most explicit first:

1. JSON-LD: the ``author`` (or ``creator``) of the page's Article/Posting node, ``@graph`` and
   ``@id`` references followed;
2. ``<meta>`` tags naming an author (``author``, ``article:author``, ``parsely-author``,
   ``sailthru.author``, ``dc.creator``, ``byl``, ``citation_author``, ...);
3. the visible byline nearest the headline: a "By ..." line, an element whose class or id says
   byline or author, ``itemprop=author``, ``rel=author`` or a link to an author's page;
4. "Written by" in ``twitter:label``/``twitter:data`` (the account that posted the page);
5. trafilatura's own guess.

Every value is cleaned ("By", roles such as "Staff Writer", dates, e-mail and web addresses, handles,
the site's own name, "See all stories" and the like are dropped) and split into names. The first
source that names a person wins; a later source that names the same people and more (the headline
byline "By A and B" where the meta tag has only A) extends it. The publisher, and people the page
credits for photographs or styling, are not authors. Naming no person, a credit or user name printed
right under the headline ("By Example Wire", "harbourfan") is the author, then an organisation the
page declares as author.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.analysis.names import NOT_NAMES, PARTICLE, TOKEN
from bot.core.errors import ArticleFileError
from bot.core.models import RawArticle
from bot.core.text import fold, normalise

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MAX_HTML_BYTES = 5_000_000
MAX_TEXT_BYTES = 2_000_000  # an article's text, UTF-8: what a text file may hold (bot.sources.files.MAX_FILE_BYTES)
# What makes author-finding cost more than linear is bounded: a byline names a few people, not
# thousands. trafilatura's author normalisation is cubic in the names it is given, and reads JSON-LD
# and meta tags itself, so the page's tree is trimmed to these bounds before trafilatura sees it.
MAX_AUTHORS = 20  # author values considered from JSON-LD, and author meta tags
MAX_NAMES_PER_VALUE = 20  # names read from one value ("A, B, C, ..." in one meta tag)
MAX_JSON_ITEMS = 100  # items of any one list in a JSON-LD block
MAX_META_CHARS = 1_000  # an author meta tag's content (20 names fit in 500)
MIN_WORDS = 5  # less is a menu or a button ("Home"), not an article
AUTHOR_SEPARATOR = "; "  # several authors in RawArticle.author; bot.analysis.parsing splits on it first


@dataclass(frozen=True, slots=True)
class Page:
    """What one page gave: the raw article, and trafilatura's own author guess (for comparison)."""

    raw: RawArticle
    authors: tuple[str, ...]
    trafilatura_author: str | None


def raw_from_html(
    html: str | bytes,
    url: str | None = None,
    *,
    source_path: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
    max_text_bytes: int = MAX_TEXT_BYTES,
) -> RawArticle:
    """Extract the article from one page; raise ArticleFileError saying why when there is none.

    ``url`` is where the page came from (trafilatura resolves links with it; the page's canonical
    address, when it declares one, becomes the article's url)."""
    return read_page(html, url, source_path=source_path, max_bytes=max_bytes, max_text_bytes=max_text_bytes).raw


def read_page(
    html: str | bytes,
    url: str | None = None,
    *,
    source_path: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
    max_text_bytes: int = MAX_TEXT_BYTES,
) -> Page:
    """Like :func:`raw_from_html`, keeping the author list and trafilatura's own author guess."""
    if len(html) > max_bytes:
        raise ArticleFileError(f"page too large ({len(html):,} bytes; the limit is {max_bytes:,})")
    text = decode_html(html) if isinstance(html, bytes) else html
    if not text.strip():
        raise ArticleFileError("empty page")
    if "\x00" in text:
        raise ArticleFileError("binary content (NUL characters)")

    import trafilatura  # imported here: loading it costs ~0.3 s, and only HTML needs it
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
    except Exception as exc:  # lxml raises assorted errors on broken markup
        raise ArticleFileError(f"unreadable HTML: {exc}") from exc
    if tree is None:
        raise ArticleFileError("not an HTML page")
    evidence = _collect(tree)  # before trafilatura, which prunes the tree as it extracts
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise ArticleFileError(f"unreadable HTML: {exc}") from exc
    if doc is None or len((doc.text or "").split()) < MIN_WORDS:
        raise ArticleFileError("no article text found in the page")

    body = _paragraphs(doc.text)
    size = len(body.encode("utf-8"))
    if size > max_text_bytes:
        raise ArticleFileError(f"article text too long ({size:,} bytes; the limit is {max_text_bytes:,})")
    title = _clean(doc.title)
    site = _clean(doc.sitename)
    page_url = _clean(doc.url) or url
    authors = choose_authors(evidence, title=title, site=site, url=page_url, fallback=doc.author)
    raw = RawArticle(
        text=body,
        title=title,
        author=AUTHOR_SEPARATOR.join(authors) or None,
        authors=tuple(authors),
        url=page_url,
        published=_clean(doc.date),
        publication=site,
        standfirst=_standfirst(_clean(doc.description), body, title),
        source_path=source_path,
    )
    return Page(raw=raw, authors=tuple(authors), trafilatura_author=_clean(doc.author))


# --- decoding ------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I
)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); so do we.
_AS_CP1252 = {"latin_1", "iso8859-1", "ascii", "cp1252", "iso8859_1"}


def decode_html(data: bytes) -> str:
    """A page's bytes as text: a byte-order mark first; then UTF-8 when the bytes are valid UTF-8
    (a page that declares latin-1 but is valid UTF-8 is UTF-8); then the charset the page declares
    in ``<meta charset>``, ``http-equiv`` or ``<?xml encoding?>``; then trafilatura's detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared is not None:
        return data.decode(declared, errors="replace")
    from trafilatura.utils import decode_file

    return decode_file(data)


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset the page declares in its first 4 KB, if it names a known one."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "ignore")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # bytes that spell out <meta charset> in ASCII are not UTF-16; browsers read UTF-8 too
    return "cp1252" if name in _AS_CP1252 else name


# --- evidence ------------------------------------------------------------------------------------

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "textarea"})
_BYLINE_ATTR = re.compile(
    r"byline|author|writer|contributor|creator|reporter|columnist|dateline|(?:written|posted|submitted)[-_]?by", re.I
)
_NOT_BYLINE_ATTR = re.compile(r"bio|description|about|avatar|image|photo|img|twitter|social|follow|comment", re.I)
_BY = re.compile(
    r"^\s*(?:(?:written|posted|words|story|text|reporting|report|published|compiled)(?:\s+and\s+\w+)?\s+)?"
    r"by\b\s*:?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 header footer section article aside nav main br hr td th tr table "
    "figure figcaption blockquote address time".split()
)
_MAX_SPAN_PIECES = 40  # a byline element holds a few names, a role and a date, not a story list
# Text between two names of one byline: "and", ",", or a dateline-style place ("in London and").
_SEPARATOR_ONLY = re.compile(
    r"\s*(?:(?:in|at|from)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*)?(?:,|and|&|AND|;|\||/|·|•|-|–|—)?\s*"
)
_NEAR_PIECES = 6  # text nodes: bylines this close to the nearest one count as equally near
_HANDLE_DISTANCE = 12  # a bare handle counts as the byline only right by the headline
_ACCOUNT_LINK = re.compile(r"/(?:log-?(?:in|out)|sign-?(?:in|up|out)|register|settings|account|password)\b", re.I)
_KIND_RANK = {"by": 0, "itemprop": 0, "rel": 1, "link": 1, "class": 2}
# A link to a person's page on the site: /author/jane-doe, /people/jdoe, /u/jdoe, /profile/123.
_PROFILE_LINK = re.compile(
    r"/(?:authors?|by|writers?|editors?|contributors?|columnists?|journalists?|reporters?|staff|people|profiles?|users?|u)"
    r"/[^/?#\s]+/?(?:$|[?#])",
    re.I,
)


@dataclass(slots=True)
class Evidence:
    """Author evidence read from one page before extraction."""

    jsonld: list[str] = field(default_factory=list)  # person names and raw author strings
    jsonld_orgs: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # publisher, copyright holder, site name
    # "Written by" in twitter:label/data (WordPress SEO plugins): the account that posted the page,
    # which on magazines is often an editor rather than the writer the byline names.
    posted_by: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)  # the page's visible text nodes, in order
    starts: list[bool] = field(default_factory=list)  # whether each begins a block (not mid-sentence)
    headlines: list[tuple[int, str]] = field(default_factory=list)  # (piece index, h1 text)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # byline elements: (start, end, kind)


def _collect(tree: HtmlElement) -> Evidence:
    evidence = Evidence()
    _read_jsonld(tree, evidence)
    _read_meta(tree, evidence)
    _read_body(tree, evidence)
    return evidence


def _read_jsonld(tree: HtmlElement, evidence: Evidence) -> None:
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        data = _load_json(script.text)
        if data is not None:
            data, trimmed = _bounded_json(data)
            if trimmed:  # trafilatura reads the block too: give it the bounded one
                script.text = json.dumps(data)
            nodes.extend(_json_nodes(data))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def rank(node: dict[str, Any]) -> int:
        types = " ".join(_as_list(node.get("@type"))).lower()
        return 0 if ("article" in types or "posting" in types) else 1

    for node in nodes:
        for key in ("publisher", "copyrightHolder", "sourceOrganization"):
            for owner in _as_list(node.get(key)):
                name = owner.get("name") if isinstance(owner, dict) else owner
                if isinstance(name, str):
                    evidence.owners.append(name)
    for node in sorted((n for n in nodes if "author" in n or "creator" in n), key=rank):
        if _is_type(node, "person", "organization"):
            continue
        for value in _as_list(node.get("author") or node.get("creator")):
            if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
                value = by_id[value["@id"]]
            if len(evidence.jsonld) + len(evidence.jsonld_orgs) >= MAX_AUTHORS:
                break
            if isinstance(value, str):
                evidence.jsonld.append(unescape(value))
            elif isinstance(value, dict):
                name = value.get("name")
                if isinstance(name, list):
                    name = " ".join(n for n in name if isinstance(n, str))
                if not isinstance(name, str):
                    given, family = value.get("givenName"), value.get("familyName")
                    name = f"{given} {family}" if isinstance(given, str) and isinstance(family, str) else None
                if not name:
                    continue
                name = unescape(name)  # some sites escape their JSON-LD as if it were HTML
                if _is_type(value, "organization", "newsmediaorganization", "corporation", "website"):
                    evidence.jsonld_orgs.append(name)
                else:
                    evidence.jsonld.append(name)
        if evidence.jsonld or evidence.jsonld_orgs:
            break  # the best-ranked node that names an author is the article's


def _load_json(text: str) -> Any:
    text = text.strip()
    for candidate in (text, re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$|;\s*$", "", text)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _json_nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _json_nodes(data[key], depth + 1)


def _bounded_json(data: Any, depth: int = 0) -> tuple[Any, bool]:
    """JSON-LD with every list cut to MAX_JSON_ITEMS items and every author list to MAX_AUTHORS,
    and whether anything was cut."""
    if depth > 20:
        return None, True
    trimmed = False
    if isinstance(data, list):
        if len(data) > MAX_JSON_ITEMS:
            data, trimmed = data[:MAX_JSON_ITEMS], True
        out = []
        for item in data:
            item, cut = _bounded_json(item, depth + 1)
            out.append(item)
            trimmed = trimmed or cut
        return out, trimmed
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if key in ("author", "creator") and isinstance(value, list) and len(value) > MAX_AUTHORS:
                value, trimmed = value[:MAX_AUTHORS], True
            value, cut = _bounded_json(value, depth + 1)
            result[key] = value
            trimmed = trimmed or cut
        return result, trimmed
    return data, False


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _is_type(node: dict[str, Any], *names: str) -> bool:
    return any(isinstance(t, str) and t.lower() in names for t in _as_list(node.get("@type")))


_META_AUTHOR_KEY = re.compile(r"(?:^|[:._-])(?:authors?|creator|byl|byline)(?:[:._-]?name)?$", re.I)


_META_OWNER_KEYS = frozenset(
    {"copyright", "og:site_name", "application-name", "article:publisher", "publisher", "dc.publisher", "dc.rights"}
)


def _read_meta(tree: HtmlElement, evidence: Evidence) -> None:
    labels: dict[str, str] = {}  # twitter:label1 "Written by" -> twitter:data1 "Jane Doe" (as WordPress writes)
    authors = 0
    dropped: list[HtmlElement] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        value = meta.get("content") or meta.get("value")  # some saved pages write value= for content=
        if not key or not value:
            continue
        if _META_AUTHOR_KEY.search(key) or "author" in key:
            authors += 1
            if authors > MAX_AUTHORS:  # neither read here nor left for trafilatura
                dropped.append(meta)
                continue
            if len(value) > MAX_META_CHARS:
                value = _cut(value, MAX_META_CHARS)
                meta.set("content" if meta.get("content") else "value", value)
        if key.startswith("twitter:label"):
            labels[key.removeprefix("twitter:label")] = value
            continue
        if key.startswith("twitter:data"):
            label = labels.get(key.removeprefix("twitter:data"), "")
            if re.search(r"\b(?:written by|author)", label, re.I):
                evidence.posted_by.append(value)
            continue
        if key.startswith("twitter:"):
            continue
        if key == "parsely-page":
            data = _load_json(value)
            if isinstance(data, dict):
                names = _as_list(data.get("author") or data.get("authors"))
                evidence.meta.extend(v for v in names if isinstance(v, str))
        elif _META_AUTHOR_KEY.search(key):
            evidence.meta.append(value)
        elif key in _META_OWNER_KEYS:
            evidence.owners.append(value)
    for meta in dropped:
        parent = meta.getparent()
        if parent is not None:
            parent.remove(meta)


def _cut(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, at the last separator of names before it."""
    head = value[:limit]
    at = max(head.rfind(c) for c in ",;|/&\n")
    return head[:at] if at > 0 else head


def _read_body(tree: HtmlElement, evidence: Evidence) -> None:
    """Walk the body once: its text nodes in order, where the headlines are, and the spans of
    elements that carry a byline (by class, id, itemprop or rel)."""
    from lxml import etree

    pieces = evidence.pieces
    starts = evidence.starts
    skip_depth = 0  # inside script, style and the like: their text is not the page's
    boundary = True  # a block began or ended since the last text node
    h1_start: int | None = None
    opened: list[tuple[int, str | None]] = []

    def add(text: str | None) -> None:
        nonlocal boundary
        if text and text.strip():
            pieces.append(text)
            starts.append(boundary)
            boundary = False

    for event, el in etree.iterwalk(tree, events=("start", "end", "comment")):
        if event == "comment":
            if not skip_depth:
                add(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if skip_depth or tag in _SKIP_TAGS:
                skip_depth += 1
                continue
            opened.append((len(pieces), _byline_kind(el)))
            boundary = boundary or tag in _BLOCK_TAGS
            if tag == "h1" and h1_start is None:
                h1_start = len(pieces)
            add(el.text)
            continue
        if skip_depth:
            skip_depth -= 1
            if skip_depth:
                continue
        else:
            start, kind = opened.pop()
            if kind and len(pieces) > start:
                evidence.spans.append((start, len(pieces), kind))
            if tag == "h1" and h1_start is not None:
                evidence.headlines.append((h1_start, " ".join(" ".join(pieces[h1_start:]).split())))
                h1_start = None
        boundary = boundary or tag in _BLOCK_TAGS
        add(el.tail)


def _byline_kind(el: HtmlElement) -> str | None:
    if "author" in (el.get("itemprop") or "").lower():
        return "itemprop"
    if "author" in (el.get("rel") or "").lower().split():
        return "rel"
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    if _BYLINE_ATTR.search(attrs) and not _NOT_BYLINE_ATTR.search(attrs):
        return "class"
    href = (el.get("href") or "") if el.tag == "a" else ""
    if href and _PROFILE_LINK.search(href) and not _ACCOUNT_LINK.search(href):
        return "link"
    return None


# --- names ---------------------------------------------------------------------------------------

_NAME_TOKEN = re.compile(rf"^{TOKEN}$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$|^(?:[A-Z]\.){1,3}[A-Z]?$")
_PARTICLE_RE = re.compile(rf"^{PARTICLE}$")
_HONORIFIC_RE = re.compile(r"^(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?$")
_SUFFIX_RE = re.compile(r"^(?:Jr\.?|Sr\.?|II|III|IV)$")
_NICKNAME = re.compile(r"^[\"“‘'][^\"“”‘’']{2,30}[\"”’']$")

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Words that end a name in a byline: roles, interface labels, what follows a name on a page.
_STOP = frozenset(
    """
    staff writer writers editor editors reporter reporters correspondent correspondents contributor contributors
    columnist columnists producer producers fellow analyst senior junior chief deputy associate assistant managing
    executive contributing special national international political politics business news desk team bureau
    ceo cto cfo founder president director head lead host anchor photographer photographers illustrator
    updated update version published posted modified last view views link copied copy more follow following share shares
    email e-mail contact see full bio profile read comments comment min minute minutes ago hour hours today
    yesterday and or with the for from in at of on by via about all articles stories posts archive rss feed
    get subscribe sign log print save sponsored advertisement opinion analysis review video audio photo image
    """.split()
)
# Words that make a credit an organisation rather than a person.
_ORG_WORDS = frozenset(
    """
    news post times daily journal press media insider magazine network group inc ltd llc staff team desk reuters
    associated wire service agency online herald tribune telegraph guardian gazette review weekly report radio tv
    television
    broadcasting company corporation university institute foundation committee council department office
    editorial board contributors newsroom club association society center centre
    """.split()
)
_URL_OR_MAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|@\w+")
_SEPARATORS = re.compile(r"\s*(?:[;|·•/\n]|\s[-–—]\s|,(?!\s*(?:Jr|Sr)\b)|\s+(?:and|with|&)\s+|&)\s*", re.I)


def byline_names(value: str, *, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """The people a byline string names, cleaned: "By JANE DOE and John Roe, Staff Writers" ->
    ["Jane Doe", "John Roe"]. Roles, dates, addresses and handles are dropped."""
    parts = _parts(value)[:MAX_NAMES_PER_VALUE]
    return _dedupe(n for part in parts if (n := person_name(part, stop_words=stop_words)))


def _parts(value: str) -> list[str]:
    value = normalise(value).strip()
    by = _BY.match(value)
    if by:
        value = by.group("rest")
    value = re.sub(r"^(?:authors?|autor|auteur|byline)\s*:\s*", "", value, flags=re.I)
    value = _URL_OR_MAIL.sub("\n", value)
    value = re.sub(r"\((?:[^()]{0,40})\)|\[[^\]]{0,40}\]", " ", value)  # "(R.J.)", "(@handle)", "[Updated]"
    return [p for p in _SEPARATORS.split(value) if p and p.strip()]


def person_name(part: str, *, stop_words: frozenset[str] = frozenset()) -> str | None:
    """The person's name at the start of one byline part ("Jane Doe Staff Writer" ->
    "Jane Doe"), or None when the part does not start with one."""
    part = _BY.sub(r"\g<rest>", part.strip()).strip(" \t,:;-–—")
    if not re.search(r"(?:\b[A-Z]|\bJr|\bSr)\.$", part):
        part = part.rstrip(".")
    if not part or len(part.split()) > 9:
        return None
    letters = [c for c in part if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        part = part.title()  # JANE DOE
    tokens = _name_tokens(part)
    if tokens and _HONORIFIC_RE.match(tokens[0]):
        tokens = tokens[1:]  # "Dr. Jane Doe": the byline's person is Jane Doe
    names: list[str] = []
    for i, token in enumerate(tokens):
        bare = token.rstrip(",")
        low = fold(bare.rstrip("."))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if low in stop_words or low in _STOP:
            break
        if low in _MONTHS and (not nxt or nxt[:1].isdigit() or len(names) >= 2):
            break
        if bare in NOT_NAMES and low not in _MONTHS and not names:
            return None
        if (
            _NAME_TOKEN.match(bare)
            or _INITIALS.match(bare)
            or _NICKNAME.match(bare)
            or (names and _SUFFIX_RE.match(bare))
            or (names and _is_particle(bare) and _particle_leads_to_name(tokens[i + 1 :]))
        ):
            names.append(bare)
        else:
            break
    names = _undouble(names)
    core = [t for t in names if not _is_particle(t) and not _NICKNAME.match(t) and not _SUFFIX_RE.match(t)]
    if not 2 <= len(core) <= 5 or all(_INITIALS.match(t) for t in core):
        return None
    if any(fold(t) in _ORG_WORDS for t in core) or all(t in NOT_NAMES for t in core):
        return None
    if _INITIALS.match(core[-1]) and len(core[-1]) <= 2:
        return None  # "Doe J." is a name cut short or a reference, not a byline
    return " ".join(names)


def _is_particle(token: str) -> bool:
    return token.islower() and bool(_PARTICLE_RE.match(token))


def _particle_leads_to_name(rest: list[str]) -> bool:
    """ "van der Berg": particles are part of a name only when a name word follows them."""
    for token in rest:
        bare = token.rstrip(",")
        if _is_particle(bare):
            continue
        return bool(_NAME_TOKEN.match(bare))
    return False


def _name_tokens(part: str) -> list[str]:
    """Whitespace tokens, with a quoted nickname ("Bobby Joe") kept as one token."""
    out: list[str] = []
    for m in re.finditer(r"[\"“][^\"“”]{2,30}[\"”]|\S+", part):
        out.append(m.group(0))
    return out


def _undouble(tokens: list[str]) -> list[str]:
    """A name printed twice by a layout ("Jane Doe Jane Doe") once ("Jane Doe")."""
    n = len(tokens)
    if n >= 4 and n % 2 == 0 and tokens[: n // 2] == tokens[n // 2 :]:
        return tokens[: n // 2]
    return tokens


def organisation_name(value: str, *, whole: bool = False, handle: bool = False) -> str | None:
    """A credit that names no person but an organisation ("Example Staff", "Example News"), cleaned.
    ``whole``: the value is known to be one name (a JSON-LD Organization), "and" included;
    ``handle``: a user name ("harbourfan") may be in lower case."""
    parts = [_BY.sub(r"\g<rest>", normalise(value).strip())] if whole else _parts(value)
    if len(parts) != 1:
        return None
    text = " ".join(parts[0].split()).strip(" ,.:;-–—")
    words = text.split()
    # A capital first, or a script without case (Chinese, Japanese, Arabic, ...).
    capital = text[:1].isupper() or all(c.lower() == c.upper() for c in text if c.isalpha())
    capital = capital or (handle and bool(re.fullmatch(r"[^\W\d_][\w.-]{2,30}", text)))
    if not 1 <= len(words) <= 6 or any(c.isdigit() for c in text) or not capital:
        return None
    if len(words) == 1 and (fold(text) in _STOP or len(text) < 3):
        return None
    if all(fold(w) in _STOP or w in NOT_NAMES for w in words):
        return None  # "Log In", "Read More"
    if fold(text) in {"staff", "admin", "administrator", "editor", "editors", "guest", "unknown", "anonymous"}:
        return None
    return text


def _dedupe(names: Iterable[str]) -> list[str]:
    """Names with each person once, in order of first mention, in its fullest form.

    Two names can be the same person only when their first and last words agree (see _same_person),
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
        same = next((i for i in same_ends if _same_person(keys[i], key)), None)
        if same is None:
            same_ends.append(len(out))
            out.append(name)
            keys.append(key)
        elif len(key) > len(keys[same]):  # keep the fuller form: "Jane Q. Doe" over "Jane Doe"
            out[same], keys[same] = name, key
    return out


def name_key(name: str) -> tuple[str, ...]:
    """A name as folded word tokens, for comparing names: case, accents and punctuation ignored."""
    return tuple(re.findall(r"\w+", fold(name)))


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    # "Jane Doe" and "Jane Q. Doe": same first and last word, the shorter's words all in the longer.
    return len(short) >= 2 and short[0] == long_[0] and short[-1] == long_[-1] and set(short) <= set(long_)


# --- choosing ------------------------------------------------------------------------------------


def choose_authors(
    evidence: Evidence,
    *,
    title: str | None = None,
    site: str | None = None,
    url: str | None = None,
    fallback: str | None = None,
) -> list[str]:
    """The page's authors from its evidence (see the module docstring for the order)."""
    stop = _site_words(site, url)
    visible = _visible_bylines(evidence, title, stop)
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
        _names([fallback] if fallback else [], stop),
    ]
    # People the page credits for photographs, styling, video and the like did not write it, even
    # where a meta tag lists every contributor.
    credited = _credited(evidence, stop)
    found = [[n for n in names if name_key(n) not in credited] or names for names in found]
    # The publisher is not an author ("Example Media Group" in a meta tag beside the writer's name), but a
    # blog's owner often is: a source that names only the owner is used when no other names anyone.
    owners = [set(name_key(o)) for o in (*evidence.owners, site or "") if name_key(o)]
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
                any(_same_person(name_key(c), name_key(o)) for o in other) for c in chosen
            ):
                chosen = other
        return _dedupe(chosen)
    return declared[:1]


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
    """Names in declared values (JSON-LD, meta tags), where "jane doe" in lower case is still a name."""
    return _dedupe(n for v in values for n in byline_names(v if _has_upper(v) else v.title(), stop_words=stop))


def _has_upper(value: str) -> bool:
    return any(c.isupper() for c in value)


def _site_words(site: str | None, url: str | None) -> frozenset[str]:
    """Words of the site's own name and address: "Jane Doe ExampleNews" ends before "ExampleNews"."""
    words: set[str] = set()
    if site:
        words.update(w for w in re.findall(r"\w+", fold(site)) if len(w) > 2)
    if url:
        host = urlsplit(url).hostname or ""
        labels = [label for label in host.split(".") if label not in {"www", "com", "org", "net", "co", "uk"}]
        words.update(label for label in labels if len(label) > 2)
    return frozenset(words)


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
    for i, piece in enumerate(pieces):
        m = _BY.match(piece)
        if m and len(piece.split()) <= 12 and _starts_line(evidence, i):
            run = [m.group("rest"), *pieces[i + 1 : i + 8]]
            found.append(_byline(_distance(i, anchor), "by", run, stop))
    for start, end, kind in evidence.spans:
        if end - start > _MAX_SPAN_PIECES or (kind == "link" and not _stands_alone(evidence, start, end)):
            continue
        texts = pieces[start:end]
        by = next((j for j, t in enumerate(texts) if _BY.match(t) and len(t.split()) <= 12), None)
        if by is not None:  # "Section  By A and B  Date": only what follows "By"
            run = [_BY.sub(r"\g<rest>", texts[by]), *texts[by + 1 :]]
            found.append(_byline(_distance(start, anchor), kind, run, stop))
        else:
            byline = _byline(_distance(start, anchor), kind, texts, stop, skip=3)
            if byline.names:  # "<a rel=author>A</a> and <a rel=author>B</a>": B follows outside A's element
                byline.names.extend(_more_names(pieces, end, stop))
            found.append(byline)
    return [b for b in found if b.names or b.credit]


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
        if found:
            names.extend(found)
            continue
        if names or skipped >= skip:
            break
        skipped += 1
    return _dedupe(names)


def _starts_with_name(text: str, stop: frozenset[str]) -> bool:
    parts = _parts(text)
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


# --- text ----------------------------------------------------------------------------------------


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph a line; the parser reads blank-line separated paragraphs."""
    return "\n\n".join(line.strip() for line in normalise(text).split("\n") if line.strip())


def _standfirst(description: str | None, body: str, title: str | None) -> str | None:
    """The page's description as standfirst, unless it only repeats the title or the opening text."""
    if not description:
        return None
    key = re.sub(r"\W+", " ", fold(description)).strip()
    key = re.sub(r"\s*(?:\.\.\.|…)$", "", key)
    if not key or len(description.split()) > 60:
        return None
    if title and key == re.sub(r"\W+", " ", fold(title)).strip():
        return None
    opening = re.sub(r"\W+", " ", fold(body[: len(description) + 200])).strip()
    if opening.startswith(key[: max(40, int(len(key) * 0.8))]):
        return None
    return description


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None
