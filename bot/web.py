"""Article pages (HTML) into raw articles: text, title, author, publication, date and address.

trafilatura does the extraction; this module turns its result into a :class:`RawArticle` so that a page
goes through the same parsing, analysis and storage as a file.
"""

from __future__ import annotations

from bot.loaders import ArticleFileError, RawArticle
from bot.text import normalise

MAX_HTML_BYTES = 5_000_000


def raw_from_html(html: str | bytes, url: str | None = None, *, source_path: str | None = None) -> RawArticle:
    """Extract the article from one page; raise ArticleFileError saying why when there is none."""
    import trafilatura  # imported here: loading it costs ~0.3 s, and only HTML needs it

    if len(html) > MAX_HTML_BYTES:
        raise ArticleFileError(f"page too large ({len(html):,}; the limit is {MAX_HTML_BYTES:,})")
    if not html.strip():
        raise ArticleFileError("empty page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise ArticleFileError(f"unreadable HTML: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise ArticleFileError("no article text found in the page")
    return RawArticle(
        text=normalise(doc.text),
        title=_clean(doc.title),
        author=_clean(doc.author),
        url=_clean(doc.url) or url,
        published=_clean(doc.date),
        publication=_clean(doc.sitename),
        dek=_clean(doc.description),
        source_path=source_path,
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None
