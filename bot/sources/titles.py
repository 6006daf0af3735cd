"""A page's headline, chosen among the candidates the page itself offers.

Candidates: the JSON-LD ``headline`` (or ``name``) of an article node, ``og:title``, ``twitter:title``,
``dc.title``/``dcterm:title``/``parsely-title`` (an RDFa element with several properties, "og:title
twitter:title", is one candidate), the element the page marks ``itemprop="headline"``, the ``<title>``
element and the page's ``h1`` headings (outside ``nav``, ``aside`` and ``footer``; without permalink
marks such as "¶"; not one marked ``alternativeHeadline``).

An h1 that is the site's masthead names the site instead: one that links to the home page ("/", the
bare domain) or sits in such a link, or whose element or enclosing ones are named for a logo or a
brand; and an h1 that is one part of the ``<title>`` while the other part is a heading (h2, h3)
further down, where no metadata candidate agrees with the h1 ("Blog name - Entry" over h1 "Blog
name" and h3 "Entry").

The site's name is taken off a candidate's ends where a separator (``|``, ``-``, ``–``, ``—``, ``·``,
``:``, ``_``, ``»``) sets it apart and that part is the site's name (``og:site_name``,
``application-name``, the JSON-LD publisher, a masthead), a label of the page's domain, or text no
other candidate carries while the rest agrees with another candidate (that text then names the site
for the other candidates too). A section's or product's label before a colon ("Review: ",
"Exclusive: ") goes only where another candidate is the headline without it. Direction marks
(Hebrew and Arabic titles) are dropped first.

A candidate that is only the site's name, or that merely names the site among a few words (a
"Get X in your inbox" prompt, an "X Logo"), is not a headline. Among the rest, each candidate
scores one point per other voice that agrees with it (same words, or one the start or end of the
other). Copies of one field are one voice: the social cards (Open Graph, Twitter, Dublin Core) are
written from one value, and the h1s of a page are one; the article's opening text is a voice only
where it is not an h1 again (trafilatura keeps the h1 as the text's first line). Metadata
candidates break ties before headings (a page has one ``og:title`` but many headings, some of them
navigation). Of candidates that agree, the shortest that the chosen one starts or ends with is the
headline ("Headline" under "Headline (Published 2016)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.core.text import fold
from bot.sources.jsonld import JsonLd, is_article, read_jsonld, types

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MAX_CANDIDATE_CHARS = 400  # longer is a paragraph, not a headline
MAX_HEADINGS = 5  # h1 elements read (a page with dozens of h1 styles them as paragraphs)
MAX_SUBHEADS = 30  # h2 and h3 elements read after the h1

_SEPARATORS = re.compile(r"\s+(?:[|\-–—·»:_~/]|::)\s+|\s*[|｜_]\s*|\s*:(?=[^\s\d])|\s+[:：]\s*")
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer", "aside"})


@dataclass(slots=True)
class TitleEvidence:
    """Headline candidates read from one page before extraction, in order of trust."""

    meta: list[tuple[str, str]] = field(default_factory=list)  # (source, text): jsonld, og, twitter, title
    headings: list[str] = field(default_factory=list)  # h1 texts in document order
    subheads: list[str] = field(default_factory=list)  # h2 and h3 texts after the first h1
    sites: list[str] = field(default_factory=list)  # the site's own names


def collect_titles(tree: HtmlElement, jsonld: JsonLd | None = None) -> TitleEvidence:
    """The page's headline candidates and site names (``jsonld``: the page's JSON-LD, when already
    read by bot.sources.jsonld.read_jsonld); reads ``tree`` and changes nothing in it but a JSON-LD
    block over bot.sources.jsonld's bounds, which that module cuts."""
    found = TitleEvidence()
    _read_jsonld(jsonld if jsonld is not None else read_jsonld(tree), found)
    for meta in tree.iter("meta"):
        # RDFa lets one element carry several properties ("og:title twitter:title"): one candidate.
        keys = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower().split()
        value = _clean(meta.get("content"))
        if not value:
            continue
        source = next((_META_TITLES[k] for k in keys if k in _META_TITLES), None)
        if source:
            found.meta.append((source, value))
        if any(k in _META_SITES for k in keys):
            found.sites.append(value.lstrip("@"))
    for title in tree.iter("title"):
        value = _clean(title.text_content())
        if value:
            found.meta.append(("title", value))
        break
    for el in tree.xpath("//body//*[@itemprop][not(self::meta)]"):
        if "headline" in (el.get("itemprop") or "").lower().split() and not _skipped(el):
            value = _clean(_heading_text(el))
            if value:  # the publisher's own markup names its headline
                found.meta.append(("itemprop", value))
                break
    for h1 in tree.iter("h1"):
        if len(found.headings) >= MAX_HEADINGS:
            break
        if _skipped(h1) or "alternativeheadline" in (h1.get("itemprop") or "").lower():
            continue
        value = _clean(_heading_text(h1))
        if not value:
            continue
        if _is_masthead(h1):
            found.sites.append(value)  # the site's name over every page, not this one's headline
        else:
            found.headings.append(value)
    if found.headings:
        for h in tree.xpath("//h1[1]/following::*[self::h2 or self::h3]")[:MAX_SUBHEADS]:
            value = _clean(_heading_text(h))
            if value and not _skipped(h):
                found.subheads.append(value)
    return found


