"""Article pages (HTML) into raw articles: text, title, authors, publication, date and address.

trafilatura finds the article's text, title, date (htmldate, offline), site name, description and
canonical address. Authors come from the page's own evidence (bot.sources.evidence, read before
trafilatura prunes the tree), chosen by bot.sources.authors; see its docstring for the order. People
credited in another role (editors, translators, ...) go in ``RawArticle.credits``.

Before trafilatura reads the text, the tree loses what a reader never sees (hidden elements),
tables used for layout become plain blocks and tables of links go (bot.sources.cleanup); the data
tables left stay in the text, one line a row. Whether a paywall cut the text
is read from the page's markup (bot.sources.paywall) and sets ``RawArticle.preview_only``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bot.core.cjk import count_words
from bot.core.errors import ArticleFileError
from bot.core.models import RawArticle
from bot.core.text import fold, normalise, strip_stray_nuls
from bot.sources.authors import choose_authors, choose_credits, keep_credits
from bot.sources.cleanup import drop_hidden, drop_link_tables, table_rows_as_lines, unwrap_layout_tables
from bot.sources.evidence import collect_evidence
from bot.sources.jsonld import read_jsonld
from bot.sources.paywall import is_cut, read_paywall
from bot.sources.titles import choose_title, collect_titles

MAX_HTML_BYTES = 5_000_000
MAX_TEXT_BYTES = 2_000_000  # an article's text, UTF-8: what a text file may hold (bot.sources.files.MAX_FILE_BYTES)
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
    if "\x00" in text:  # a few stray NULs in a page that is otherwise text are dropped
        try:
            if isinstance(html, bytes) and not _utf8(html):
                raise ValueError("binary content (NUL characters)")
            text = strip_stray_nuls(text)
        except ValueError as exc:
            raise ArticleFileError(str(exc)) from None

    import trafilatura  # imported here: loading it costs ~0.3 s, and only HTML needs it
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
    except Exception as exc:  # lxml raises assorted errors on broken markup
        raise ArticleFileError(f"unreadable HTML: {exc}") from exc
    if tree is None:
        raise ArticleFileError("not an HTML page")
    jsonld = read_jsonld(tree)  # read once, for the title and the authors
    titles = collect_titles(tree, jsonld)
    evidence = collect_evidence(tree, jsonld)  # before trafilatura, which prunes the tree as it extracts
    paywall = read_paywall(tree, jsonld)  # before hidden elements go: a hidden locked part is evidence
    drop_hidden(tree)  # after the evidence: a hidden byline or headline still names the article
    unwrap_layout_tables(tree)
    drop_link_tables(tree)  # the tables left hold data, which the text keeps, or links, which it does not
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise ArticleFileError(f"unreadable HTML: {exc}") from exc
    if doc is not None and doc.body is not None and table_rows_as_lines(doc.body):
        from trafilatura.xml import xmltotxt

        doc.text = xmltotxt(doc.body, include_formatting=False)
    if doc is None or sum(count_words(doc.text or "")) < MIN_WORDS:  # a CJK character counts as a word
        raise ArticleFileError("no article text found in the page")

    body = _paragraphs(doc.text)
    size = len(body.encode("utf-8"))
    if size > max_text_bytes:
        raise ArticleFileError(f"article text too long ({size:,} bytes; the limit is {max_text_bytes:,})")
    site = _clean(doc.sitename)
    page_url = _clean(doc.url) or url
    title = choose_title(titles, body=body, site=site, url=page_url, fallback=_clean(doc.title))
    credits = choose_credits(evidence, title=title, site=site, url=page_url)
    authors = choose_authors(evidence, title=title, site=site, url=page_url, fallback=doc.author, credits=credits)
    authors = [_encodable(a) for a in authors]
    credits = [(_encodable(n) or n, role) for n, role in keep_credits(credits, authors)]
    raw = RawArticle(
        text=_encodable(body),
        title=_encodable(title),
        author=AUTHOR_SEPARATOR.join(authors) or None,
        authors=tuple(authors),
        credits=tuple(credits),
        url=_encodable(page_url),
        published=_encodable(_clean(doc.date)),
        publication=_encodable(site),
        standfirst=_encodable(_standfirst(_clean(doc.description), body, title)),
        source_path=source_path,
        preview_only=is_cut(paywall, sum(count_words(body))),
    )
    return Page(raw=raw, authors=tuple(authors), trafilatura_author=_encodable(_clean(doc.author)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: str | None) -> str | None:
    """``value`` with any lone surrogate as U+FFFD. A JSON escape such as ``"\\ud800"`` in the page's
    JSON-LD (read by bot.sources.jsonld and by trafilatura) decodes to one, and a string holding it
    can be neither hashed, stored nor sent (UnicodeEncodeError)."""
    if value is None or value.isascii():
        return value
    return _SURROGATE.sub("\ufffd", value)


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


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
    if not key or len(description.split()) > 60 or not _sentence_like(description):
        return None
    if title and key == re.sub(r"\W+", " ", fold(title)).strip():
        return None
    opening = re.sub(r"\W+", " ", fold(body[: len(description) + 200])).strip()
    if opening.startswith(key[: max(40, int(len(key) * 0.8))]):
        return None
    return description


_DATE_WORDS = re.compile(
    r"\d+|[年月日時分秒]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)(?:[a-z]*day|[a-z]*uary|ch|il|e|y|"
    r"ust|[a-z]*ember|ober|t|r)?\b\.?"
    r"|\b(?:am|pm|utc|gmt|edt|est|bst|cet|updated|posted|published|on|at)\b",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door)\s", re.I)


def _sentence_like(text: str) -> bool:
    """A description worth showing: five words or more (20 characters in scripts written without
    spaces), not mostly a date or a time, not a byline, a label ("Abstract:") or a file name."""
    n_words = len(text.split())
    if n_words < 5 and not (len(text) >= 20 and len(text) >= 8 * n_words):
        return False
    if len(re.findall(r"[^\W\d_]+", _DATE_WORDS.sub(" ", text))) < 3 and n_words >= 3:
        return False
    return not (
        _BYLINE.match(text) or text.endswith(":") or re.search(r"\S+\.(?:pdf|docx?|jpe?g|png|gif|html?)$", text)
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None
