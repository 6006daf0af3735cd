"""An article from a web page: fetched by bot.sources.fetch within its limits, then extracted by
bot.sources.pages in a worker process of the library's pool (bot.library.workers.KillablePool)
within the page budget. The one way both a feed entry's page (bot.library.feeds) and a link a
member asks about (bot.library.links) are read, so both get the same limits and the same refusals."""

from __future__ import annotations

import asyncio

from bot.core.errors import ArticleFileError
from bot.core.models import RawArticle
from bot.library.workers import KillablePool
from bot.sources.fetch import Fetcher

MAX_PAGE_BYTES = 5_000_000  # bot.sources.pages refuses larger pages too
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class NotAWebPage(ArticleFileError):
    """The address answered with something other than HTML (a PDF, an image, JSON)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a web page ({kind})")
        self.kind = kind


async def fetch_article(
    fetcher: Fetcher,
    pool: KillablePool,
    url: str,
    *,
    seconds: float,
    extract_seconds: float,
    max_bytes: int = MAX_PAGE_BYTES,
) -> RawArticle:
    """The article of the page at ``url``: fetched and extracted within ``seconds`` in all, the
    extraction within ``extract_seconds`` of its worker. Raises what stopped it: FetchError (or one
    of its kinds: refused address, timeout, HTTP status, too large), NotAWebPage, ArticleFileError
    (no article text, unreadable HTML), TaskRefused (over the worker's budget), TimeoutError."""
    async with asyncio.timeout(seconds):
        page = await fetcher.get(url, max_bytes=max_bytes, accept=PAGE_ACCEPT)
        kind = page.content_type.split(";")[0].strip().lower()
        if kind and kind not in HTML_TYPES:
            raise NotAWebPage(kind)
        return await pool.run(extract_page, page.body, page.url, seconds=extract_seconds)


def extract_page(body: bytes, url: str) -> RawArticle:
    """The task a worker runs: the article of a page's bytes (bot.sources.pages), imported there."""
    from bot.sources.pages import raw_from_html

    return raw_from_html(body, url, source_path=None)