_META_TITLES = {
    "og:title": "og",
    "twitter:title": "twitter",
    "headline": "itemprop",
    **dict.fromkeys(("dc.title", "dc:title", "dcterms.title", "dcterm:title", "parsely-title"), "dc"),
}
_META_SITES = frozenset({"og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site"})
# What marks a heading as the site's masthead: a class or id of a logo or a brand, or hidden.
_MASTHEAD_ATTR = re.compile(r"(?<![a-z])(?:logo|brand|branding|masthead|site-?(?:title|name|logo))(?![a-z])", re.I)


def _skipped(el: HtmlElement) -> bool:
    return any(a.tag in _SKIP for a in el.iterancestors() if isinstance(a.tag, str))


def _heading_text(el: HtmlElement) -> str:
    """A heading's text without its permalink anchors (an ``<a>`` holding only "¶", "#" or an icon)."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP and not _is_anchor_mark(child):
            out.append(_heading_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _is_anchor_mark(el: HtmlElement) -> bool:
    return el.tag == "a" and not any(c.isalnum() for c in el.text_content())


def _is_masthead(h1: HtmlElement) -> bool:
    """An h1 that is the site's name on every page: one that links to the site's home page, is
    inside such a link, or whose own or enclosing element is named for a logo or brand
    (``class="logo"``, ``id="site-title"``)."""
    links = [*h1.iter("a"), *(a for a in h1.iterancestors() if a.tag == "a")]
    if any(_is_home(a.get("href") or "") for a in links):
        return True
    for el in [h1, *h1.iterancestors()][:3]:
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _MASTHEAD_ATTR.search(attrs):
            return True
    return False


def _is_home(href: str) -> bool:
    """A link to a site's home page: "/", "./", "index.html", "https://example.com/"."""
    href = href.strip()
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href)
    path = parts.path or "/"
    return not parts.query and re.fullmatch(r"\.?/?(?:index\.\w+)?", path) is not None


