"""A page's JSON-LD, read once for everything that uses it: the headline (bot.sources.titles) and
the authors and publisher (bot.sources.evidence).

Every ``<script type="application/ld+json">`` block is parsed leniently (HTML comment or CDATA
wrappers and a trailing semicolon are tolerated), and its nodes are listed in document order: the
block's own objects, and those under ``@graph``, ``mainEntity`` and ``itemListElement`` (the last
marked as listed: the items of a list page are other pages, not this one). What makes reading cost
more than linear is bounded: every list is cut to MAX_JSON_ITEMS items and every author list to
MAX_AUTHORS, and a block that was cut is written back into the tree, so that trafilatura, which
reads JSON-LD itself, never sees more than these bounds allow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MAX_AUTHORS = 20  # author values kept in one JSON-LD node
MAX_JSON_ITEMS = 100  # items of any one list in a JSON-LD block
MAX_DEPTH = 6  # nesting of @graph, mainEntity and itemListElement followed
_ARTICLE_WORDS = ("article", "posting", "blog", "report")


@dataclass(slots=True)
class JsonLd:
    """The JSON-LD nodes of one page, in document order."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    listed: list[bool] = field(default_factory=list)  # per node: read from an itemListElement

    def page_nodes(self) -> list[dict[str, Any]]:
        """The nodes about this page (not the items of a list it carries)."""
        return [n for n, listed in zip(self.nodes, self.listed, strict=True) if not listed]

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {n["@id"]: n for n in self.nodes if isinstance(n.get("@id"), str)}

    def owners(self) -> list[str]:
        """Names of the organisations that publish or own the page (publisher, copyright holder)."""
        out: list[str] = []
        for node in self.nodes:
            for key in ("publisher", "copyrightHolder", "sourceOrganization"):
                for owner in as_list(node.get(key)):
                    name = owner.get("name") if isinstance(owner, dict) else owner
                    if isinstance(name, str) and name.strip():
                        out.append(name)
        return out


def read_jsonld(tree: HtmlElement) -> JsonLd:
    """Every JSON-LD node of the page; blocks over the bounds are cut in ``tree`` too."""
    found = JsonLd()
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        data = load_json(script.text)
        if data is None:
            continue
        data, trimmed = _bounded(data)
        if trimmed:  # trafilatura reads the block too: give it the bounded one
            script.text = json.dumps(data)
        for node, listed in _nodes(data, 0, False):
            found.nodes.append(node)
            found.listed.append(listed)
    return found


def load_json(text: str) -> Any:
    """JSON from a script or attribute, tolerating comment and CDATA wrappers; None when unreadable."""
    text = text.strip()
    for candidate in (text, re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$|;\s*$", "", text)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def types(node: dict[str, Any]) -> list[str]:
    """The node's ``@type`` values, lower case."""
    return [t.lower() for t in as_list(node.get("@type")) if isinstance(t, str)]


def is_type(node: dict[str, Any], *names: str) -> bool:
    return any(t in names for t in types(node))


def is_article(node: dict[str, Any]) -> bool:
    """An Article, NewsArticle, BlogPosting, Report and the like."""
    return any(word in t for t in types(node) for word in _ARTICLE_WORDS)


def _nodes(data: Any, depth: int, listed: bool) -> Iterator[tuple[dict[str, Any], bool]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1, listed)
    elif isinstance(data, dict):
        yield data, listed
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _nodes(data[key], depth + 1, listed or key == "itemListElement")


def _bounded(data: Any, depth: int = 0) -> tuple[Any, bool]:
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
            item, cut = _bounded(item, depth + 1)
            out.append(item)
            trimmed = trimmed or cut
        return out, trimmed
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if key in ("author", "creator") and isinstance(value, list) and len(value) > MAX_AUTHORS:
                value, trimmed = value[:MAX_AUTHORS], True
            value, cut = _bounded(value, depth + 1)
            result[key] = value
            trimmed = trimmed or cut
        return result, trimmed
    return data, False
