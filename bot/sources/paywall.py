"""Whether a page's article is cut by a paywall, from the page's own markup, in any language.

Publishers tell search engines which part of an article is for subscribers (schema.org, as Google
asks them to): ``"isAccessibleForFree": false`` in the JSON-LD (or microdata, or the meta tag
``article:content_tier`` = ``locked``), and in ``hasPart`` the ``cssSelector`` of the locked part.
A declaration alone does not say the text is missing: many pages carry the locked part in full. So
the page is cut when it declares locked content and

- the locked part it names is on the page but hidden or empty (its text was left out), or
- it names no part found on the page, and an element marked as the paywall (class or id
  ``paywall``, ``regwall``, ...) stands among the article's paragraphs, where the text stops,
  without holding the article itself.

:func:`read_paywall` reads the evidence before hidden elements leave the tree; :func:`is_cut` decides
once the article's text is known.

A page need not declare anything: a paywall also shows in its structure. Where the article's
paragraphs stop, a short block (a call to action) links both to the site's subscription pages and to
its sign-in pages: the address paths say so (``/subscribe``, ``/abo``, ``/suscripcion``, ``/login``,
``/anmelden``, ``/connexion``), in whatever language the block's words are. A newsletter box (an
e-mail field, one link) or a footer of account links after more text is not one. The block is taken
out of the tree, so that its pitch is not read as the article's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from bot.core.cjk import count_words
from bot.sources.jsonld import JsonLd, as_list, read_jsonld

_LOCKED_TIERS = {"locked", "premium", "subscriber", "subscribers"}
_FALSE = {"false", "no", "0"}
# class or id tokens of a paywall's own element ("c-paywall", "regwall__prompt", "PaywallBarrier")
_MARKED = re.compile(r"(?:^|[\s_-])(?:pay-?wall|reg-?wall|registration-?wall|subscriber-?wall)", re.I)
_EMPTY_SECTION_WORDS = 20  # a locked part with fewer words is a placeholder: its text was left out
_PARAGRAPH_WORDS = 10  # a <p> with this many words is prose (the article's), not a button's label
_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?(?:([.#])([A-Za-z0-9_-]+))?$")
_TEXT = etree.XPath("string()")
_MAX_MARKED = 50  # paywall-marked elements looked at: a page marking every paragraph has shown its text
_CALL_WORDS = 80  # a call to action is short; more is a page's footer or the article
_CALL_LEVELS = 4  # from a link up to the block that holds the call to action
_CALL_CHARS = 1_500  # characters of a call to action's text read at most (80 words fit)
_MAX_TARGETS = 20  # subscription links looked at: the paywall's are a few, near the end
# Address path segments of a site's subscription pages and of its sign-in pages, in several languages.
_SUBSCRIBE_PATH = re.compile(
    r"(?:^|[/_.=-])(?:subscri\w*|abonn\w*|abo|suscri\w*|assin\w*|abbonam\w*|premium|checkout|membership|"
    r"digital-?access)(?=$|[/_.?=-])"
)
_LOGIN_PATH = re.compile(
    r"(?:^|[/_.=-])(?:log-?in|sign-?in|anmeld\w*|einloggen|connexion|se-connecter|identification|iniciar-sesion|"
    r"acceso|entrar|accedi|inloggen|account|accounts|my-?account|konto|mein-konto|compte|mon-compte|cuenta|"
    r"mi-cuenta|minha-conta|auth|sso|register|registrieren|inscription|registro)(?=$|[/_.?=-])"
)


@dataclass(frozen=True, slots=True)
class PaywallEvidence:
    """What the markup says. ``sections``: for each locked part named and found, (words, hidden)."""

    declared: bool = False
    sections: tuple[tuple[int, bool], ...] = ()
    prompts: tuple[int, ...] = ()  # words in each paywall-marked element set among the paragraphs
    calls: tuple[int, ...] = ()  # words in each call to action where the paragraphs stop (declared or not)


def read_paywall(tree: etree._Element, jsonld: JsonLd | None = None) -> PaywallEvidence:
    """The paywall evidence of a page (read before hidden elements are removed); ``jsonld``, the
    page's JSON-LD as bot.sources.jsonld read it (read here when not given)."""
    calls = tuple(_take_calls_to_action(tree))
    declared, selectors = _declarations(tree, jsonld if jsonld is not None else read_jsonld(tree))
    if not declared:
        return PaywallEvidence(calls=calls)
    sections = []
    for selector in selectors:
        for element in _select(tree, selector):
            sections.append((_words(_TEXT(element)), _hidden(element)))
    return PaywallEvidence(declared=True, sections=tuple(sections), prompts=tuple(_prompts(tree)), calls=calls)


def is_cut(evidence: PaywallEvidence, body_words: int) -> bool:
    """Whether the article is cut, given the evidence and how many words of text were read."""
    if any(words * 2 < body_words for words in evidence.calls):
        return True
    if not evidence.declared:
        return False
    if evidence.sections:
        return all(hidden or words < _EMPTY_SECTION_WORDS for words, hidden in evidence.sections)
    return any(words * 2 < body_words for words in evidence.prompts)


# --- the structure ---------------------------------------------------------------------------------