def choose_title(
    found: TitleEvidence,
    *,
    body: str = "",
    site: str | None = None,
    url: str | None = None,
    fallback: str | None = None,
) -> str | None:
    """The page's headline, or ``fallback`` (trafilatura's choice) when the page offers no candidate."""
    raw = [(src, text) for src, text in found.meta] + [("h1", h) for h in found.headings]
    if fallback and not raw:
        raw = [("fallback", fallback)]
    whole = [_key(t) for _, t in raw]
    # A "site name" that is a whole headline candidate is a misreading (trafilatura guesses site
    # names from the title), and so is one of more than eight words.
    metas = {_key(t) for src, t in raw if src != "h1"}
    names = {_key(s) for s in [*found.sites, site or ""] if s and len(s.split()) <= 8}
    names = {n for n in names if n and n not in metas} | _domain_labels(url)
    # An h1 that is one part of the <title> while the other part is a heading further down ("Blog
    # name - Entry title" over h1 "Blog name" and h3 "Entry title") is the site's name.
    mastheads = _named_by_subheads(found, raw)
    names |= mastheads
    raw = [(src, t) for src, t in raw if not (src == "h1" and _key(t) in mastheads)]
    whole = [_key(t) for _, t in raw]
    stripped_all: list[tuple[str, str]] = []
    rests: set[str] = set()
    for src, text in raw:
        key = _key(text)
        # A candidate another one repeats whole is kept whole; else a run of it may agree with another.
        others = [] if whole.count(key) > 1 else [w for w in whole if w != key]
        stripped, rest = _strip_site(text, names, others)
        rests |= {_key(r) for r in rest}  # what a title carries besides the headline names the site
        stripped_all.append((src, stripped))
    kept = " | ".join(_key(t) for src, t in stripped_all if src != "h1")
    names |= {r for r in rests if r and r not in kept}
    candidates = [(src, t) for src, t in stripped_all if t and not _is_site_or_prompt(t, names)]
    if not candidates:
        # Only the site's name on offer: a home or section page, which the site's name titles best.
        metas_only = [t for src, t in stripped_all if src != "h1" and t]
        return metas_only[0] if metas_only else fallback
    longest = max((len(_key(t)) for src, t in candidates if src != "h1"), default=0)
    title_keys = " | ".join(_key(t) for src, t in raw if src != "h1")
    opening = _key(body[:1000])
    # The body's opening is another voice only where it is not the page's h1 again (trafilatura
    # keeps the h1 as the text's first line).
    heard = not any(opening == _key(h) or opening.startswith(_key(h) + " ") for h in found.headings)
    best: tuple[int, int, int] | None = None
    source = ""
    choice = None
    for rank, (src, text) in enumerate(candidates):
        key = _key(text)
        group = _GROUPS.get(src, src)
        support = len(
            {_GROUPS.get(s2, s2) for s2, t2 in candidates if _GROUPS.get(s2, s2) != group and _agree(key, _key(t2))}
        )
        if heard and (opening == key or opening.startswith(key + " ")) and len(key) >= 10:
            support += 1
        score = (-support, _tier(src, text, longest, title_keys), rank)
        if best is None or score < best:
            best, choice, source = score, text, src
    if best is not None and best[0] == 0 and source == "title" and choice is not None:
        choice = _drop_unknown_suffix(choice)
    if choice is not None and best is not None and best[0] < 0:
        choice = _core(choice, [t for _, t in candidates])
    return choice


# Candidates that are copies of one field count as one voice: the social cards (Open Graph, Twitter,
# Dublin Core) are written from one value, and so are the h1s of a page.
_GROUPS = {"og": "social", "twitter": "social", "dc": "social", "h1": "visible", "fallback": "title"}


def _core(choice: str, texts: list[str]) -> str:
    """Among the candidates that agree with the chosen one, the shortest that it starts or ends
    with: "Headline" under "Headline (Published 2016)" and "Headline | Example News"."""
    key = _key(choice)
    best = choice
    for text in texts:
        other = _key(text)
        if (
            len(other) < len(_key(best))
            and _agree(key, other)
            and (key.startswith(other + " ") or key.endswith(" " + other))
        ):
            best = text
    return best


def _named_by_subheads(found: TitleEvidence, raw: list[tuple[str, str]]) -> set[str]:
    """The h1s that name the site: each one part of a candidate whose other part is a heading
    further down, and which no candidate of the page's metadata agrees with."""
    subheads = {_key(h) for h in found.subheads}
    out: set[str] = set()
    for heading in found.headings:
        h = _key(heading)
        if any(src != "h1" and _agree(h, _key(text)) for src, text in raw):
            continue  # the page's metadata names it as the headline
        for src, text in raw:
            if src == "h1":
                continue
            parts = {_key(p) for p in _SEPARATORS.split(text)}
            if h in parts and any(p in subheads for p in parts - {h}):
                out.add(h)
    return out


_SPACED_SEPARATOR = re.compile(r"\s+[|\-–—·»]\s+")


def _drop_unknown_suffix(text: str) -> str:
    """A ``<title>`` nothing else on the page agrees with, without a short last part after a spaced
    separator: "Lorem ipsum dolor sit amet – My website", where the site's name is declared nowhere.
    The headline before it is at least twice as long in words."""
    parts = _SPACED_SEPARATOR.split(text)
    if len(parts) < 2:
        return text
    last = parts[-1].split()
    head = re.sub(r"\s+[|\-–—·»]$", "", text[: text.rfind(parts[-1])].rstrip()).strip()
    head_words = sum(len(p.split()) for p in parts[:-1])
    if 1 <= len(last) <= 4 and len(parts[-1]) <= 30 and head_words >= max(4, 2 * len(last)):
        return head
    return text


