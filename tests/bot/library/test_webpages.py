"""A web page's article, as feeds and links read it: fetched within the fetcher's limits, refused
when it is not HTML, extracted in a worker of the pool (bot.library.feeds and bot.library.links
test what each does with the failures)."""

from __future__ import annotations

import pytest

from bot.core.errors import ArticleFileError
from bot.library.webpages import NotAWebPage, extract_page, fetch_article
from bot.sources.fetch import Fetcher, FetchStatus
from tests.bot.library.test_feeds import HARBOUR
from tests.support.feedserver import Route


@pytest.fixture
async def fetcher():
    fetcher = Fetcher(allow_private=True, timeout=5.0)
    try:
        yield fetcher
    finally:
        await fetcher.close()


async def test_a_page_is_fetched_and_extracted_in_a_worker(library, fetcher, feed_server):
    url = feed_server.page("/harbour", "Harbour Plan Approved", HARBOUR, author="Jane Doe")
    raw = await fetch_article(fetcher, library.pages, url, seconds=30, extract_seconds=30)
    assert raw.title == "Harbour Plan Approved" and raw.author == "Jane Doe" and raw.url == url
    assert "rebuild the quays" in raw.text
    assert feed_server.requests_to("/harbour")[0].headers["Accept"].startswith("text/html")


async def test_what_is_not_an_article_page_is_refused(library, fetcher, feed_server):
    pdf = feed_server.set("/paper.pdf", Route(body=b"%PDF-1.7", content_type="application/pdf"))
    with pytest.raises(NotAWebPage) as raised:
        await fetch_article(fetcher, library.pages, pdf, seconds=30, extract_seconds=30)
    assert raised.value.kind == "application/pdf"
    with pytest.raises(FetchStatus) as status:
        await fetch_article(fetcher, library.pages, feed_server.url("/gone"), seconds=30, extract_seconds=30)
    assert status.value.status == 404
    with pytest.raises(TimeoutError):
        slow = feed_server.set("/slow", Route(body=b"<html></html>", delay=2.0))
        await fetch_article(fetcher, library.pages, slow, seconds=0.3, extract_seconds=30)


def test_extract_page_reads_the_article_or_says_why_not():
    page = "<html><head><title>T</title></head><body><article><h1>Harbour</h1>" + "".join(
        f"<p>{p}</p>" for p in HARBOUR
    )
    assert "Maria Lopez" in extract_page((page + "</article></body></html>").encode(), "https://news.example/h").text
    with pytest.raises(ArticleFileError):
        extract_page(b"", "https://news.example/empty")
