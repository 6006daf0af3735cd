"""A page's author evidence, read from its HTML tree before trafilatura prunes it: JSON-LD author
and publisher nodes (bot.sources.jsonld), author and owner ``<meta>`` tags, and the visible text in
order with where the headline and the byline elements (by class, id, ``itemprop``, ``rel`` or a link
to an author's page) are, and which text lies in the parts of the page around the article (comments,
sidebars, related stories, reference lists: see _is_region). The tree is trimmed to the bounds below
as it is read, so that trafilatura, which reads JSON-LD and meta tags itself, never sees more than
they allow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from bot.core.text import fold
from bot.sources.jsonld import MAX_AUTHORS, JsonLd, as_list, is_type, load_json, read_jsonld, types

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# What makes author-finding cost more than linear is bounded: a byline names a few people, not
# thousands. trafilatura's author normalisation is cubic in the names it is given, and reads JSON-LD
# (bounded by bot.sources.jsonld) and meta tags itself, so the page's tree is trimmed to these bounds
# before trafilatura sees it. MAX_AUTHORS (from bot.sources.jsonld) bounds author meta tags too.
__all__ = ["MAX_AUTHORS", "Evidence", "collect_evidence"]
MAX_META_CHARS = 1_000  # an author meta tag's content (20 names fit in 500)

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "textarea"})
_BYLINE_ATTR = re.compile(
    r"byline|author|writer|contributor|creator|reporter|columnist|dateline|(?:written|posted|submitted)[-_]?by", re.I
)
_NOT_BYLINE_ATTR = re.compile(r"bio|description|about|avatar|image|photo|img|twitter|social|follow|comment", re.I)
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 header footer section article aside nav main br hr td th tr table "
    "figure figcaption blockquote address time".split()
)
_ACCOUNT_LINK = re.compile(r"/(?:log-?(?:in|out)|sign-?(?:in|up|out)|register|settings|account|password)\b", re.I)
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
    # (role, name) of the article node's editor, translator, illustrator and contributor properties
    jsonld_credits: list[tuple[str, str]] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # publisher, copyright holder, site name
    # "Written by" in twitter:label/data (WordPress SEO plugins): the account that posted the page,
    # which on magazines is often an editor rather than the writer the byline names.
    posted_by: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)  # the page's visible text nodes, in order
    starts: list[bool] = field(default_factory=list)  # whether each begins a block (not mid-sentence)
    headlines: list[tuple[int, str]] = field(default_factory=list)  # (piece index, h1 text)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # byline elements: (start, end, kind)
    slugs: list[str] = field(default_factory=list)  # per span: a profile link's last path segment, folded
    around: list[bool] = field(default_factory=list)  # per text node: in comments, a sidebar, references...


def collect_evidence(tree: HtmlElement, jsonld: JsonLd | None = None) -> Evidence:
    """Everything the page says about its authors; trims ``tree`` to the bounds above."""
    evidence = Evidence()
    _read_jsonld(jsonld if jsonld is not None else read_jsonld(tree), evidence)
    _read_meta(tree, evidence)
    _read_body(tree, evidence)
    return evidence


def _read_jsonld(ld: JsonLd, evidence: Evidence) -> None:
    nodes = ld.nodes
    by_id = ld.by_id()

    def rank(node: dict[str, Any]) -> int:
        return 0 if any("article" in t or "posting" in t for t in types(node)) else 1

    evidence.owners.extend(ld.owners())
    _read_jsonld_credits(sorted(nodes, key=rank), by_id, evidence)
    for node in sorted((n for n in nodes if "author" in n or "creator" in n), key=rank):
        if is_type(node, "person", "organization"):
            continue
        for value in as_list(node.get("author") or node.get("creator")):
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
                if is_type(value, "organization", "newsmediaorganization", "corporation", "website"):
                    evidence.jsonld_orgs.append(name)
                else:
                    evidence.jsonld.append(name)
        if evidence.jsonld or evidence.jsonld_orgs:
            break  # the best-ranked node that names an author is the article's


# schema.org's properties of a CreativeWork for people credited besides its author, and their role
# (bot.core.models.CREDIT_ROLES).
_JSONLD_CREDITS = {
    "editor": "editor",
    "translator": "translator",
    "illustrator": "illustrator",
    "contributor": "contributor",
}


def _read_jsonld_credits(nodes: list[dict[str, Any]], by_id: dict[str, Any], evidence: Evidence) -> None:
    """The credits of the first article-like node that declares any."""
    for node in nodes:
        if is_type(node, "person", "organization"):
            continue
        for key, role in _JSONLD_CREDITS.items():
            for value in as_list(node.get(key))[:MAX_AUTHORS]:
                if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
                    value = by_id[value["@id"]]
                if isinstance(value, dict) and is_type(value, "organization"):
                    continue  # a publisher's desk, not a person
                name = value.get("name") if isinstance(value, dict) else value
                if isinstance(name, str) and name.strip():
                    evidence.jsonld_credits.append((role, unescape(name)))
        if evidence.jsonld_credits:
            return


_META_AUTHOR_KEY = re.compile(r"(?:^|[:._-])(?:authors?|creator|byl|byline)(?:[:._-]?name)?$", re.I)


_META_OWNER_KEYS = frozenset(
    {"copyright", "og:site_name", "application-name", "article:publisher", "publisher", "dc.publisher", "dc.rights"}
)


def _read_meta(tree: HtmlElement, evidence: Evidence) -> None:
    labels: dict[str, str] = {}  # twitter:label1 "Written by" -> twitter:data1 "Jane Doe" (as WordPress writes)
    authors = 0
    dropped: list[HtmlElement] = []
    for meta in tree.iter("meta"):
        # RDFa lets one element carry several properties ("dc:creator twitter:site_name"): the one read
        # is the first that names an author, else the first.
        keys = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower().split()
        key = next((k for k in keys if _META_AUTHOR_KEY.search(k)), keys[0] if keys else "")
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
            data = load_json(value)
            if isinstance(data, dict):
                names = as_list(data.get("author") or data.get("authors"))
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
    """Walk the body once: its text nodes in order, where the headlines are, the spans of
    elements that carry a byline (by class, id, itemprop or rel), and which text sits in a part of
    the page around the article (see _is_region)."""
    from lxml import etree

    pieces = evidence.pieces
    starts = evidence.starts
    skip_depth = 0  # inside script, style and the like: their text is not the page's
    boundary = True  # a block began or ended since the last text node
    h1_start: int | None = None
    opened: list[tuple[int, str | None, str, str]] = []  # (first piece, byline kind, link slug, region)
    regions: list[tuple[int, int, str]] = []
    in_article = 0  # article and main elements open

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
            kind = _byline_kind(el)
            slug = _slug(el.get("href") or "") if kind == "link" else ""
            opened.append((len(pieces), kind, slug, _is_region(el, tag, in_article > 0)))
            in_article += tag in ("article", "main")
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
            start, kind, slug, region = opened.pop()
            in_article -= tag in ("article", "main")
            if kind and len(pieces) > start:
                evidence.spans.append((start, len(pieces), kind))
                evidence.slugs.append(slug)
            if region and len(pieces) > start:
                regions.append((start, len(pieces), region))
            if tag == "h1" and h1_start is not None:
                evidence.headlines.append((h1_start, " ".join(" ".join(pieces[h1_start:]).split())))
                h1_start = None
        boundary = boundary or tag in _BLOCK_TAGS
        add(el.tail)
    evidence.around = _around(regions, [i for i, _ in evidence.headlines], pieces)


# Parts of a page around its article: comments, sidebars and their widgets, related stories, a
# reference list. Bylines there are a commenter's, another story's or a cited work's.
_REGION_ATTR = re.compile(
    r"(?<![a-z])(?:comments?|commentlist|sidebar|widgets?|related|recommended|recirc|disqus|respond|replies)(?![a-z])",
    re.I,
)
_REFERENCES_ATTR = re.compile(r"(?<![a-z])(?:references|reflist|bibliography|footnotes|citations)(?![a-z])", re.I)


def _is_region(el: HtmlElement, tag: str, in_article: bool) -> str:
    """Whether ``el`` holds a part of the page around the article, and which: ``nav``; ``aside``,
    ``footer`` and ``header`` outside ``article``/``main`` (inside, they are often the article's own
    byline and meta; a header only on a page whose headline is elsewhere, see _around); an element
    named for comments, a sidebar, widgets, related stories or references, and not also for an
    author. "" when it is not."""
    if tag == "nav" or (tag in ("aside", "footer", "header") and not in_article):
        return tag
    if tag == "article":
        return "article"  # a teaser of another story when another article holds the headline (_around)
    if tag in ("html", "body", "main"):
        return ""
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    if _REFERENCES_ATTR.search(attrs):
        return "references"
    return "named" if _REGION_ATTR.search(attrs) and not _BYLINE_ATTR.search(attrs) else ""


def _around(regions: list[tuple[int, int, str]], headlines: list[int], pieces: list[str]) -> list[bool]:
    """Per text node, whether it lies in a region around the article. A region that holds a
    headline, or half the page's text, holds the article (Blogger calls its posts a "widget") and
    does not count, except a reference list, which can be longer than the article. An article
    counts only when another holds the headline (then it is a teaser of another story); a page's
    header (its user menu: "Log out", "My profile") only on a page with an h1, since without one
    the header may be all the page has for the article's headline and byline."""
    n = len(pieces)
    sizes = [0]
    for piece in pieces:
        sizes.append(sizes[-1] + len(piece.strip()))
    depth = [0] * (n + 1)
    # Several articles, one of which holds the headline: the others are teasers of other stories.
    teasers = any(kind == "article" and any(s <= h < e for h in headlines) for s, e, kind in regions)
    for start, end, kind in regions:
        if (kind == "header" and not headlines) or (kind == "article" and not teasers):
            continue
        if any(start <= h < end for h in headlines):
            continue
        if kind == "references" or 2 * (sizes[end] - sizes[start]) < sizes[n]:
            depth[start] += 1
            depth[end] -= 1
    out: list[bool] = []
    level = 0
    for i in range(n):
        level += depth[i]
        out.append(level > 0)
    return out


def _slug(href: str) -> str:
    """The last path segment of a profile link, folded letters only ("/author/jane-doe/" -> "janedoe")."""
    path = re.split(r"[?#]", href, maxsplit=1)[0].rstrip("/")
    return re.sub(r"[^a-z]", "", fold(unquote(path.rsplit("/", 1)[-1])))


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
