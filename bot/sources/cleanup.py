"""What a reader never sees on a page, taken out before the article's text is extracted.

A browser shows neither an element with the ``hidden`` attribute nor one styled ``display: none`` or
``visibility: hidden`` in its own ``style``; screen readers skip ``aria-hidden="true"``. Pages keep
such elements for menus, modal windows, templates, a video player's captions and duplicate copies
of the text ("Lorem ipsum" in a collapsed panel). trafilatura reads the markup, not the rendering,
and keeps them; :func:`drop_hidden` removes them from the tree first.

One guard: a page that hides its main text until a script shows it (a reveal animation, a
paywall's server-side copy) would lose its article. An element holding at least half of the page's
text is kept, hidden or not; the extractor decides about it as before.
"""

from __future__ import annotations

from lxml import etree

# Readability (mozilla) uses the same three signals of invisibility; classes ("sr-only", "d-none")
# are left alone, since what they mean is in a stylesheet we do not read.
_STYLE = "translate(@style, 'ABDEHILNOPSTVY \t\n\r', 'abdehilnopstvy')"  # lower case, no spaces
_HIDDEN = etree.XPath(
    f"//body//*[@hidden or @aria-hidden='true' or contains({_STYLE}, 'display:none')"
    f" or contains({_STYLE}, 'visibility:hidden')]"
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
    total = len(" ".join(body.itertext()).split())
    removed: set[etree._Element] = set()
    for element in _HIDDEN(tree):
        if any(a in removed for a in element.iterancestors()):
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if total and len(_TEXT(element).split()) >= _KEEP_SHARE * total:
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