def _take_calls_to_action(tree: etree._Element) -> list[int]:
    """Words of each call to action where the article's paragraphs stop (see the module docstring),
    each taken out of the tree."""
    blocks: list[etree._Element] = []
    targets = [
        el
        for el in tree.iter("a", "form")
        if _SUBSCRIBE_PATH.search(_path(el.get("href") if el.tag == "a" else el.get("action")))
    ]
    for target in targets[-_MAX_TARGETS:]:  # the last: a call to action follows the text
        block = target
        for _ in range(_CALL_LEVELS):
            block = block.getparent()
            if block is None or block.tag in ("body", "html", "article", "main"):
                break
            text = _short_text(block)
            if text is None or _words(text) > _CALL_WORDS:
                break
            if any(_LOGIN_PATH.search(_path(a.get("href"))) for a in block.iter("a")):
                if _where_text_stops(block) and not any(b is block for b in blocks):
                    blocks.append(block)
                break
    found = []
    for block in blocks:
        found.append(_words(_short_text(block) or ""))
        parent = block.getparent()
        if parent is not None:
            block.drop_tree() if hasattr(block, "drop_tree") else parent.remove(block)
    return found


def _short_text(element: etree._Element) -> str | None:
    """The element's text, or None past _CALL_CHARS characters (read no further: a page's body is long)."""
    out: list[str] = []
    size = 0
    for text in element.itertext():
        size += len(text)
        if size > _CALL_CHARS:
            return None
        out.append(text)
    return "".join(out)


def _path(address: str | None) -> str:
    """The path of a link's address, lower case, without the host, query and fragment."""
    address = (address or "").strip().lower()
    address = re.sub(r"^(?:https?:)?//[^/]*", "", address)
    return re.split(r"[?#]", address, maxsplit=1)[0]


def _where_text_stops(block: etree._Element) -> bool:
    """Whether ``block`` (or the element it opens) comes right after the article's paragraphs: the
    element before it is a paragraph of prose, and no prose follows it. Not in the page's navigation,
    header, footer, a sidebar or a list (a site's account menu)."""
    if block.tag in _NOT_ARTICLE or any(a.tag in _NOT_ARTICLE for a in block.iterancestors()):
        return False
    node: etree._Element | None = block
    for _ in range(2):
        if node is None or _prose(node) or any(_prose(s) for s in node.itersiblings()):
            return False
        before = next((s for s in node.itersiblings(preceding=True) if isinstance(s.tag, str)), None)
        if before is not None:
            return before.tag == "p" and _prose(before)
        node = node.getparent()
    return False


_NOT_ARTICLE = frozenset({"nav", "header", "footer", "aside", "ul", "ol", "li", "menu"})


# --- the declarations ----------------------------------------------------------------------------


def _declarations(tree: etree._Element, jsonld: JsonLd) -> tuple[bool, list[str]]:
    declared = False
    selectors: list[str] = []
    for page_node in jsonld.page_nodes():
        about = as_list(page_node.get("mainEntityOfPage"))
        for node in [page_node, *(n for n in about if isinstance(n, dict))]:
            declared = declared or _is_false(node.get("isAccessibleForFree"))
            for part in as_list(node.get("hasPart")):
                if isinstance(part, dict) and _is_false(part.get("isAccessibleForFree")):
                    declared = True
                    selectors += [s for s in as_list(part.get("cssSelector")) if isinstance(s, str)]
    for element in tree.iterfind(".//*[@itemprop='isAccessibleForFree']"):
        declared = declared or _is_false(element.get("content"))
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key.endswith("content_tier") and (meta.get("content") or "").strip().lower() in _LOCKED_TIERS:
            declared = True
    return declared, selectors


def _is_false(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in _FALSE)


def _select(tree: etree._Element, selectors: str) -> list[etree._Element]:
    """Elements matching a CSS selector list made of simple selectors (``.c``, ``#i``, ``tag``,
    ``tag.c``); anything more complex matches nothing here."""
    found: list[etree._Element] = []
    for selector in selectors.split(","):
        match = _SIMPLE_SELECTOR.match(selector.strip())
        if not match or not any(match.groups()):
            continue
        tag, kind, name = match.groups()
        path = f".//{tag or '*'}"
        if kind == ".":
            path += f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
        elif kind == "#":
            path += f"[@id='{name}']"
        found += tree.xpath(path)
    return found


def _hidden(element: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        style = (node.get("style") or "").replace(" ", "").lower()
        if node.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style:
            return True
    return False


def _prompts(tree: etree._Element):
    """Words in each element marked as a paywall that stands where the article's paragraphs stop:
    after prose paragraphs of its parent, before none, and no prose itself (pages that mark their
    locked paragraphs themselves with a ``paywall`` class keep them)."""
    seen = 0
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "body", "html"):
            continue
        if not _MARKED.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            continue
        seen += 1
        if seen > _MAX_MARKED:
            return
        if _prose(element) or any(_prose(s) for s in element.itersiblings()):
            continue
        if any(_prose(s) for s in element.itersiblings(preceding=True)):
            yield _words(_TEXT(element))


def _prose(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    paragraphs = [element] if element.tag == "p" else element.iterfind(".//p")
    return any(_words(_TEXT(p)) >= _PARAGRAPH_WORDS for p in paragraphs)


def _words(text: str) -> int:
    """Words, a CJK character counting as one (bot.core.cjk.count_words)."""
    return sum(count_words(text))
