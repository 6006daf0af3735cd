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

Tables: a table used for layout becomes plain blocks (:func:`unwrap_layout_tables`), a table whose
text is mostly links goes (:func:`drop_link_tables`), and the data tables left are part of the
article: trafilatura keeps them, and :func:`table_rows_as_lines` writes each row as one line.
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
# a cell holding a heading or paragraphs holds a page's text, not a value
_LAYS_OUT = etree.XPath(
    ".//*[self::td or self::th][.//h1 or .//h2 or .//h3 or .//h4 or .//h5 or .//h6 or count(.//p) > 1]"
)


def unwrap_layout_tables(tree: etree._Element) -> int:
    """Turn the tables a page uses for layout into plain blocks; return how many.

    Old pages and mailing-list archives put their whole article in a table's cell; the extractor
    leaves tables out (their rows make no sentences), and with them the article. A table is for
    layout, as Readability (mozilla) decides it, when it says so (``role="presentation"``), holds
    another table, or has a single row or a single column; and when a cell holds a heading or
    several paragraphs (a page's text, not a value). Otherwise a caption, a header row or cell, or a
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
    if table.get("summary"):
        return False
    if table.find(".//table") is not None or _LAYS_OUT(table):
        return True
    if any(table.find(f".//{tag}") is not None for tag in _DATA_MARKS):
        return False
    rows = _ROWS(table)
    return len(rows) <= 1 or max((len(_CELLS(row)) for row in rows), default=0) <= 1


def _words(text: str) -> int:
    """Words, a CJK character counting as one (bot.core.cjk.count_words)."""
    return sum(count_words(text))


# --- tables of links ------------------------------------------------------------------------------

_LINK_SHARE = 0.5  # a table whose text is mostly link text is navigation (Readability's link density bound)


def drop_link_tables(tree: etree._Element) -> int:
    """Remove the tables whose text is mostly the text of links; return how many went.

    Run after :func:`unwrap_layout_tables`: the tables left hold data, and the text keeps them
    (:func:`table_rows_as_lines`). A table of links is a site's navigation instead (a "see also"
    grid, a menu laid out in rows, a list of sections), not the article. A table holding at least
    half of the page's text is kept whatever it holds (a page that is a list of links has nothing
    else to read).

    Linear in the page: the text and link text of every element are summed once, children first."""
    body = tree.find(".//body") if tree.tag != "body" else tree
    if body is None or next(body.iter("table"), None) is None:
        return 0
    size: dict[etree._Element, int] = {}
    linked: dict[etree._Element, int] = {}
    for element in reversed(list(body.iter())):
        total = _chars(element.text) if isinstance(element.tag, str) else 0
        links = 0
        for child in element:
            total += size.get(child, 0) + _chars(child.tail)
            links += linked.get(child, 0)
        size[element] = total
        linked[element] = total if element.tag == "a" else links
    page = size[body]
    removed = 0
    gone: set[etree._Element] = set()  # the tables inside one removed
    for table in list(body.iter("table")):
        parent = table.getparent()
        text = size[table]
        if table in gone or parent is None or not text or linked[table] < _LINK_SHARE * text or text * 2 >= page:
            continue
        gone.update(table.iter("table"))
        _remove(table, parent)
        removed += 1
    return removed


def _chars(text: str | None) -> int:
    """Characters other than white space."""
    return len("".join(text.split())) if text else 0


# --- data tables in the extracted text -----------------------------------------------------------

CELL_SEPARATOR = " | "


_BLOCKS = ("p", "head", "list", "quote", "table", "code", "graphic")


def table_rows_as_lines(body: etree._Element) -> int:
    """Turn each table of trafilatura's extracted body (``<table><row><cell>``) into one line a row,
    its non-empty cells joined by CELL_SEPARATOR; return how many tables.

    A data table inside the article (figures, a schedule, a comparison) is part of what the reader
    reads, so it stays in the text. trafilatura writes it as a Markdown table, with a rule line
    under the header row and a bar for every empty cell ("|  | 3 |"); here a row is its cells' text
    and nothing else, and a row with no text goes. A table whose cells hold paragraphs, headings or
    lists lays out a page rather than data: its cells' blocks take its place, in order."""
    tables = [t for t in body.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    for table in tables:
        parent = table.getparent()
        if parent is None:
            continue
        blocks: list[etree._Element] = []
        layout = any(el.tag in _BLOCKS for cell in table.iter("cell") for el in cell.iterdescendants())
        for row in table.iter("row"):
            if layout:
                for cell in row.iterchildren("cell"):
                    if cell.text and cell.text.strip():
                        blocks.append(_paragraph(cell.text.strip()))
                    for child in cell:
                        if child.tail and child.tail.strip() and child.tag not in _BLOCKS:
                            blocks.append(_paragraph(" ".join("".join(child.itertext()).split()) + child.tail))
                        else:
                            blocks.append(child)
                continue
            cells = [" ".join("".join(cell.itertext()).split()) for cell in row.iterchildren("cell")]
            line = CELL_SEPARATOR.join(c for c in cells if c)
            if line:
                blocks.append(_paragraph(line))
        tail, table.tail = table.tail, None
        anchor = table
        for block in blocks:  # one after the other (inserting at an index would cost the index each time)
            anchor.addnext(block)
            anchor = block
        if tail and tail.strip() and blocks:
            blocks[-1].tail = (blocks[-1].tail or "") + tail
            tail = None
        table.tail = tail
        _remove(table, parent)
    return len(tables)


def _paragraph(text: str) -> etree._Element:
    p = etree.Element("p")
    p.text = text
    return p