def _tier(source: str, text: str, longest_meta: int, longest_key: str) -> int:
    """Ties: the headline the publisher declares (JSON-LD, Open Graph, Twitter card, Dublin Core or
    Parse.ly meta tags), then a
    visible h1 of headline length, then ``<title>``, then other h1s (section names, labels)."""
    if source in {"jsonld", "og", "twitter", "dc", "itemprop"}:
        return 0
    if source == "h1":
        key = _key(text)
        # Chinese, Japanese: few spaces, so long "words"
        unspaced = len(key) >= 8 * len(key.split()) and len(key) >= 0.6 * longest_meta
        headline_like = len(text.split()) >= 4 or unspaced or key in longest_key
        return 1 if headline_like else 3
    return 2


def _read_jsonld(ld: JsonLd, found: TitleEvidence) -> None:
    for node in ld.page_nodes():
        if is_article(node):
            for key in ("headline", "name"):
                value = node.get(key)
                if isinstance(value, str) and _clean(value):
                    found.meta.append(("jsonld", _clean(value) or ""))
                    break
        if any("website" in t or "organization" in t for t in types(node)):
            name = node.get("name")
            if isinstance(name, str) and _clean(name):
                found.sites.append(_clean(name) or "")
        publisher = node.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            found.sites.append(_clean(publisher["name"]) or "")


def _strip_site(text: str, names: set[str], others: list[str]) -> tuple[str, list[str]]:
    """``text`` without a site-name part at either end (see the module docstring), and the parts
    taken off."""
    label = _LABEL.match(text)
    if label and _key(label.group("rest")) in others:
        # "Review: Headline" where another candidate is "Headline": a section's or product's label.
        return label.group("rest"), []
    parts = _SEPARATORS.split(text)
    if len(parts) < 2:
        return text, []
    seps = _SEPARATORS.findall(text)
    # Keep the longest run of parts that agrees with another candidate, when one does.
    for i in range(len(parts)):
        for j in range(len(parts), i, -1):
            if (i, j) == (0, len(parts)):
                continue
            piece = _join(parts, seps, i, j)
            key = _key(piece)
            if len(key) >= 4 and any(key == o for o in others):
                return piece, parts[:i] + parts[j:]
    # Otherwise drop end parts that name the site.
    i, j = 0, len(parts)
    while j - i > 1 and _names_site(parts[j - 1], names):
        j -= 1
    while j - i > 1 and _names_site(parts[i], names):
        i += 1
    return _join(parts, seps, i, j), []


# A label of one to three words before a colon ("Review: ", "Exclusive: ", "Analyse : ").
_LABEL = re.compile(r"^(?P<label>[^\s:|]+(?:\s+[^\s:|]+){0,2})\s*[:：]\s+(?P<rest>\S.*)$")


def _join(parts: list[str], seps: list[str], i: int, j: int) -> str:
    out = parts[i]
    for k in range(i + 1, j):
        out += seps[k - 1] + parts[k]
    return out.strip()


def _names_site(part: str, names: set[str]) -> bool:
    key = _key(part)
    if not key:
        return True
    squashed = key.replace(" ", "")
    return any(key == n or squashed == n.replace(" ", "") for n in names)


def _is_site_or_prompt(text: str, names: set[str]) -> bool:
    """Only the site's name, or a few words around it (a prompt, a logo's alternative text)."""
    key = _key(text)
    if not key:
        return True
    words = key.split()
    squashed = key.replace(" ", "")
    for name in names:
        flat = name.replace(" ", "")
        if not flat:
            continue
        if squashed == flat:
            return True
        if len(words) <= len(name.split()) + 4 and re.search(rf"(?:^| ){re.escape(name)}(?: |$)", key):
            return True
    return False


def _agree(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 0.5 * len(long) and (long.startswith(short) or long.endswith(short))


def _domain_labels(url: str | None) -> set[str]:
    if not url:
        return set()
    host = (urlsplit(url).hostname or "").lower()
    labels = [x for x in host.split(".") if x and x not in {"www", "com", "org", "net", "co", "uk", "jp", "de"}]
    return {x for x in labels if len(x) >= 3}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


# Marks that set the direction of text around a separator in Hebrew and Arabic titles ("כותרת\u200f |
# \u200fהארץ"): invisible, and in the way of the separators.
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(_BIDI_MARKS.sub(" ", value).split())
    return value[:MAX_CANDIDATE_CHARS] or None
