"""What a reader never sees on a page, taken out before the article's text is extracted.

A browser shows neither an element with the ``hidden`` attribute nor one styled ``display: none`` or
``visibility: hidden`` in its own ``style``, nor one of the classes that mean "hidden" in the
common CSS frameworks (``hide``, ``d-none``; ``sr-only`` and its kin are read out by screen readers
only: "Opens in a new window", "Continue reading the main story"); screen readers skip
``aria-hidden="true"``. Pages keep
such elements for menus, modal windows, templates, a video player's captions and duplicate copies
of the text ("Lorem ipsum" in a collapsed panel). trafilatura reads the markup, not the rendering,
and keeps them; :func:`drop_hidden` removes them from the tree first.

One guard: a page that hides its main text until a script shows it (a reveal animation, a
paywall's server-side copy) would lose its article. An element holding at least half of the page's
text is kept, hidden or not; the extractor decides about it as before.
"""

from __future__ import annotations

from lxml import etree

from bot.core.cjk import count_words

# Readability (mozilla) uses the same signals of invisibility, besides the class names below.
_STYLE = "translate(@style, 'ABDEHILNOPSTVY \t\n\r', 'abdehilnopstvy')"  # lower case, no spaces
# class names that mean hidden in the common CSS frameworks (Bootstrap, WordPress), as whole tokens
_HIDDEN_CLASSES = (
    "hide",
    "hidden",
    "d-none",
    "invisible",
    "is-hidden",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
)
_CLASS = "concat(' ', normalize-space(@class), ' ')"
_HIDDEN = etree.XPath(
    f"//body//*[@hidden or @aria-hidden='true' or contains({_STYLE}, 'display:none')"
    f" or contains({_STYLE}, 'visibility:hidden')"
    + "".join(f" or contains({_CLASS}, ' {c} ')" for c in _HIDDEN_CLASSES)
    + "]"
)
_KEEP_SHARE = 0.5  # an element with this share of the page's text is the article, shown later by a script
_TEXT = etree.XPath("string()")


def drop_hidden(tree: etree._Element) -> int:
    """Remove the hidden elements of the page's body in place; return how many went.

    Linear in the page: the elements are found by one XPath query, an element inside one already
    removed is skipped without being measured, and each kept element's text is measured once."""
    body = tree.find(".//body") if tree.tag != "body" else tree
    if body is None:
        return 0
    total = _words(" ".join(body.itertext()))
    removed: set[etree._Element] = set()
    for element in _HIDDEN(tree):
        if any(a in removed for a in element.iterancestors()):
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if total and _words(_TEXT(element)) >= _KEEP_SHARE * total:
            continue
        _remove(element, parent)
        removed.add(element)
    return len(removed)


def _remove(element: etree._Element, parent: etree._Element) -> None:
    """Take the element out and keep its tail, the text that follows it in its parent."""
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- tables used for layout ----------------------------------------------------------------------

_SECTIONS = ("tbody", "thead", "tfoot")
_DATA_MARKS = ("caption", "thead", "tfoot", "col", "colgroup", "th")
_ROWS = etree.XPath("./tr | ./*[self::tbody or self::thead or self::tfoot]/tr")
_CELLS = etree.XPath("./td | ./th")


def unwrap_layout_tables(tree: etree._Element) -> int:
    """Turn the tables a page uses for layout into plain blocks; return how many.

    Old pages and mailing-list archives put their whole article in a table's cell; the extractor
    leaves tables out (their rows make no sentences), and with them the article. A table is for
    layout, as Readability (mozilla) decides it, when it says so (``role="presentation"``), holds
    another table, or has a single row or a single column; a caption, a header row or cell, or a
    column declaration make it a data table, which stays a table."""
    changed = 0
    for table in list(tree.iter("table")):
        if not _is_layout(table):
            continue
        rows = _ROWS(table)  # its own rows and cells only: a data table inside stays a table
        parts = [c for row in rows for c in _CELLS(row)] + rows + [c for c in table if c.tag in _SECTIONS]
        for element in [*parts, table]:
            element.tag = "div"
        changed += 1
    return changed


def _is_layout(table: etree._Element) -> bool:
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return True
    if table.get("summary") or any(table.find(f".//{tag}") is not None for tag in _DATA_MARKS):
        return False
    if table.find(".//table") is not None:
        return True
    rows = _ROWS(table)
    return len(rows) <= 1 or max((len(_CELLS(row)) for row in rows), default=0) <= 1


def _words(text: str) -> int:
    """Words, a CJK character counting as one (bot.core.cjk.count_words)."""
    return sum(count_words(text))
